"""The cluster dashboard: one cluster's profile, latest approved scorecard with trends, reports,
activities, committee and funding; its scope (404 outside it), downloads and query count."""

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bsos.models import ClusterSupport
from clusters.models import ActionItem
from monitoring.models import Report
from monitoring.models.activities import Activity
from monitoring.rollups.staleness import process_stale
from programs.models import Enrolment
from scorecards.models import CSF, Baseline, Level, Period, Target
from scorecards.services import own_kpi_decide, own_kpi_propose, periods_generate
from tests.dashboards.conftest import kpi
from tests.factories import BSOFactory, ProgramFactory
from tests.monitoring.activity_data import make_activity
from tests.monitoring.rollup_reference import report_with

# The most queries the page may make (session and user included): 33 today, whatever the number
# of KPIs, periods, reports, activities or action items; a little room for the rollup engine's
# rework of cluster_rollups (its row count must not matter either).
QUERY_BOUND = 38


def page_url(cluster) -> str:
    return reverse("dashboard-cluster", args=[cluster.pk])


def row_html(html: str, code: str) -> str:
    """The scorecard row of a KPI, its trend's table included (up to the next KPI or table)."""
    assert f'<tr data-kpi="{code}">' in html, code
    rest = html.split(f'<tr data-kpi="{code}">', 1)[1]
    return re.split(r'<tr data-kpi=|class="table-wrap|class="perspective', rest, maxsplit=1)[0]


def cell(row: str, name: str) -> str:
    match = re.search(rf'data-cell="{name}"[^>]*>(.*?)</(?:td|span)>', row, re.S)
    assert match, name
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def cluster_dash(dash):
    """`inside` (Mendoza wine) with 2025-Q1 approved (thai-lean 5, from `dash`), 2025-Q2
    approved (thai-lean 8, baseline 2, target 10), 2025-Q3 submitted and the year 2025
    approved; two activities (one titled like a formula) and its committee's action item."""
    q2, q3 = dash.p["q2"], dash.p["q3"]
    lean = kpi("thai-lean")
    Baseline.objects.create(cluster=dash.inside, kpi=lean, year=2024, value=Decimal(2))
    Target.objects.create(
        kpi=lean, period=q2, level=Level.CLUSTER, cluster=dash.inside, value=Decimal(10)
    )
    report_with(dash.inside, q2, {"thai-lean": 8})
    report_with(dash.inside, q3, {"thai-lean": 11}, state=Report.State.SUBMITTED)
    report_with(dash.inside, dash.p["year"])
    process_stale()
    make_activity(
        dash.inside,
        dash.bso,
        date=datetime.date(2025, 5, 4),
        title="Lean workshop for wineries",
        cost_program=300,
        cost_firms=100,
    )
    make_activity(
        dash.inside,
        dash.bso,
        date=datetime.date(2025, 6, 1),
        title='=HYPERLINK("http://evil")',
        cost_program=10,
        cost_firms=10,
    )
    return dash


# --- What the page shows ------------------------------------------------------------------------


def test_a_bso_user_sees_the_whole_picture_of_a_cluster_in_scope(cluster_dash, client):
    client.force_login(cluster_dash.users["bso_staff"])

    response = client.get(page_url(cluster_dash.inside))

    assert response.status_code == 200
    html = response.content.decode()
    # profile: country, life-cycle stage, its BSO and program
    assert "Argentina" in html
    assert cluster_dash.inside.get_lifecycle_stage_display() in html
    assert "Bodegas de Argentina" in html
    assert cluster_dash.program.name in html
    # the latest approved quarter (Q2, not the submitted Q3) and the year
    assert 'data-period="2025-Q2"' in html and 'data-period="2025"' in html
    assert 'data-period="2025-Q3"' not in html
    row = row_html(html, "thai-lean")
    assert cell(row, "value") == "8"
    assert cell(row, "status") == "At risk"
    # the trend: a chart and its numbers as text, Q1's 5 and Q2's 8
    assert "<svg" in row
    assert re.search(r'data-trend-period="2025-Q1">.*?>5\s*<', row, re.S)
    assert re.search(r'data-trend-period="2025-Q2">.*?>8\s*<', row, re.S)
    # report states, linking to the reports
    q3_report = Report.objects.get(cluster=cluster_dash.inside, period=cluster_dash.p["q3"])
    assert re.search(r'data-report="2025-Q3">.*?Submitted', html, re.S)
    assert f'href="{q3_report.get_absolute_url()}"' in html
    # the latest activities and the full timeline
    assert "Lean workshop for wineries" in html
    assert reverse("cluster-activities", args=[cluster_dash.inside.pk]) in html
    # the committee's open action item and the funding
    assert cluster_dash.committees["inside"].item.title in html
    assert 'data-year="2025"' in html


