"""The rollup pages: values with their coverage in the reader's scope, filters and keyset pages,
the explanation of one number, and the administrators' full recompute with its progress."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.views import serve
from django.test import RequestFactory
from django.urls import reverse

from core.models import RollupStale
from core.staleness import mark_stale
from monitoring.models import Report, Rollup, RollupRun
from monitoring.reports.services import report_open, report_record_values, report_transition
from monitoring.rollups import views as rollup_views
from monitoring.rollups.figures import LEVEL_LABELS
from monitoring.rollups.staleness import process_stale
from scorecards.models import KPI, Level, Period, Target, Template
from scorecards.services import scorecard_adopt
from tests.factories import ClusterFactory
from tests.monitoring.rollup_reference import rollup

LIST = "/rollups/"
RUNS = "/rollups/runs/"

# Values recorded per cluster: (business plans: a sum; waste: a ratio n / d; skills: by sex).
VALUES = {
    "inside": {"plans": "5", "waste": ("1", "10"), "skills": ("3", "2")},
    "outside": {"plans": "7", "waste": ("3", "10"), "skills": ("4", "4")},
    "cordoba": {"plans": "100", "waste": ("9", "10"), "skills": ("50", "50")},
}


def kpi(code: str) -> KPI:
    return KPI.objects.get(code=code)


def adopt_thai(cluster):
    scorecard_adopt(
        cluster=cluster,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )


def fill(report, values, user):
    rows = {}
    for m in report.measurements.select_related("kpi"):
        code = m.kpi.code
        if code == "thai-business-plans":
            rows[m.kpi_id] = {"value": values["plans"]}
        elif code == "thai-waste":
            rows[m.kpi_id] = dict(zip(("numerator", "denominator"), values["waste"], strict=True))
        elif m.kpi.by_sex:
            rows[m.kpi_id] = dict(zip(("value_women", "value_men"), values["skills"], strict=True))
        elif m.kpi.is_ratio:
            rows[m.kpi_id] = {"numerator": "1", "denominator": "4"}
        else:
            rows[m.kpi_id] = {"value": "1"}
    report_record_values(report=report, rows=rows, user=user)
    return report_transition(report=report, action="submit", user=user)


def detail_url(row) -> str:
    return reverse("rollup-detail", args=[row.kpi_id, row.period_id, row.level, row.unit_id])


@pytest.fixture
def rolled(thai):
    """2025-Q1 rolled up: Mendoza (Argentina) and Atuntaqui (Ecuador) approved, Córdoba
    (Argentina, in no program) submitted only; a cluster target for Mendoza's business plans.

    Rows: 18 quarterly KPIs x (2025-Q1 and 2025) x 10 units (3 clusters, 2 countries,
    2 regions, 2 programs, global) = 360.
    """
    admin = thai.users["admin"]
    thai.cordoba = ClusterFactory(
        code="cordoba-software", name="Córdoba software", country=thai.argentina
    )
    adopt_thai(thai.outside)
    adopt_thai(thai.cordoba)
    Target.objects.create(
        kpi=kpi("thai-business-plans"),
        period=thai.q1,
        level=Level.CLUSTER,
        cluster=thai.inside,
        value=Decimal(10),
    )
    fill(thai.report, VALUES["inside"], thai.users["bso_staff"])
    report_transition(report=thai.report, action="approve", user=admin)
    thai.outside_report = report_open(cluster=thai.outside, period=thai.q1)
    fill(thai.outside_report, VALUES["outside"], admin)
    report_transition(report=thai.outside_report, action="approve", user=admin)
    thai.cordoba_report = report_open(cluster=thai.cordoba, period=thai.q1)
    fill(thai.cordoba_report, VALUES["cordoba"], admin)  # submitted, never approved
    process_stale()  # what the task queued on commit would do
    assert not RollupStale.objects.exists()
    thai.year = Period.objects.get(year=2025, quarter=0)
    return thai


def row_of(kpi_code, level, unit_id, period):
    """The row as readers get it: stored, or computed on read at cluster level."""
    return rollup(kpi(kpi_code), period, level, unit_id)


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def row_html(html: str, row: Rollup) -> str:
    mark = (
        f'data-rollup="{row.pk}"'
        if row.pk
        else f'data-rollup="" data-level="cluster" data-unit="{row.unit_id}" '
        f'data-kpi="{row.kpi.code}"'
    )
    assert mark in html, f"row {row} is not on the page"
    return html.split(mark)[1].split("</tr>")[0]


def listed_clusters(html: str) -> set[int]:
    """The cluster rows on a page (computed on read: no id), by cluster."""
    return {int(unit) for unit in re.findall(r'data-level="cluster" data-unit="(\d+)"', html)}


def listed(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-rollup="(\d+)"', html)]


def text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def select_of(html: str, name: str) -> str:
    return html.split(f'name="{name}"')[1].split("</select>")[0]


def login(client, world, role):
    client.force_login(world.users[role])
    return client


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_each_value_with_its_coverage_and_when_it_was_computed(client, rolled):
    login(client, rolled, "admin")
    plans = kpi("thai-business-plans")

    html = html_of(client.get(LIST, {"kpi": plans.pk, "period": rolled.q1.pk}))

    assert "Only approved values count" in html
    glob = row_of("thai-business-plans", Level.GLOBAL, 0, rolled.q1)
    cells = text(row_html(html, glob))
    assert "Global" in cells and "All" in cells and "2025-Q1" in cells
    assert "12" in cells  # 5 + 7; Córdoba's 100 is not approved
    assert "2 / 3 clusters reporting" in cells
    assert "as of" in cells
    assert detail_url(glob) in row_html(html, glob)
    assert "choose the level “Cluster”" in html  # cluster rows are computed when asked for
    argentina = text(
        row_html(html, row_of("thai-business-plans", "country", rolled.argentina.pk, rolled.q1))
    )
    assert "Argentina" in argentina and "1 / 2 clusters reporting" in argentina
    assert "10" in argentina and "sum of cluster targets" in argentina  # derived target
    assert "50%" in argentina and "Off track" in argentina  # 5 of a target of 10
    html = html_of(client.get(LIST, {"kpi": plans.pk, "period": rolled.q1.pk, "level": "cluster"}))
    cordoba = text(
        row_html(html, row_of("thai-business-plans", "cluster", rolled.cordoba.pk, rolled.q1))
    )
    assert "0 / 1 cluster reporting" in cordoba and "100" not in cordoba
    assert "Waiting for recompute" not in html


def test_ratios_show_a_percentage_and_their_parts_and_counts_their_split_by_sex(client, rolled):
    login(client, rolled, "admin")
    html = html_of(client.get(LIST, {"level": "global", "period": rolled.q1.pk}))

    waste = text(row_html(html, row_of("thai-waste", Level.GLOBAL, 0, rolled.q1)))
    assert "20%" in waste and "4 / 20" in waste  # (1 + 3) / (10 + 10), not a mean of percents
    skills = text(row_html(html, row_of("thai-skills-participants", Level.GLOBAL, 0, rolled.q1)))
    assert "women 7 · men 6" in skills


def test_a_year_built_from_quarters_says_how_many_clusters_have_all_four(client, rolled):
    login(client, rolled, "admin")
    plans = kpi("thai-business-plans")
    html = html_of(client.get(LIST, {"kpi": plans.pk, "period": rolled.year.pk}))

    cells = text(row_html(html, row_of("thai-business-plans", Level.GLOBAL, 0, rolled.year)))
    assert "2 / 3 clusters reporting" in cells
    assert "0 of 3 clusters with all four quarters approved" in cells


def test_the_default_period_is_the_latest_with_values(client, rolled):
    login(client, rolled, "admin")
    html = html_of(client.get(LIST))

    assert "Values for 2025-Q1" in html
    pks = listed(html)
    assert len(pks) == rollup_views.PAGE_SIZE
    assert set(Rollup.objects.filter(pk__in=pks).values_list("period_id", flat=True)) == {
        rolled.q1.pk
    }
    # the year has rows too, and is offered
    assert f'<option value="{rolled.year.pk}"' in html


def test_filters_by_kpi_level_unit_and_period(client, rolled):
    login(client, rolled, "admin")
    plans = kpi("thai-business-plans")

    by_level = listed(html_of(client.get(LIST, {"level": "country", "period": rolled.q1.pk})))
    assert by_level and set(
        Rollup.objects.filter(pk__in=by_level).values_list("level", flat=True)
    ) == {"country"}

    one = listed(
        html_of(
            client.get(
                LIST,
                {
                    "kpi": plans.pk,
                    "level": "country",
                    "unit": rolled.ecuador.pk,
                    "period": rolled.year.pk,
                },
            )
        )
    )
    assert one == [row_of("thai-business-plans", "country", rolled.ecuador.pk, rolled.year).pk]

    units = select_of(html_of(client.get(LIST, {"level": "region"})), "unit")
    assert f'<option value="{rolled.southern_cone.pk}">Southern Cone</option>' in units
    assert "Argentina" not in units  # the unit select follows the level
    assert "disabled" in select_of(html_of(client.get(LIST)), "unit")


def test_an_invalid_filter_is_reported_and_the_others_still_apply(client, rolled):
    login(client, rolled, "admin")
    html = html_of(client.get(LIST, {"kpi": "999999", "level": "country", "after": "garbage"}))

    assert "Select a valid choice" in html
    assert set(Rollup.objects.filter(pk__in=listed(html)).values_list("level", flat=True)) == {
        "country"
    }


def test_keyset_pages_walk_every_row_once_in_order_and_back(client, rolled, monkeypatch):
    monkeypatch.setattr(rollup_views, "PAGE_SIZE", 7)
    login(client, rolled, "admin")
    params = {"level": "country", "period": rolled.q1.pk}
    expected = Rollup.objects.filter(level="country", period=rolled.q1).count()

    seen, pages, url = [], [], None
    html = html_of(client.get(LIST, params))
    while True:
        pages.append(listed(html))
        seen += pages[-1]
        match = re.search(r'href="\?([^"]*after=[^"]*)" rel="next"', html)
        if not match:
            break
        url = LIST + "?" + match.group(1).replace("&amp;", "&")
        html = html_of(client.get(url))
    assert len(seen) == expected == len(set(seen))
    assert len(pages) == -(-expected // 7)
    # order: KPI code, then unit name (Argentina before Ecuador)
    rows = {r.pk: r for r in Rollup.objects.filter(pk__in=seen).select_related("kpi")}
    keys = [(rows[pk].kpi.code, rows[pk].unit_id != rolled.argentina.pk) for pk in seen]
    assert keys == sorted(keys)

    previous = re.search(r'href="\?([^"]*before=[^"]*)" rel="prev"', html)
    assert previous
    back = html_of(client.get(LIST + "?" + previous.group(1).replace("&amp;", "&")))
    assert listed(back) == pages[-2]


def test_readers_see_only_the_rows_of_their_scope(client, rolled):
    plans = kpi("thai-business-plans")
    login(client, rolled, "regional")  # Southern Cone: Argentina

    html = html_of(client.get(LIST, {"kpi": plans.pk, "period": rolled.q1.pk}))

    visible = set(Rollup.objects.filter(pk__in=listed(html)).values_list("level", "unit_id"))
    assert visible == {("region", rolled.southern_cone.pk), ("country", rolled.argentina.pk)}
    assert "Ecuador" not in html and "Latin America" not in html
    assert 'value="global"' not in html and 'value="program"' not in html
    clusters = {"kpi": plans.pk, "period": rolled.q1.pk, "level": "cluster"}
    html = html_of(client.get(LIST, clusters))
    assert listed_clusters(html) == {rolled.inside.pk, rolled.cordoba.pk}

    login(client, rolled, "bso_staff")
    html = html_of(client.get(LIST, {"kpi": plans.pk, "period": rolled.q1.pk}))
    assert listed(html) == []  # no total in a BSO's scope
    assert listed_clusters(html_of(client.get(LIST, clusters))) == {rolled.inside.pk}


def test_the_unit_select_offers_only_units_in_scope(client, rolled):
    login(client, rolled, "regional")
    units = select_of(html_of(client.get(LIST, {"level": "country"})), "unit")
    assert f'<option value="{rolled.argentina.pk}">Argentina</option>' in units
    assert "Ecuador" not in units

    # asking for an out-of-scope unit shows nothing of it
    html = html_of(client.get(LIST, {"level": "country", "unit": rolled.ecuador.pk}))
    assert "Select a valid choice" in html
    assert "Ecuador" not in html


def test_a_value_waiting_for_a_recompute_says_so(client, rolled):
    plans = kpi("thai-business-plans")
    mark_stale(kpi_ids=[plans.pk], period_ids=[rolled.q1.pk], reason="test")  # not processed
    login(client, rolled, "admin")

    html = html_of(client.get(LIST, {"level": "global", "period": rolled.q1.pk}))
    assert "Waiting for recompute" in row_html(html, row_of(plans.code, "global", 0, rolled.q1))
    assert "Waiting for recompute" not in row_html(
        html, row_of("thai-waste", "global", 0, rolled.q1)
    )
    # a stale quarter makes its year stale
    html = html_of(client.get(LIST, {"level": "global", "period": rolled.year.pk}))
    assert "Waiting for recompute" in row_html(html, row_of(plans.code, "global", 0, rolled.year))


def test_the_list_asks_for_a_sign_in(client, rolled):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_without_any_rollup_says_so(client, world):
    login(client, world, "admin")
    html = html_of(client.get(LIST))
    assert "No rolled-up values yet" in html


def test_the_list_takes_a_bounded_number_of_queries(client, rolled, django_assert_max_num_queries):
    assert Rollup.objects.count() >= 300
    for role in ("admin", "regional", "program_officer"):
        login(client, rolled, role)
        with django_assert_max_num_queries(7):
            html_of(client.get(LIST))
        with django_assert_max_num_queries(9):
            html_of(client.get(LIST, {"level": "country", "kpi": kpi("thai-waste").pk}))
    mark_stale(kpi_ids=[kpi("thai-waste").pk], period_ids=[rolled.q1.pk], reason="test")
    with django_assert_max_num_queries(8):  # the markers' periods too
        html_of(client.get(LIST))


# --- One number explained -----------------------------------------------------------------------


def test_the_explanation_lists_the_clusters_with_their_states_and_the_formula(client, rolled):
    login(client, rolled, "admin")
    row = row_of("thai-waste", Level.GLOBAL, 0, rolled.q1)

    html = html_of(client.get(detail_url(row)))

    assert "sum of numerators / sum of denominators x 100" in text(html).lower()
    assert "2 / 3 clusters reporting" in text(html)
    states = dict(re.findall(r'data-cluster="(\d+)" data-state="(\w+)"', html))
    assert states == {
        str(rolled.inside.pk): "approved",
        str(rolled.outside.pk): "approved",
        str(rolled.cordoba.pk): "pending",
    }
    mendoza = text(html.split(f'data-cluster="{rolled.inside.pk}"')[1].split("</tr>")[0])
    assert "Mendoza wine" in mendoza and "10%" in mendoza and "1 / 10" in mendoza
    assert "Approved" in mendoza
    assert "Pending approval" in html
    assert "outside your scope" not in html


def test_the_explanation_of_a_year_counts_quarters_and_a_missing_report(client, rolled):
    late = ClusterFactory(code="salta-tobacco", name="Salta tobacco", country=rolled.argentina)
    adopt_thai(late)
    mark_stale(kpi_ids=[kpi("thai-business-plans").pk], period_ids=None, reason="test")
    process_stale()
    login(client, rolled, "admin")
    row = row_of("thai-business-plans", Level.COUNTRY, rolled.argentina.pk, rolled.year)

    html = html_of(client.get(detail_url(row)))

    states = dict(re.findall(r'data-cluster="(\d+)" data-state="(\w+)"', html))
    assert states == {
        str(rolled.inside.pk): "approved",
        str(rolled.cordoba.pk): "pending",
        str(late.pk): "missing",
    }
    assert "1 of 4 quarters approved" in html
    assert "the year is the sum of its approved quarters" in html
    assert "No target is set at this level." in html  # targets were set for the quarter


def test_the_explanation_counts_clusters_outside_the_readers_scope(client, rolled):
    login(client, rolled, "program_officer")  # their program holds Mendoza only
    row = row_of("thai-business-plans", Level.COUNTRY, rolled.argentina.pk, rolled.q1)

    html = html_of(client.get(detail_url(row)))

    assert re.findall(r'data-cluster="(\d+)"', html) == [str(rolled.inside.pk)]
    assert "Córdoba" not in html
    assert "1 more cluster counts in this total but is outside your scope" in html
    assert "derived: sum of cluster targets" in html  # Mendoza's 10
    assert "50%" in text(html)


def test_an_explanation_outside_the_scope_is_not_found(client, rolled):
    login(client, rolled, "regional")
    for level, unit in (("country", rolled.ecuador.pk), ("region", rolled.latam.pk), ("global", 0)):
        row = row_of("thai-business-plans", level, unit, rolled.q1)
        assert client.get(detail_url(row)).status_code == 404
    assert client.get(reverse("rollup-detail", args=[999_999, 1, "global", 0])).status_code == 404


def test_the_explanation_shows_a_pending_recompute(client, rolled):
    row = row_of("thai-business-plans", Level.GLOBAL, 0, rolled.q1)
    mark_stale(kpi_ids=None, period_ids=[rolled.q1.pk], reason="test")
    login(client, rolled, "admin")
    html = html_of(client.get(detail_url(row)))
    assert "Waiting for recompute" in html and "data-stale" in html


def test_the_explanation_takes_a_bounded_number_of_queries(
    client, rolled, django_assert_max_num_queries
):
    for role, level, unit in (
        ("admin", Level.GLOBAL, 0),
        ("regional", Level.REGION, rolled.southern_cone.pk),
        ("program_officer", Level.COUNTRY, rolled.argentina.pk),
    ):
        login(client, rolled, role)
        for period in (rolled.q1, rolled.year):
            row = row_of("thai-waste", level, unit, period)
            # (the clusters' rows are computed on read: one query, plus on PostgreSQL one
            # for the statement's planner settings)
            with django_assert_max_num_queries(11):
                html_of(client.get(detail_url(row)))


# --- Full recomputes ----------------------------------------------------------------------------


def test_an_administrator_starts_a_full_recompute_and_follows_it(
    client, rolled, django_capture_on_commit_callbacks
):
    login(client, rolled, "admin")
    html = html_of(client.get(RUNS))
    assert "Recompute everything" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RUNS)

    run = RollupRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rollup-run-detail", args=[run.pk])
    run.refresh_from_db()
    assert run.status == RollupRun.Status.DONE and run.total > 0
    page = html_of(client.get(response["Location"]))
    assert f"{run.total} / {run.total} years recomputed" in text(page)
    assert f'<progress data-run-bar max="{run.total}" value="{run.total}"' in page
    assert 'src="/static/js/rollup-run.js"' in page
    assert f'data-url="{reverse("api:rolluprun-detail", args=[run.pk])}"' in page
    runs = text(row_html_run(html_of(client.get(RUNS)), run))
    assert "Done" in runs and f"{run.total} / {run.total}" in runs


def row_html_run(html: str, run: RollupRun) -> str:
    return html.split(f'data-run="{run.pk}"')[1].split("</tr>")[0]


def test_a_running_recompute_offers_a_refresh_and_lists_failures(client, rolled):
    run = RollupRun.objects.create(total=3, started_by=rolled.users["admin"])
    states = ["done", "failed", "pending"]
    for year, state in zip([2023, 2024, 2025], states, strict=True):
        run.items.create(year=year, state=state, error="boom" if state == "failed" else "")
    login(client, rolled, "admin")

    html = html_of(client.get(reverse("rollup-run-detail", args=[run.pk])))

    assert 'data-status="running"' in html
    assert "1 / 3 years recomputed" in text(html) and "1 failed" in text(html)
    assert 'max="3" value="2"' in html
    assert "Refresh" in html
    assert 'data-error-year="2024"' in html and "boom" in html
    failed = text(row_html_run(html_of(client.get(RUNS)), run))
    assert "Running" in failed and "1 / 3" in failed and "1" in failed


@pytest.mark.parametrize("role", ["program_officer", "regional", "ministry", "bso_staff"])
def test_other_roles_are_told_that_only_administrators_recompute(client, rolled, role):
    run = RollupRun.objects.create(total=0)
    login(client, rolled, role)

    for response in (
        client.get(RUNS),
        client.post(RUNS),
        client.get(reverse("rollup-run-detail", args=[run.pk])),
    ):
        assert response.status_code == 403
        assert "Only administrators recompute the rollups" in response.content.decode()
    assert RollupRun.objects.count() == 1


def test_the_runs_page_asks_for_a_sign_in(client, rolled):
    assert client.get(RUNS).status_code == 302
    assert client.post(RUNS).status_code == 302
    assert not RollupRun.objects.exists()


def test_the_runs_list_takes_a_bounded_number_of_queries(
    client, rolled, django_assert_max_num_queries
):
    for _ in range(5):
        run = RollupRun.objects.create(total=2)
        run.items.create(year=2024, state="done")
        run.items.create(year=2025, state="failed", error="x")
    login(client, rolled, "admin")
    with django_assert_max_num_queries(4):
        html_of(client.get(RUNS))


def test_the_progress_scripts_are_vendored_and_served():
    bodies = {}
    for name in ("js/rollup-run.js", "js/progress-poll.js"):
        assert finders.find(name)
        response = serve(RequestFactory().get(f"/static/{name}"), name, insecure=True)
        bodies[name] = b"".join(response.streaming_content).decode()
        assert "http://" not in bodies[name] and "https://" not in bodies[name]  # no CDN
    # the page's script follows the run every 2 s through the shared polling loop
    assert "pollProgress" in bodies["js/rollup-run.js"] and "2000" in bodies["js/rollup-run.js"]
    assert "fetch(" in bodies["js/progress-poll.js"]
    assert "same-origin" in bodies["js/progress-poll.js"]


def test_a_link_to_a_number_survives_a_recompute(client, rolled):
    from monitoring.rollups.engine import recompute_kpi

    login(client, rolled, "admin")
    url = detail_url(row_of("thai-waste", Level.GLOBAL, 0, rolled.q1))
    recompute_kpi(kpi_id=kpi("thai-waste").pk)
    assert client.get(url).status_code == 200


# --- Downloads --------------------------------------------------------------------------------


def csv_table(response) -> list[dict]:
    """The rows of a CSV download, keyed by header."""
    import csv
    import io

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_table(response) -> list[dict]:
    import io

    from openpyxl import load_workbook

    assert response.status_code == 200
    header, *rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_download_holds_the_pages_values_with_their_coverage(client, rolled):
    login(client, rolled, "admin")
    params = {"kpi": kpi("thai-business-plans").pk, "period": rolled.q1.pk}
    html = html_of(client.get(LIST, params))

    rows = csv_table(client.get(LIST, {**params, "format": "csv"}))

    assert len(rows) == len(listed(html)) == 7  # 2 countries, 2 regions, 2 programs, global
    glob, argentina = rows[0], next(r for r in rows if r["Unit"] == "Argentina")
    assert (glob["Level"], glob["Unit"], glob["Period"]) == ("Global", "All", "2025-Q1")
    assert glob["KPI code"] == "thai-business-plans"
    assert Decimal(glob["Value"]) == 12  # 5 + 7; Córdoba's 100 is not approved
    assert (glob["Clusters reporting"], glob["Clusters expected"]) == ("2", "3")
    assert glob["As of"]
    # 5 of a derived target of 10 (the sum of the cluster targets below): 50 %, off track
    assert Decimal(argentina["Value"]) == 5 and Decimal(argentina["Target"]) == 10
    assert argentina["Target derived from cluster targets"] == "yes"
    assert Decimal(argentina["Achievement (%)"]) == 50 and argentina["Status"] == "Off track"
    assert (argentina["Clusters reporting"], argentina["Clusters expected"]) == ("1", "2")
    assert "?kpi=" in html and "format=csv" in html and "format=xlsx" in html
    clusters = csv_table(client.get(LIST, {**params, "level": "cluster", "format": "csv"}))
    assert len(clusters) == 3
    cordoba = next(r for r in clusters if r["Unit"] == "Córdoba software")
    assert cordoba["Value"] == "" and cordoba["Clusters reporting"] == "0"


def test_the_download_holds_every_row_of_the_period_in_the_pages_order(client, rolled):
    login(client, rolled, "admin")
    first_page = listed(html_of(client.get(LIST, {"period": rolled.q1.pk})))

    rows = csv_table(client.get(LIST, {"period": rolled.q1.pk, "format": "csv", "after": "x"}))

    assert len(rows) == Rollup.objects.filter(period=rolled.q1).count()
    assert len(rows) > rollup_views.PAGE_SIZE
    page_rows = Rollup.objects.select_related("kpi").in_bulk(first_page)
    assert [(r["KPI code"], r["Level"]) for r in rows[: len(first_page)]] == [
        (page_rows[pk].kpi.code, LEVEL_LABELS[page_rows[pk].level])
        if page_rows[pk].level != Level.GLOBAL
        else (page_rows[pk].kpi.code, "Global")
        for pk in first_page
    ]
    assert all(r["Clusters reporting"] != "" and r["Clusters expected"] != "" for r in rows)


def test_the_download_holds_only_the_rows_of_the_readers_scope(client, rolled):
    plans = kpi("thai-business-plans")
    login(client, rolled, "regional")  # Southern Cone: Argentina

    params = {"kpi": plans.pk, "period": rolled.q1.pk, "format": "csv"}
    rows = csv_table(client.get(LIST, params))
    rows += csv_table(client.get(LIST, {**params, "level": "cluster"}))

    assert {(r["Level"], r["Unit"]) for r in rows} == {
        ("Region", "Southern Cone"),
        ("Country", "Argentina"),
        ("Cluster", "Mendoza wine"),
        ("Cluster", "Córdoba software"),
    }

    login(client, rolled, "bso_staff")
    params = {"period": rolled.q1.pk, "format": "csv"}
    # BSO staff read no total: the list opens on their clusters' own values
    assert {(r["Level"], r["Unit"]) for r in csv_table(client.get(LIST, params))} == {
        ("Cluster", "Mendoza wine")
    }
    rows = csv_table(client.get(LIST, {**params, "level": "cluster"}))
    assert {(r["Level"], r["Unit"]) for r in rows} == {("Cluster", "Mendoza wine")}


def test_totals_for_bso_staff_show_their_clusters_values(client, rolled):
    login(client, rolled, "bso_staff")

    response = client.get(LIST)

    assert response.status_code == 200
    assert response.context["period"] == rolled.q1
    units = {line.unit_name for line in response.context["lines"]}
    assert units == {"Mendoza wine"}


def test_totals_for_bso_staff_without_approved_reports_say_why(client, rolled):
    Report.objects.filter(cluster__name="Mendoza wine").update(state=Report.State.SUBMITTED)
    login(client, rolled, "bso_staff")

    response = client.get(LIST)

    assert response.context["period"] is None
    assert "data-why-empty" in response.content.decode()


def test_the_download_neutralises_formulas_and_keeps_numbers_numeric_in_xlsx(client, rolled):
    rolled.inside.name = "=cmd"
    rolled.inside.save()
    login(client, rolled, "admin")
    params = {"kpi": kpi("thai-business-plans").pk, "period": rolled.q1.pk, "level": "cluster"}

    csv_rows = csv_table(client.get(LIST, {**params, "format": "csv"}))
    rows = xlsx_table(client.get(LIST, {**params, "format": "xlsx"}))

    assert "'=cmd" in {r["Unit"] for r in csv_rows}
    mendoza = next(r for r in rows if r["Unit"] == "'=cmd")
    assert mendoza["Value"] == 5 and isinstance(mendoza["Value"], int | float)
    assert mendoza["Target"] == 10 and mendoza["Achievement (%)"] == 50
    assert (mendoza["Clusters reporting"], mendoza["Clusters expected"]) == (1, 1)
    assert isinstance(mendoza["As of"], datetime.datetime)


def test_the_download_without_any_rollup_is_an_empty_table(client, world):
    login(client, world, "admin")

    assert csv_table(client.get(LIST, {"format": "csv"})) == []


def test_the_download_takes_the_same_queries_for_few_or_many_rows(
    client, rolled, django_assert_max_num_queries
):
    login(client, rolled, "admin")
    few_params = {"kpi": kpi("thai-waste").pk, "level": "global", "format": "xlsx"}
    with django_assert_max_num_queries(8):
        few = xlsx_table(client.get(LIST, few_params))
    with django_assert_max_num_queries(8):
        many = xlsx_table(client.get(LIST, {"format": "xlsx"}))
    login(client, rolled, "program_officer")
    with django_assert_max_num_queries(8):
        scoped = xlsx_table(client.get(LIST, {"format": "xlsx"}))

    assert len(few) == 1 and len(many) > 100 and 0 < len(scoped) < len(many)


def test_a_recompute_run_in_process_opens_on_its_result_and_says_why(
    client, rolled, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # `make run`: no worker, tasks in the web process
    login(client, rolled, "admin")
    assert "data-in-process" in html_of(client.get(RUNS))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RUNS)
    run = RollupRun.objects.get()
    page = html_of(client.get(response["Location"]))
    assert "data-run-result" in page
    assert f"{run.total} of {run.total} years recomputed in" in text(page)
    assert "data-in-process" in page


def test_a_finished_run_with_a_worker_shows_its_result_without_the_in_process_note(
    client, rolled, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    run = RollupRun.objects.create(total=1, started_by=rolled.users["admin"])
    run.items.create(year=2025, state="done")
    run.finished_at, run.status = run.started_at, RollupRun.Status.DONE
    run.save()
    login(client, rolled, "admin")
    page = html_of(client.get(reverse("rollup-run-detail", args=[run.pk])))
    assert "1 of 1 years recomputed in" in text(page)
    assert "data-in-process" not in page
