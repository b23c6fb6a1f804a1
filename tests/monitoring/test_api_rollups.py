"""Rollups and full recomputes through the API and the management commands.

The world of conftest: `inside` (Argentina: Southern Cone and Latin America; `program`) and
`outside` (Ecuador: Latin America; `other_program`), both on the Thai Food scorecard here,
each with an approved 2025-Q1 report.
"""

import datetime
from decimal import Decimal

import pytest
from celery import current_app
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from clusters.services import cluster_update
from core.models import RollupStale
from core.staleness import mark_stale
from monitoring.models import Rollup, RollupRun, RollupRunItem
from monitoring.rollups import runs
from monitoring.rollups.runs import run_years
from monitoring.rollups.staleness import process_stale
from monitoring.tasks import MAX_ATTEMPTS
from scorecards.models import KPI, Period, Template
from scorecards.services import scorecard_adopt
from tests.factories import ClusterFactory
from tests.monitoring.rollup_reference import periods, report_with, rollup

ROLES = ["bso_staff", "program_officer", "ministry", "regional", "admin"]

# The issue's list of a rollup's fields ...
ISSUE_FIELDS = {
    "kpi",
    "level",
    "unit",
    "period",
    "value",
    "numerator",
    "denominator",
    "target",
    "target_derived",
    "achievement_percent",
    "status",
    "clusters_reporting",
    "clusters_expected",
    "computed_at",
    "stale",
}
# ... and what the API adds: the row's id (detail, explain), labels to read it by, the women /
# men split and the baseline, and the clusters with a complete year (DESIGN.md rule 4).
EXTRA_FIELDS = {
    "id",
    "share_yes_percent",
    "kpi_code",
    "unit_code",
    "unit_name",
    "period_label",
    "value_women",
    "value_men",
    "baseline",
    "clusters_complete",
    "splits",
}


def kpi(code: str) -> KPI:
    return KPI.objects.get(code=code)


@pytest.fixture
def rolled(thai):
    """Both clusters on the Thai Food scorecard; Q1 approved: lean 5 (inside), 10 (outside)."""
    thai.template = Template.objects.get(code="thai-food", version=1)
    scorecard_adopt(cluster=thai.outside, template=thai.template, on=datetime.date(2024, 1, 1))
    thai.p = periods(2025)
    report_with(thai.inside, thai.p["q1"], {"thai-lean": 5})
    report_with(thai.outside, thai.p["q1"], {"thai-lean": 10})
    process_stale()
    thai.lean = kpi("thai-lean")
    return thai


def units(world) -> dict[str, tuple[str, int]]:
    return {
        "cluster:inside": ("cluster", world.inside.pk),
        "cluster:outside": ("cluster", world.outside.pk),
        "country:argentina": ("country", world.argentina.pk),
        "country:ecuador": ("country", world.ecuador.pk),
        "region:southern-cone": ("region", world.southern_cone.pk),
        "region:latam": ("region", world.latam.pk),
        "program:program": ("program", world.program.pk),
        "program:other": ("program", world.other_program.pk),
        "global": ("global", 0),
    }


VISIBLE = {
    "bso_staff": {"cluster:inside"},
    "program_officer": {"cluster:inside", "country:argentina", "program:program"},
    "ministry": {"cluster:inside", "country:argentina"},
    "regional": {"cluster:inside", "country:argentina", "region:southern-cone"},
    "admin": {
        "cluster:inside",
        "cluster:outside",
        "country:argentina",
        "country:ecuador",
        "region:southern-cone",
        "region:latam",
        "program:program",
        "program:other",
        "global",
    },
}


def as_user(api_client, world, role):
    api_client.force_authenticate(world.users[role])
    return api_client