def test_achievement_runs_from_the_baseline_to_the_target(cluster_dash, client):
    client.force_login(cluster_dash.users["bso_staff"])

    html = client.get(page_url(cluster_dash.inside)).content.decode()

    row = row_html(html, "thai-lean")
    # Q2: (actual 8 - baseline 2) / (target 10 - baseline 2) = 6 / 8 = 75%: exactly the amber
    # threshold (without the baseline it would be 8 / 10 = 80%)
    assert (cell(row, "target"), cell(row, "baseline")) == ("10", "2")
    assert cell(row, "achievement-value") == "75%"
    assert cell(row, "status") == "At risk"


def test_a_ratio_kpi_trend_holds_the_clusters_ratio(cluster_dash, client):
    client.force_login(cluster_dash.users["program_officer"])

    html = client.get(page_url(cluster_dash.inside)).content.decode()

    # Q1: 4 returns of 6 orders x 100 = 66.7%; Q2 had the filler 1 / 2 = 50%
    row = row_html(html, "thai-returns")
    assert re.search(r'data-trend-period="2025-Q1">.*?66\.7%', row, re.S)
    assert re.search(r'data-trend-period="2025-Q2">.*?50%', row, re.S)


def test_the_clusters_own_kpis_show_their_value_without_a_trend(dash, client):
    scorecard = Report.objects.get(cluster=dash.inside, period=dash.p["q1"]).scorecard
    own = own_kpi_propose(
        scorecard=scorecard,
        csf=CSF.objects.filter(perspective__template=scorecard.template).first(),
        data={
            "code": "mendoza-wine-tourists",
            "name": "Wine tourists",
            "unit": "count",
            "aggregation": "sum",
            "time_aggregation": "sum",
        },
        user=dash.users["bso_staff"],
    )
    own_kpi_decide(kpi=own, accept=True, user=dash.users["program_officer"])
    report_with(dash.inside, dash.p["q2"], {"mendoza-wine-tourists": 420})
    process_stale()
    client.force_login(dash.users["bso_staff"])

    html = client.get(page_url(dash.inside)).content.decode()

    row = row_html(html, "mendoza-wine-tourists")
    assert "Own KPI" in row
    assert cell(row, "value") == "420"
    assert "No trend" in row and "<svg" not in row


def test_a_cluster_without_an_approved_report_shows_the_rest(world, client):
    client.force_login(world.users["bso_staff"])

    response = client.get(page_url(world.inside))

    assert response.status_code == 200
    assert response.context["d"].scorecards == []
    assert "No approved report of this cluster holds KPI values yet" in response.content.decode()


def test_a_ministry_sees_only_approved_reports(cluster_dash, client):
    client.force_login(cluster_dash.users["ministry"])

    html = client.get(page_url(cluster_dash.inside)).content.decode()

    assert 'data-report="2025-Q2"' in html
    assert 'data-report="2025-Q3"' not in html  # submitted, not approved yet


# --- Scope --------------------------------------------------------------------------------------


def test_a_cluster_outside_the_scope_answers_404(cluster_dash, client):
    client.force_login(cluster_dash.users["bso_staff"])

    assert client.get(page_url(cluster_dash.outside)).status_code == 404
    assert client.get(page_url(cluster_dash.outside), {"format": "csv"}).status_code == 404
    assert client.get(reverse("dashboard-cluster", args=[999999])).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(cluster_dash, client):
    url = page_url(cluster_dash.inside)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


def test_programs_outside_the_users_scope_are_not_listed(cluster_dash, client):
    other = ProgramFactory(code="other-program", name="Another funder's program")
    Enrolment.objects.create(
        program=other, cluster=cluster_dash.inside, enrolled_from=datetime.date(2021, 1, 1)
    )
    client.force_login(cluster_dash.users["program_officer"])

    html = client.get(page_url(cluster_dash.inside)).content.decode()

    assert cluster_dash.program.name in html
    assert "Another funder&#x27;s program" not in html


# --- Downloads ----------------------------------------------------------------------------------


