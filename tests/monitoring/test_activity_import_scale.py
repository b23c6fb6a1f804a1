"""The activity import at scale: a fixed number of queries per file, the rules checked set-wise
as they are row by row, and any bytes answered with a clear error, never an exception."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitoring.activities.imports import KEYS, activities_import
from monitoring.activities.rules import activities_refusals
from monitoring.activities.services import activities_build
from monitoring.models.activities import Activity
from monitoring.spreadsheets.problems import ImportResult
from programs.models import Component

HEADER = ",".join(KEYS)
# Whatever the number of rows: the user's BSO, the scope, the clusters, BSOs and action items
# named, the foreign keys, the supports, the action items' clusters, savepoints; plus the
# INSERTs, one per batch SQLite takes (49 rows of an activity), one on PostgreSQL.
MAX_QUERIES_200_ROWS = 25


def csv_upload(lines: list[str], name="activities.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join([HEADER, *lines]).encode(), "text/csv")


def line(**cells) -> str:
    values = {
        "cluster": "mendoza-wine",
        "date": "2025-02-03",
        "type": "training",
        "title": "Pruning course",
        "women": "3",
        "men": "4",
        "cost_program": "100.50",
        "currency": "USD",
        **cells,
    }
    return ",".join(values.get(key, "") for key in KEYS)


def many(world, count: int, **cells) -> list[str]:
    item = world.committees["inside"].item.pk
    return [
        line(title=f"Activity {n}", action_item=str(item) if n % 2 else "", **cells)
        for n in range(count)
    ]


def queries_of(call) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        call()
    return [q["sql"] for q in captured.captured_queries]


def test_a_200_row_import_runs_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    upload = csv_upload(many(world, 200))

    with django_assert_max_num_queries(MAX_QUERIES_200_ROWS):
        result = activities_import(file=upload, user=world.users["bso_staff"])

    assert result.ok, [str(e) for e in result.errors][:3]
    assert Activity.objects.count() == 200


def test_the_queries_besides_the_inserts_do_not_grow_with_the_rows(world):
    user = world.users["bso_staff"]

    small = queries_of(lambda: activities_import(file=csv_upload(many(world, 10)), user=user))
    Activity.objects.all().delete()
    large = queries_of(lambda: activities_import(file=csv_upload(many(world, 300)), user=user))

    def reads(sqls):
        return [sql for sql in sqls if not sql.lstrip().upper().startswith("INSERT")]

    assert len(reads(large)) == len(reads(small))
    inserts = len(large) - len(reads(large))
    assert 1 <= inserts <= 300 / 40  # whole batches of rows, never one per row
    assert Activity.objects.count() == 300


def test_a_file_where_every_row_is_wrong_costs_no_more_queries(
    world, django_assert_max_num_queries
):
    # Every row names a BSO that does not support the cluster: refused by the set-wise rule.
    upload = csv_upload(many(world, 200, bso="camara-atuntaqui"))

    with django_assert_max_num_queries(MAX_QUERIES_200_ROWS):
        result = activities_import(file=upload, user=world.users["admin"])

    assert {(p.row, p.field) for p in result.errors} == {(n, "bso") for n in range(2, 202)}
    assert not Activity.objects.exists()


def test_rows_checked_together_get_the_errors_each_gets_alone(world):
    """The facts read for many rows (supports, enrolments, action items) never help or hurt
    another row: every row's refusal is the one it gets when checked by itself."""
    other_component = Component.objects.create(program=world.other_program, name="A", budget=0)
    component = Component.objects.create(program=world.program, name="B", budget=0)
    base = {
        "cluster": world.inside,
        "bso": world.bso,
        "date": datetime.date(2025, 2, 3),
        "type": "training",
        "title": "T",
        "currency": "USD",
    }
    rows = [
        base,
        {**base, "bso": world.other_bso},  # the other BSO does not support this cluster
        {**base, "cluster": world.outside, "bso": world.other_bso},  # fine for the admin
        {**base, "action_item": world.committees["outside"].item},  # another cluster's item
        {**base, "action_item": world.committees["inside"].item},
        {**base, "component": other_component},  # not enrolled in that program
        {**base, "component": component},
        {**base, "date": datetime.date.today() + datetime.timedelta(days=2)},
        {**base, "cost_firms": Decimal("-1"), "currency": "usd1"},
        {**base, "cluster": None},
        {**base, "date": datetime.date(2019, 1, 1)},  # before the BSO's support began
    ]
    admin = world.users["admin"]
    for user in (admin, world.users["bso_staff"]):
        together = activities_refusals(activities=activities_build(rows=rows, user=user), user=user)
        alone = {}
        for index, row in enumerate(rows):
            refusal = activities_refusals(
                activities=activities_build(rows=[row], user=user), user=user
            ).get(0)
            if refusal is not None:
                alone[index] = refusal
        assert set(together) == set(alone)
        for index in together:
            assert type(together[index]) is type(alone[index])
            assert _messages(together[index]) == _messages(alone[index])
    admin_refused = activities_refusals(
        activities=activities_build(rows=rows, user=admin), user=admin
    )
    assert set(admin_refused) == {1, 3, 5, 7, 8, 9, 10}
    assert _messages(admin_refused[5]) == {
        "component": ["The component's program did not enrol the cluster on the activity's date."]
    }