def listed(client, **params) -> list[dict]:
    response = client.get(reverse("api:rollup-list"), params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- The list: fields, filters, pages --------------------------------------------------------


def test_a_rollup_row_has_the_fields_of_the_issue(api_client, rolled):
    client = as_user(api_client, rolled, "admin")
    [row] = listed(
        client,
        kpi=rolled.lean.pk,
        level="country",
        unit=rolled.argentina.pk,
        period=rolled.p["q1"].pk,
    )
    assert set(row) == ISSUE_FIELDS | EXTRA_FIELDS
    stored = rollup(rolled.lean, rolled.p["q1"], "country", rolled.argentina.pk)
    assert row == {
        "id": stored.pk,
        "kpi": rolled.lean.pk,
        "kpi_code": "thai-lean",
        "level": "country",
        "unit": rolled.argentina.pk,
        "unit_code": "AR",
        "unit_name": "Argentina",
        "period": rolled.p["q1"].pk,
        "period_label": "2025-Q1",
        "value": "5.0000",
        "numerator": None,
        "denominator": None,
        "value_women": None,
        "value_men": None,
        "target": None,
        "target_derived": False,
        "baseline": None,
        "achievement_percent": None,
        "share_yes_percent": None,
        "status": "grey",
        "clusters_reporting": 1,
        "clusters_complete": None,
        "clusters_expected": 1,
        "computed_at": row["computed_at"],
        "stale": False,
        "splits": [],  # thai-lean is not split
    }
    assert datetime.datetime.fromisoformat(row["computed_at"]) == stored.computed_at


def test_the_filters_narrow_the_list_by_kpi_level_unit_and_period(api_client, rolled):
    client = as_user(api_client, rolled, "admin")
    q1 = rolled.p["q1"].pk
    rows = listed(client, kpi=rolled.lean.pk, period=q1, level="region")
    assert {(r["unit"], Decimal(r["value"])) for r in rows} == {
        (rolled.southern_cone.pk, 5),
        (rolled.latam.pk, 5 + 10),
    }
    year_rows = listed(client, kpi=rolled.lean.pk, period=rolled.p["year"].pk, level="global")
    assert [Decimal(r["value"]) for r in year_rows] == [15]


def test_an_unknown_level_is_a_clear_400(api_client, rolled):
    response = as_user(api_client, rolled, "admin").get(
        reverse("api:rollup-list"), {"level": "planet"}
    )
    assert response.status_code == 400
    assert "level" in response.json()


def test_the_list_comes_in_cursor_pages(api_client, rolled):
    client = as_user(api_client, rolled, "admin")
    response = client.get(reverse("api:rollup-list"), {"page_size": 100})
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}  # every list's envelope
    assert body["count"] is None  # no COUNT(*)
    assert "cursor=" in body["next"]
    seen = [r["id"] for r in body["results"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        seen += [r["id"] for r in body["results"]]
    assert len(seen) == len(set(seen)) == Rollup.objects.count() > 300


def test_listing_hundreds_of_rows_takes_a_bounded_number_of_queries(
    api_client, rolled, django_assert_max_num_queries
):
    assert Rollup.objects.count() > 300
    mark_stale(kpi_ids=[rolled.lean.pk], period_ids=[rolled.p["q2"].pk], reason="test")
    for role in ["admin", "program_officer", "regional"]:
        client = as_user(api_client, rolled, role)
        # the rows, the split rows beside them (a sex-split KPI), the stale markers, the
        # periods they name
        with django_assert_max_num_queries(4):
            response = client.get(reverse("api:rollup-list"), {"page_size": 1000})
        assert len(response.json()["results"]) > (300 if role == "admin" else 50)


def test_every_row_names_its_unit_at_every_level(api_client, rolled):
    client = as_user(api_client, rolled, "admin")
    q1 = rolled.p["q1"].pk
    named = {
        (r["level"], r["unit"]): (r["unit_code"], r["unit_name"])
        for level in ("global", "program", "region", "country", "cluster")
        for r in listed(client, kpi=rolled.lean.pk, period=q1, level=level)
    }
    assert named == {
        ("global", 0): (None, None),
        ("program", rolled.program.pk): (rolled.program.code, rolled.program.name),
        ("program", rolled.other_program.pk): (
            rolled.other_program.code,
            rolled.other_program.name,
        ),
        ("region", rolled.southern_cone.pk): ("southern-cone", "Southern Cone"),
        ("region", rolled.latam.pk): ("latam", "Latin America"),
        ("country", rolled.argentina.pk): ("AR", "Argentina"),
        ("country", rolled.ecuador.pk): ("EC", "Ecuador"),
        ("cluster", rolled.inside.pk): ("mendoza-wine", "Mendoza wine"),
        ("cluster", rolled.outside.pk): ("atuntaqui-garments", "Atuntaqui garments"),
    }


def test_cluster_rows_come_in_the_same_cursor_pages_in_bounded_queries(
    api_client, rolled, django_assert_max_num_queries
):
    for index in range(6):
        ClusterFactory(code=f"extra-{index}", country=rolled.argentina)
    client = as_user(api_client, rolled, "admin")
    params = {"level": "cluster", "period": rolled.p["q1"].pk, "page_size": 10}
    # computed from source in a fixed number of statements, the units named in one more
    with django_assert_max_num_queries(10):
        body = client.get(reverse("api:rollup-list"), params).json()
    assert body["count"] is None
    assert "cursor=" in body["next"] and body["previous"] is None
    seen = [(r["kpi"], r["unit"]) for r in body["results"]]
    assert all(r["unit_name"] for r in body["results"])
    while body["next"]:
        body = client.get(body["next"]).json()
        seen += [(r["kpi"], r["unit"]) for r in body["results"]]
    assert len(seen) == len(set(seen)) > 10
    assert client.get(reverse("api:rollup-list"), {**params, "cursor": "!!"}).status_code == 404


def test_a_share_of_yes_is_restated_in_percent_beside_the_kpi_value(api_client, rolled):
    plan = kpi("thai-communications-plan")  # yes/no, annual
    report_with(rolled.inside, rolled.p["year"], {"thai-communications-plan": 1})
    report_with(rolled.outside, rolled.p["year"], {"thai-communications-plan": 0})
    process_stale()
    client = as_user(api_client, rolled, "admin")
    year = rolled.p["year"].pk
    [total] = listed(client, kpi=plan.pk, period=year, level="global")
    # one cluster of two answers yes: the mean of the answers is 0.5, i.e. 50 %
    assert (total["value"], total["share_yes_percent"]) == ("0.5000", "50.00")
    cluster_rows = listed(client, kpi=plan.pk, period=year, level="cluster")
    assert {r["share_yes_percent"] for r in cluster_rows} == {None}  # an answer, not a share
    [lean] = listed(client, kpi=rolled.lean.pk, period=rolled.p["q1"].pk, level="global")
    assert lean["share_yes_percent"] is None


# --- Scope --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_the_rollups_of_its_scope(api_client, rolled, role):
    names = {v: k for k, v in units(rolled).items()}
    client = as_user(api_client, rolled, role)
    totals = listed(client, kpi=rolled.lean.pk, period=rolled.p["q1"].pk)
    # cluster rows are computed on read: asked for with level=cluster
    clusters = listed(client, kpi=rolled.lean.pk, period=rolled.p["q1"].pk, level="cluster")
    assert {r["level"] for r in totals} <= {"country", "region", "program", "global"}
    assert {names[(r["level"], r["unit"])] for r in totals + clusters} == VISIBLE[role]


@pytest.mark.parametrize("role", ["bso_staff", "program_officer", "ministry", "regional"])
def test_a_rollup_outside_the_scope_answers_404_and_one_inside_200(api_client, rolled, role):
    client = as_user(api_client, rolled, role)
    for name, (level, unit) in units(rolled).items():
        expected = 200 if name in VISIBLE[role] else 404
        key = {"kpi": rolled.lean.pk, "period": rolled.p["q1"].pk, "level": level, "unit": unit}
        by_key = client.get(reverse("api:rollup-explain-at"), key)
        assert by_key.status_code == expected, name
        if level == "cluster":  # not stored: no id, so no detail by id
            continue
        row = rollup(rolled.lean, rolled.p["q1"], level, unit)
        detail = client.get(reverse("api:rollup-detail", args=[row.pk]))
        explained = client.get(reverse("api:rollup-explain", args=[row.pk]))
        assert (detail.status_code, explained.status_code) == (expected, expected), name


def test_anonymous_users_read_no_rollups(api_client, rolled):
    assert api_client.get(reverse("api:rollup-list")).status_code in (401, 403)


# --- Explain ------------------------------------------------------------------------------------


@pytest.fixture
def argentina_three(rolled):
    """Argentina with three clusters on Thai Food: inside approved, Córdoba's report waiting
    for review, Salta's missing. Only inside is enrolled in `program`."""
    rolled.cordoba = ClusterFactory(
        code="cordoba-dairy", name="Córdoba dairy", country=rolled.argentina
    )
    rolled.salta = ClusterFactory(
        code="salta-tobacco", name="Salta tobacco", country=rolled.argentina
    )
    for cluster in (rolled.cordoba, rolled.salta):
        scorecard_adopt(cluster=cluster, template=rolled.template, on=datetime.date(2024, 1, 1))
    report_with(rolled.cordoba, rolled.p["q1"], {"thai-lean": 7}, state="submitted")
    process_stale()
    return rolled


def explained(client, row) -> dict:
    response = client.get(reverse("api:rollup-explain", args=[row.pk]))
    assert response.status_code == 200, response.content
    return response.json()


def test_explain_lists_the_contributing_clusters_with_their_values_and_states(
    api_client, argentina_three
):
    world = argentina_three
    row = rollup(world.lean, world.p["q1"], "country", world.argentina.pk)
    body = explained(as_user(api_client, world, "admin"), row)
    assert body["rollup"]["id"] == row.pk
    assert Decimal(body["rollup"]["value"]) == 5  # Córdoba's 7 is not approved
    assert body["formula"] == "sum of the clusters' values"
    assert [(c["cluster_name"], c["value"], c["state"]) for c in body["contributions"]] == [
        ("Córdoba dairy", None, "pending"),
        ("Mendoza wine", "5.0000", "approved"),
        ("Salta tobacco", None, "missing"),
    ]
    assert body["hidden"] == 0


def test_explain_of_a_year_says_how_quarters_make_it_and_how_many_are_approved(
    api_client, argentina_three
):
    world = argentina_three
    row = rollup(world.lean, world.p["year"], "country", world.argentina.pk)
    body = explained(as_user(api_client, world, "admin"), row)
    assert body["formula"] == (
        "sum of the clusters' values; the year is the sum of its approved quarters"
    )
    by_name = {c["cluster_name"]: c for c in body["contributions"]}
    assert by_name["Mendoza wine"]["detail"] == "1 of 4 quarters approved"
    assert by_name["Córdoba dairy"]["state"] == "pending"


def test_explain_of_a_ratio_gives_numerators_and_denominators(api_client, rolled):
    turnover = kpi("thai-staff-turnover")  # the report filler entered 1 / 2 for both clusters
    row = rollup(turnover, rolled.p["q1"], "region", rolled.latam.pk)
    body = explained(as_user(api_client, rolled, "admin"), row)
    assert body["formula"].startswith("sum of numerators / sum of denominators x 100")
    assert [(c["numerator"], c["denominator"], c["value"]) for c in body["contributions"]] == [
        ("1.0000", "2.0000", "50.0000"),
        ("1.0000", "2.0000", "50.0000"),
    ]


def test_explain_hides_clusters_outside_the_scope_as_a_count(api_client, argentina_three):
    world = argentina_three
    row = rollup(world.lean, world.p["q1"], "country", world.argentina.pk)
    # the program officer sees Argentina (its cluster's country) but only its own cluster
    body = explained(as_user(api_client, world, "program_officer"), row)
    assert [c["cluster_name"] for c in body["contributions"]] == ["Mendoza wine"]
    assert body["hidden"] == 2  # Córdoba and Salta, counted but not named


# --- Stale ------------------------------------------------------------------------------------


def stale_of(client, row) -> bool:
    return client.get(reverse("api:rollup-detail", args=[row.pk])).json()["stale"]


def test_a_row_is_stale_while_a_marker_for_it_is_pending(api_client, rolled):
    client = as_user(api_client, rolled, "admin")
    q1, q2, year = rolled.p["q1"], rolled.p["q2"], rolled.p["year"]
    report_with(rolled.inside, q2, {"thai-lean": 3})  # approved: markers for Q2, not processed
    assert stale_of(client, rollup(rolled.lean, q2, "country", rolled.argentina.pk))
    assert stale_of(client, rollup(rolled.lean, year, "global", 0))  # built from Q2
    assert not stale_of(client, rollup(rolled.lean, q1, "global", 0))
    timescale = kpi("thai-loan-timescale")  # annual: not in a quarter's report
    assert not stale_of(client, rollup(timescale, year, "global", 0))

    process_stale()
    assert not stale_of(client, rollup(rolled.lean, q2, "country", rolled.argentina.pk))
    assert not stale_of(client, rollup(rolled.lean, year, "global", 0))


def test_every_row_is_stale_after_a_cluster_moves_until_processed(api_client, rolled):
    client = as_user(api_client, rolled, "admin")
    cluster_update(cluster=rolled.outside, data={"country": rolled.argentina}, fields=["country"])
    rows = listed(client, page_size=1000)
    assert rows and all(r["stale"] for r in rows)
    process_stale()
    assert not any(r["stale"] for r in listed(client, page_size=1000))


def test_a_marker_for_every_kpi_of_a_quarter_makes_its_year_stale(api_client, rolled):
    client = as_user(api_client, rolled, "admin")
    mark_stale(period_ids=[rolled.p["q2"].pk], reason="every KPI of Q2")
    assert stale_of(client, rollup(rolled.lean, rolled.p["q2"], "global", 0))
    assert stale_of(client, rollup(rolled.lean, rolled.p["year"], "global", 0))
    assert not stale_of(client, rollup(rolled.lean, rolled.p["q1"], "global", 0))


# --- Full recomputes: rollup-runs ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["bso_staff", "program_officer", "ministry", "regional"])
def test_only_administrators_start_a_full_recompute(api_client, rolled, role):
    client = as_user(api_client, rolled, role)
    assert client.post(reverse("api:rolluprun-list")).status_code == 403
    assert not RollupRun.objects.exists()
    run = RollupRun.objects.create(total=0)
    assert client.get(reverse("api:rolluprun-detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("api:rolluprun-list")).json()["results"] == []


def start_run(client, django_capture_on_commit_callbacks) -> dict:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("api:rolluprun-list"))
    assert response.status_code == 202, response.content
    return response.json()


def test_a_full_recompute_rebuilds_every_row_and_shows_its_progress(
    api_client, rolled, django_capture_on_commit_callbacks
):
    client = as_user(api_client, rolled, "admin")
    before = {(r.kpi_id, r.period_id, r.level, r.unit_id, r.value) for r in Rollup.objects.all()}
    Rollup.objects.filter(level="global").update(value=12345)  # damage, repaired by the run
    started = start_run(client, django_capture_on_commit_callbacks)
    assert started["status"] == "running"  # answered before the tasks ran
    assert started["total"] == len(run_years()) > 0

    progress = client.get(reverse("api:rolluprun-detail", args=[started["id"]])).json()
    assert progress["status"] == "done"
    assert (progress["done"], progress["failed"], progress["total"]) == (
        started["total"],
        0,
        started["total"],
    )
    assert progress["progress_percent"] == "100.00"
    assert progress["elapsed_s"] >= 0
    assert progress["finished_at"] is not None
    assert progress["errors"] == []
    after = {(r.kpi_id, r.period_id, r.level, r.unit_id, r.value) for r in Rollup.objects.all()}
    assert after == before


def fail_for(monkeypatch, failing_year: int) -> list[int]:
    """Make the engine fail for one year (a second one is added, which works); return the
    list of the failing year's attempts."""
    starts_on, ends_on = Period.bounds(failing_year + 1, 0)
    Period.objects.get_or_create(
        kind=Period.Kind.YEAR,
        year=failing_year + 1,
        quarter=0,
        defaults={"starts_on": starts_on, "ends_on": ends_on, "deadline": ends_on},
    )
    attempts = []
    real = runs.recompute

    def recompute(*, period_ids=None, kpi_ids=None):
        ids = list(period_ids or [])
        if Period.objects.filter(pk__in=ids, year=failing_year).exists():
            attempts.append(failing_year)
            raise RuntimeError("disk full")
        return real(period_ids=ids, kpi_ids=kpi_ids)

    monkeypatch.setattr(runs, "recompute", recompute)
    return attempts


@pytest.fixture
def like_a_worker(monkeypatch):
    """Eager tasks that keep their exceptions to themselves, as a worker does: the test
    settings make eager tasks raise into the caller, which cuts Celery's retries short."""
    monkeypatch.setitem(current_app.conf, "task_eager_propagates", False)


def test_a_run_whose_task_keeps_failing_ends_failed_and_lists_the_error(
    api_client, rolled, monkeypatch, like_a_worker, django_capture_on_commit_callbacks
):
    attempts = fail_for(monkeypatch, 2025)
    client = as_user(api_client, rolled, "admin")
    started = start_run(client, django_capture_on_commit_callbacks)

    progress = client.get(reverse("api:rolluprun-detail", args=[started["id"]])).json()
    assert progress["status"] == "failed"
    assert (progress["done"], progress["failed"]) == (started["total"] - 1, 1)
    assert progress["progress_percent"] == "100.00"
    [error] = progress["errors"]
    assert error["year"] == 2025
    assert "disk full" in error["error"]
    # retried a bounded number of times, then given up
    assert len(attempts) == error["attempts"] == MAX_ATTEMPTS
    items = RollupRunItem.objects.filter(run_id=started["id"]).exclude(year=2025)
    assert {i.state for i in items} == {"done"}


def test_with_eager_propagating_tasks_a_failing_kpi_still_ends_the_run_failed(
    api_client, rolled, monkeypatch, django_capture_on_commit_callbacks
):
    fail_for(monkeypatch, 2025)
    client = as_user(api_client, rolled, "admin")
    started = start_run(client, django_capture_on_commit_callbacks)
    progress = client.get(reverse("api:rolluprun-detail", args=[started["id"]])).json()
    # the other years ran all the same (one robust on-commit callback per year)
    assert progress["done"] == started["total"] - 1
    assert progress["status"] == "failed"


def test_the_list_of_runs_shows_each_runs_progress(
    api_client, rolled, django_capture_on_commit_callbacks
):
    client = as_user(api_client, rolled, "admin")
    started = start_run(client, django_capture_on_commit_callbacks)
    [run] = client.get(reverse("api:rolluprun-list")).json()["results"]
    assert (run["id"], run["status"], run["progress_percent"]) == (
        started["id"],
        "done",
        "100.00",
    )


# --- Management commands ----------------------------------------------------------------------


@pytest.fixture
def commit_now(monkeypatch):
    """Run on-commit callbacks at once: the test's transaction never commits, and the
    recompute command waits for its tasks, which are queued on commit."""

    def on_commit(func, using=None, robust=False):
        func()

    monkeypatch.setattr(transaction, "on_commit", on_commit)


def test_the_recompute_command_rebuilds_every_rollup(rolled, commit_now, capsys):
    Rollup.objects.all().delete()
    call_command("recompute_rollups")
    out = capsys.readouterr().out
    run = RollupRun.objects.get()
    assert run.status == RollupRun.Status.DONE
    assert f"Rollup run {run.pk}: {run.total} year tasks queued." in out
    assert f"{run.total}/{run.total} (100%)" in out
    assert rollup(rolled.lean, rolled.p["q1"], "global", 0).value == 15


def test_the_recompute_command_exits_non_zero_when_a_kpi_fails(
    rolled, commit_now, like_a_worker, monkeypatch, capsys
):
    fail_for(monkeypatch, 2025)
    with pytest.raises(SystemExit) as exit_:
        call_command("recompute_rollups")
    assert exit_.value.code == 1
    assert "2025: RuntimeError('disk full')" in capsys.readouterr().err


def test_the_audit_command_passes_when_every_row_matches(rolled, capsys):
    call_command("audit_rollups")
    assert "Every rollup row matches its source." in capsys.readouterr().out


def test_the_audit_command_exits_non_zero_and_lists_the_rows_that_differ(rolled, capsys):
    q1 = rolled.p["q1"]
    Rollup.objects.filter(kpi=rolled.lean, period=q1, level="global").update(value=99)
    with pytest.raises(SystemExit) as exit_:
        call_command("audit_rollups", "--kpi", str(rolled.lean.pk))
    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert f"kpi {rolled.lean.pk} period {q1.pk} global 0" in captured.out
    assert "1 rollup rows differ from their source." in captured.err
    assert not RollupStale.objects.exists()