def test_the_activities_download_neutralises_a_formula_cell(cluster_dash, client):
    client.force_login(cluster_dash.users["bso_staff"])

    rows = csv_rows(
        client.get(page_url(cluster_dash.inside), {"format": "csv", "table": "activities"})
    )

    assert rows[0][:2] == ["Date", "Title"]
    titles = [r[1] for r in rows[1:]]
    assert titles == ['\'=HYPERLINK("http://evil")', "Lean workshop for wineries"]
    assert rows[2][7] == "400.00"  # 300 from the program + 100 from the firms


def test_the_scorecard_download_holds_the_pages_numbers(cluster_dash, client):
    client.force_login(cluster_dash.users["bso_staff"])

    rows = csv_rows(
        client.get(page_url(cluster_dash.inside), {"format": "csv", "table": "scorecard"})
    )

    header = rows[0]
    lean = dict(zip(header, next(r for r in rows if r[3] == "thai-lean"), strict=True))
    assert (lean["Period"], lean["Value"], lean["Target"], lean["Baseline"]) == (
        "2025-Q2",
        "8",
        "10",
        "2",
    )
    assert (lean["Achievement (%)"], lean["Status"]) == ("75", "At risk")


def test_the_trends_download_holds_each_period(cluster_dash, client):
    client.force_login(cluster_dash.users["bso_staff"])

    rows = csv_rows(client.get(page_url(cluster_dash.inside), {"format": "csv", "table": "trends"}))

    lean = [(r[2], Decimal(r[3]), r[4]) for r in rows[1:] if r[0] == "thai-lean"]
    assert lean == [("2025-Q1", 5, "yes"), ("2025-Q2", 8, "yes")]


@pytest.mark.parametrize(
    "table", ["scorecard", "trends", "reports", "activities", "action-items", "funding"]
)
def test_every_table_downloads_as_xlsx(cluster_dash, client, table):
    client.force_login(cluster_dash.users["bso_staff"])

    response = client.get(page_url(cluster_dash.inside), {"format": "xlsx", "table": table})

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'cluster-mendoza-wine-{table}.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row >= 2  # headers and at least one row


def test_an_unknown_table_answers_404(cluster_dash, client):
    client.force_login(cluster_dash.users["bso_staff"])

    response = client.get(page_url(cluster_dash.inside), {"format": "csv", "table": "users"})

    assert response.status_code == 404


# --- Links to the page --------------------------------------------------------------------------


def test_the_cluster_page_and_the_role_dashboards_link_to_it(cluster_dash, client):
    url = page_url(cluster_dash.inside)
    client.force_login(cluster_dash.users["bso_staff"])
    assert f'href="{url}"' in client.get(cluster_dash.inside.get_absolute_url()).content.decode()
    assert f'href="{url}"' in client.get(reverse("dashboard-bso")).content.decode()

    Target.objects.create(  # a red KPI in the latest approved report: on the officer's list
        kpi=kpi("thai-retail-outlets"),
        period=cluster_dash.p["year"],
        level=Level.CLUSTER,
        cluster=cluster_dash.inside,
        value=Decimal(1000),
    )
    client.force_login(cluster_dash.users["program_officer"])
    assert f'href="{url}"' in client.get(reverse("dashboard-officer")).content.decode()


# --- Queries ------------------------------------------------------------------------------------


def add_history(dash, *, activities: int = 60, items: int = 15, bsos: int = 5) -> None:
    """Make an N+1 show: every quarter of 2024 and 2025 and the years 2024 and 2025 approved for
    `inside` (every KPI of the Thai Food scorecard filled: 8 quarters of trend for each), the
    periods of 2023 (no values), many activities over three years, action items (some
    overdue), BSOs and program enrolments."""
    periods_generate(first_year=2023, last_year=2025)
    for period in Period.objects.filter(year=2024).order_by("ends_on", "quarter"):
        values = {"thai-lean": period.quarter + 1} if period.is_quarter else {}
        report_with(dash.inside, period, values)
    report_with(dash.inside, dash.p["q4"])
    process_stale()
    Activity.objects.bulk_create(
        Activity(
            cluster=dash.inside,
            bso=dash.bso,
            date=datetime.date(2023, 1, 1) + datetime.timedelta(days=13 * i),
            type="workshop",
            title=f"Activity {i}",
            cost_program=Decimal(100),
            cost_firms=Decimal(i),
            cost_public=Decimal(0),
            cost_credit=Decimal(0),
            currency="USD",
        )
        for i in range(activities)
    )
    committee = dash.committees["inside"]
    ActionItem.objects.bulk_create(
        ActionItem(
            committee=committee.committee,
            title=f"Item {i}",
            owner=committee.member,
            due_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=90 * i),
        )
        for i in range(items)
    )
    for i in range(bsos):
        ClusterSupport.objects.create(
            bso=BSOFactory(code=f"bso-{i}", country=dash.argentina),
            cluster=dash.inside,
            role=ClusterSupport.Role.PARTNER,
            since=datetime.date(2021, 1, 1),
        )
        Enrolment.objects.create(
            program=dash.program, cluster=dash.inside, enrolled_from=datetime.date(2010 + i, 1, 1)
        )