def _messages(error):
    return getattr(error, "message_dict", None) or str(error)


# --- Any bytes: a clear answer, never an exception ---------------------------------------------


def test_a_csv_that_is_neither_utf8_nor_cp1252_gets_a_clear_error_on_the_page(world, client):
    client.force_login(world.users["bso_staff"])
    content = (HEADER + "\n").encode() + b"\x81\x8d\x8f\x90\x9d"

    response = client.post(
        reverse("activity-import"), {"file": SimpleUploadedFile("a.csv", content, "text/csv")}
    )

    assert response.status_code == 400
    assert "neither UTF-8 nor Windows-1252" in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    "cells",
    [
        {"women": "Infinity"},
        {"men": "sNaN"},
        {"firms": "1E999999999"},
        {"action_item": "²"},
        {"action_item": "9" * 30},
        {"cost_program": "1E999999999"},
    ],
)
def test_odd_numbers_are_row_problems_not_exceptions(world, cells):
    result = activities_import(file=csv_upload([line(**cells)]), user=world.users["bso_staff"])

    assert not result.ok
    assert all(p.row == 2 for p in result.errors)


def test_a_cell_longer_than_the_csv_reader_takes_is_a_clear_error(world):
    content = HEADER + "\n" + line() + "\n" + "x" * 200_000 + "\n"
    result = activities_import(
        file=SimpleUploadedFile("a.csv", content.encode()), user=world.users["bso_staff"]
    )

    assert [p.row for p in result.errors] == [None]
    assert "cannot be read as CSV" in str(result.errors[0])


NAMES = st.sampled_from(["a.csv", "a.xlsx", "a.txt", "upload", "a.CSV"])
CONTENT = st.one_of(
    st.binary(min_size=1, max_size=3000),
    st.binary(max_size=3000).map(lambda tail: (HEADER + "\n").encode() + tail),
    st.binary(max_size=3000).map(lambda tail: b"PK\x03\x04" + tail),
    st.lists(st.text(max_size=12), min_size=len(KEYS), max_size=len(KEYS)).map(
        lambda cells: (HEADER + "\n" + ",".join(c.replace("\n", " ") for c in cells)).encode(
            "utf-8", "surrogatepass"
        )
    ),
)


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=CONTENT, name=NAMES)
def test_any_bytes_get_an_answer_never_an_exception(world, content, name):
    before = Activity.objects.count()

    result = activities_import(
        file=SimpleUploadedFile(name, content), user=world.users["bso_staff"]
    )

    assert isinstance(result, ImportResult)
    assert result.ok or all(str(problem).strip() for problem in result.errors)
    if not result.ok:
        assert Activity.objects.count() == before
