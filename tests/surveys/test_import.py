"""Responses from an ODK Central / KoBoToolbox CSV export: every row or none, problems by row
and column."""

import io

import pytest

from accounts.scopes import bsos_in_scope, clusters_in_scope, firms_in_scope
from surveys.imports import responses_import
from surveys.models import Answer, Response, Tie
from tests.surveys.helpers import firms_of, make_round, make_survey

pytestmark = pytest.mark.django_db


def _csv(text: str):
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "export.csv"
    return upload


def _import(round_, user, text):
    return responses_import(
        file=_csv(text),
        round_=round_,
        clusters=clusters_in_scope(user),
        firms=firms_in_scope(user),
        bsos=bsos_in_scope(user),
        user=user,
    )


HEADER = (
    "SubmissionDate,cb_respondent,cb_sex,exports,usefulness/satisfaction,services,partners,KEY\n"
)


def test_a_kobo_export_imports_every_row(world):
    round_ = make_round(make_survey(), world.inside)
    a, b = firms_of(world.inside, 2)
    partners = f"firm_{b.pk} bso_{world.bso.pk}"
    text = HEADER + (
        f"2025-03-02T10:00:00.000Z,firm_{a.pk},female,yes,5,training fairs,{partners},uuid:1\n"
        f"2025-03-03T10:00:00.000Z,firm_{b.pk},male,no,3,,none,uuid:2\n"
        f"2025-03-04T10:00:00.000Z,Ana Paz,female,,,,,uuid:3\n"
    )

    result = _import(round_, world.users["bso_staff"], text)

    assert result.ok, [str(e) for e in result.errors]
    assert result.saved == 3
    first = Response.objects.get(external_id="uuid:1")
    assert (first.firm, first.sex, str(first.answered_on)) == (a, "female", "2025-03-02")
    assert Response.objects.get(external_id="uuid:3").person == "Ana Paz"
    assert Answer.objects.get(response=first, question__name="services").choices == [
        "training",
        "fairs",
    ]
    assert Tie.objects.filter(answer__response=first).count() == 2


def test_a_bad_row_saves_nothing_and_names_row_and_column(world):
    round_ = make_round(make_survey(), world.inside)
    a, b = firms_of(world.inside, 2)
    outsider = firms_of(world.outside, 1)[0]
    text = HEADER + (
        f"2025-03-02,firm_{a.pk},female,yes,5,training,,uuid:1\n"
        f"2025-03-03,firm_{b.pk},male,maybe,9,training,,uuid:2\n"
        f"2025-03-03,firm_{outsider.pk},male,yes,4,,,uuid:3\n"
    )

    result = _import(round_, world.users["bso_staff"], text)

    assert not result.ok
    assert Response.objects.count() == 0 and Answer.objects.count() == 0
    messages = [str(e) for e in result.errors]
    assert "Row 3, exports: Answer yes or no." in messages
    assert "Row 3, satisfaction: A rating from 1 to 5." in messages
    assert any(m.startswith("Row 4, cb_respondent: No firm or organisation") for m in messages)
    assert not any(m.startswith("Row 2") for m in messages)


def test_a_submission_imported_twice_is_refused(world):
    round_ = make_round(make_survey(), world.inside)
    a, b = firms_of(world.inside, 2)
    first = HEADER + f"2025-03-02,firm_{a.pk},,yes,,,,uuid:1\n"
    assert _import(round_, world.users["bso_staff"], first).ok

    again = HEADER + f"2025-03-02,firm_{b.pk},,yes,,,,uuid:1\n"
    result = _import(round_, world.users["bso_staff"], again)

    assert not result.ok and Response.objects.count() == 1
    assert "already been imported" in str(result.errors[0])


def test_a_file_without_the_respondent_column_is_refused_whole(world):
    round_ = make_round(make_survey(), world.inside)

    result = _import(round_, world.users["bso_staff"], "exports\nyes\n")

    assert [str(e) for e in result.errors] == [
        "The first row must name the columns; missing: cb_respondent."
    ]