def count_queries(client, dash) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page_url(dash.inside)).status_code == 200
    return len(captured)


def test_the_page_makes_a_bounded_number_of_queries_with_a_long_history(
    cluster_dash, client, django_assert_max_num_queries
):
    add_history(cluster_dash)
    client.force_login(cluster_dash.users["bso_staff"])

    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(page_url(cluster_dash.inside))

    assert response.status_code == 200
    d = response.context["d"]
    # the data is really on the page: 8 quarters of trend for every quarterly KPI, 10 activities
    quarterly = d.scorecards[0]
    assert quarterly.period.label == "2025-Q4"
    assert len(quarterly.lines) >= 5
    assert all(len(line.trend) == 8 for line in quarterly.lines)
    assert len(d.scorecards[1].lines[0].trend) == 3  # the years 2023, 2024, 2025
    assert len(d.activities) == 10 and len(d.committee.open_items) == 16


def test_the_number_of_queries_does_not_grow_with_the_history(cluster_dash, client):
    client.force_login(cluster_dash.users["bso_staff"])
    few = count_queries(client, cluster_dash)

    add_history(cluster_dash)

    assert count_queries(client, cluster_dash) == few


def test_one_achievement_everywhere_with_its_formula(cluster_dash, client, api_client):
    """Mendoza 2025-Q2 lean: actual 8, target 10, baseline 2: (8 - 2) / (10 - 2) = 75%, at risk,
    the same on the cluster dashboard, the scorecard, the explanation, its download and the API,
    each page opening on the same formula."""
    mendoza, q2, lean = cluster_dash.inside, cluster_dash.p["q2"], kpi("thai-lean")
    user = cluster_dash.users["program_officer"]
    client.force_login(user)
    api_client.force_authenticate(user)
    explanation = reverse("rollup-detail", args=[lean.pk, q2.pk, "cluster", mendoza.pk])
    scorecard = reverse("cluster-scorecard", args=[mendoza.pk]) + f"?period={q2.pk}"
    minus = "\N{MINUS SIGN}"
    formula = "(actual - baseline) / (target - baseline) = (8 - 2) / (10 - 2) = 75%"

    pages = {
        "dashboard": row_html(client.get(page_url(mendoza)).content.decode(), "thai-lean"),
        "scorecard": client.get(scorecard).content.decode().split('data-kpi="thai-lean"')[1],
        "explanation": client.get(explanation).content.decode(),
    }
    for name, html in pages.items():
        shown = " ".join(re.sub(r"<[^>]+>", " ", html).split())
        assert cell(html, "achievement-value") == "75%", name
        assert formula.replace("-", minus) in shown, name
    assert cell(pages["dashboard"], "status") == "At risk"
    key = {"kpi": lean.pk, "period": q2.pk, "level": "cluster", "unit": mendoza.pk}
    found = api_client.get(reverse("api:rollup-explain-at"), key).json()["rollup"]
    assert (Decimal(found["achievement_percent"]), found["status"]) == (75, "amber")
    scores = api_client.get(reverse("api:scores"), {"cluster": mendoza.pk, "period": q2.pk})
    kpis = [k for p in scores.json()["perspectives"] for c in p["csfs"] for k in c["kpis"]]
    (scored,) = [k for k in kpis if k["code"] == "thai-lean"]
    assert (Decimal(scored["achievement_percent"]), scored["status"]) == (75, "amber")
    download = client.get(
        reverse("rollup-list"),
        {"kpi": lean.pk, "period": q2.pk, "level": "cluster", "format": "csv"},
    )
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    (row,) = [r for r in rows if r["Unit"] == "Mendoza wine"]
    assert (row["Achievement (%)"], row["Status"]) == ("75.0", "At risk")
