"""The report page asks for the parts a KPI is split by (age groups, firm sizes, ownership),
saves them, flags parts that do not add up, and shows them once the report is read-only."""

import pytest
from django.urls import reverse

from monitoring.models import Flag, MeasurementSplit
from monitoring.reports.services import report_transition
from scorecards.models import KPI
from tests.monitoring.test_rollup_splits import age_groups
from tests.monitoring.test_views_reports import full_post

CODE = "thai-skills-participants"  # a count split by sex in the Thai Food scorecard


@pytest.fixture
def bso(client, thai):
    age_groups()
    KPI.objects.filter(code=CODE).update(by_age=True, by_firm_size=True)
    client.force_login(thai.users["bso_staff"])
    return client


def url(report):
    return reverse("report-detail", args=[report.pk])


def part(kpi_id, dimension, category):
    return f"kpi-{kpi_id}-split-{dimension}-{category}"


def test_the_page_asks_for_the_parts_of_the_dimensions_the_kpi_is_split_by(bso, thai):
    html = bso.get(url(thai.report)).content.decode()
    kpi_id = KPI.objects.get(code=CODE).pk
    block = html.split(f'data-kpi="{CODE}"')[1].split("</fieldset>\n          </fieldset>")[0]
    assert f'name="{part(kpi_id, "age", "youth")}"' in block
    assert f'name="{part(kpi_id, "firm_size", "micro")}"' in block
    assert f'name="{part(kpi_id, "ownership", "women_led")}"' not in html  # not asked for
    assert "Age group: parts of the total" in block
    # a KPI not split asks for no part
    other = KPI.objects.get(code="thai-lean").pk
    assert f"kpi-{other}-split-" not in html


def test_parts_are_saved_and_those_not_adding_up_flagged(bso, thai):
    kpi_id = KPI.objects.get(code=CODE).pk
    # women 3 + men 2 = 5; youth 2 + 25-34 2 = 4 (35+ left empty): flagged; micro 5: adds up
    data = full_post(
        thai.report,
        **{
            part(kpi_id, "age", "youth"): "2",
            part(kpi_id, "age", "25-34"): "2",
            part(kpi_id, "age", "35-plus"): "",
            part(kpi_id, "firm_size", "micro"): "5",
        },
    )
    response = bso.post(url(thai.report), data)
    assert response.status_code == 302
    m = thai.report.measurements.get(kpi_id=kpi_id)
    assert m.parts == {"age": {"youth": 2, "25-34": 2}, "firm_size": {"micro": 5}}
    (flag,) = Flag.objects.filter(measurement=m)
    assert (flag.rule, flag.message) == ("parts", "parts add up to age group 4, total 5")
    # the page shows the parts back in their inputs
    html = bso.get(url(thai.report)).content.decode()
    assert f'name="{part(kpi_id, "age", "youth")}" value="2"' in html


def test_a_part_that_is_not_a_count_comes_back_beside_its_input(bso, thai):
    kpi_id = KPI.objects.get(code=CODE).pk
    data = full_post(thai.report, **{part(kpi_id, "age", "youth"): "1.5"})
    response = bso.post(url(thai.report), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id-{part(kpi_id, "age", "youth")}-error" data-server="1"' in html
    assert not MeasurementSplit.objects.exists()


def test_a_submitted_report_shows_its_parts(bso, thai):
    kpi_id = KPI.objects.get(code=CODE).pk
    data = full_post(
        thai.report,
        **{part(kpi_id, "age", "youth"): "5", part(kpi_id, "firm_size", "small"): "5"},
    )
    bso.post(url(thai.report), data)
    report_transition(report=thai.report, action="submit", user=thai.users["bso_staff"])
    html = bso.get(url(thai.report)).content.decode()
    assert 'data-dimension="age">Age group: Youth (15-24) 5</small>' in html
    assert 'data-dimension="firm_size">Firm size: Small (11-50 employees) 5</small>' in html


def test_the_page_with_parts_runs_a_bounded_number_of_queries(
    bso, thai, django_assert_max_num_queries
):
    with django_assert_max_num_queries(21):  # the report page's 20, and the age groups
        assert bso.get(url(thai.report)).status_code == 200
