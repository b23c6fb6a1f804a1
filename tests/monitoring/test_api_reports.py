"""Reports through the API: scope, review actions, values with per-field errors and conflicts."""

import pytest
from django.urls import reverse

from monitoring.reports.services import report_open, report_transition
from scorecards.models import KPI, Period, Template
from scorecards.services import scorecard_adopt
from tests.factories import ClusterFactory, ClusterSupportFactory

ROLES = ["bso_staff", "program_officer", "ministry", "regional", "admin"]


def kpi_id(code):
    return KPI.objects.get(code=code).pk


def filled_rows(report):
    rows = {}
    for m in report.measurements.select_related("kpi"):
        if m.kpi.is_ratio:
            rows[str(m.kpi_id)] = {"numerator": "3", "denominator": "12"}
        elif m.kpi.by_sex:
            rows[str(m.kpi_id)] = {"value_women": "6", "value_men": "4"}
        else:
            rows[str(m.kpi_id)] = {"value": "2"}
    return {"values": rows}


@pytest.fixture
def outside_report(thai):
    scorecard_adopt(
        cluster=thai.outside,
        template=Template.objects.get(code="thai-food"),
        on=thai.q1.starts_on,
    )
    return report_open(cluster=thai.outside, period=thai.q1)


def as_user(api_client, world, role):
    api_client.force_authenticate(world.users[role])
    return api_client


@pytest.mark.parametrize("role", ROLES)
def test_report_list_holds_the_users_scope(api_client, thai, outside_report, role):
    ids = {
        r["id"]
        for r in as_user(api_client, thai, role).get(reverse("api:report-list")).json()["results"]
    }
    if role == "admin":
        assert ids == {thai.report.pk, outside_report.pk}
    elif role in ("ministry", "regional"):
        assert ids == set()  # drafts are not theirs to see
    else:
        assert ids == {thai.report.pk}


@pytest.mark.parametrize("role", ["bso_staff", "program_officer", "ministry", "regional"])
def test_a_report_outside_the_scope_answers_404(api_client, thai, outside_report, role):
    client = as_user(api_client, thai, role)
    assert client.get(reverse("api:report-detail", args=[outside_report.pk])).status_code == 404
    response = client.post(reverse("api:report-approve", args=[outside_report.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["ministry", "regional"])
def test_authorities_read_approved_reports_only(api_client, thai, role):
    client = as_user(api_client, thai, role)
    url = reverse("api:report-detail", args=[thai.report.pk])
    assert client.get(url).status_code == 404
    bso, officer = thai.users["bso_staff"], thai.users["program_officer"]
    as_user(api_client, thai, "bso_staff").put(
        reverse("api:report-values", args=[thai.report.pk]), filled_rows(thai.report), format="json"
    )
    report_transition(report=thai.report, action="submit", user=bso)
    report_transition(report=thai.report, action="approve", user=officer)
    client = as_user(api_client, thai, role)
    assert client.get(url).status_code == 200


def test_the_whole_review_through_the_api(api_client, thai):
    report_url = reverse("api:report-detail", args=[thai.report.pk])
    bso = as_user(api_client, thai, "bso_staff")
    put = bso.put(
        reverse("api:report-values", args=[thai.report.pk]), filled_rows(thai.report), format="json"
    )
    assert put.status_code == 200, put.json()
    assert (
        bso.post(reverse("api:report-submit", args=[thai.report.pk])).json()["state"] == "submitted"
    )

    officer = as_user(api_client, thai, "program_officer")
    refused = officer.post(reverse("api:report-return", args=[thai.report.pk]), {}, format="json")
    assert refused.status_code == 400
    assert "comment" in refused.json()
    returned = officer.post(
        reverse("api:report-return", args=[thai.report.pk]), {"comment": "Turnover looks high"}
    )
    assert returned.json()["state"] == "returned"

    bso = as_user(api_client, thai, "bso_staff")
    assert bso.post(reverse("api:report-submit", args=[thai.report.pk])).status_code == 200
    officer = as_user(api_client, thai, "program_officer")
    assert (
        officer.post(reverse("api:report-approve", args=[thai.report.pk])).json()["state"]
        == "approved"
    )

    detail = officer.get(report_url).json()
    assert [t["action"] for t in detail["transitions"]] == ["submit", "return", "submit", "approve"]
    assert detail["transitions"][1]["comment"] == "Turnover looks high"
    assert detail["transitions"][1]["by"] == "officer"


def test_bso_staff_cannot_approve_their_own_report(api_client, thai):
    bso = as_user(api_client, thai, "bso_staff")
    bso.put(
        reverse("api:report-values", args=[thai.report.pk]), filled_rows(thai.report), format="json"
    )
    bso.post(reverse("api:report-submit", args=[thai.report.pk]))
    assert bso.post(reverse("api:report-approve", args=[thai.report.pk])).status_code == 403


def test_bad_values_get_per_field_errors_and_nothing_is_saved(api_client, thai):
    bso = as_user(api_client, thai, "bso_staff")
    lean, turnover = kpi_id("thai-lean"), kpi_id("thai-staff-turnover")
    response = bso.put(
        reverse("api:report-values", args=[thai.report.pk]),
        {
            "values": {
                str(kpi_id("thai-jit")): {"value": "4"},
                str(lean): {"value": "NaN"},
                str(turnover): {"numerator": "1", "denominator": "0"},
            }
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {f"{lean}.value", f"{turnover}.denominator"}
    assert not thai.report.measurements.exclude(value=None).exists()


def test_a_value_changed_by_someone_else_is_a_409(api_client, thai):
    m = thai.report.measurements.get(kpi__code="thai-lean")
    url = reverse("api:measurement-detail", args=[m.pk])
    bso = as_user(api_client, thai, "bso_staff")
    assert bso.patch(url, {"value": "5", "revision": 0}, format="json").json()["revision"] == 1
    admin = as_user(api_client, thai, "admin")
    conflict = admin.patch(url, {"value": "8", "revision": 0}, format="json")
    assert conflict.status_code == 409
    assert "changed by" in conflict.json()["detail"]
    m.refresh_from_db()
    assert m.value == 5


def test_a_single_value_error_is_keyed_by_field(api_client, thai):
    m = thai.report.measurements.get(kpi__code="thai-lean")
    bso = as_user(api_client, thai, "bso_staff")
    response = bso.patch(
        reverse("api:measurement-detail", args=[m.pk]), {"value": "-1"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["value"]


@pytest.mark.parametrize("role", ["program_officer", "ministry", "regional"])
def test_only_field_writers_open_reports(api_client, thai, role):
    q2 = Period.objects.get(year=2025, quarter=2)
    client = as_user(api_client, thai, role)
    response = client.post(reverse("api:report-list"), {"cluster": thai.inside.pk, "period": q2.pk})
    assert response.status_code == 403


def test_bso_staff_open_a_report_in_scope_but_not_outside(api_client, thai):
    q2 = Period.objects.get(year=2025, quarter=2)
    client = as_user(api_client, thai, "bso_staff")
    opened = client.post(reverse("api:report-list"), {"cluster": thai.inside.pk, "period": q2.pk})
    assert opened.status_code == 201
    outside = client.post(reverse("api:report-list"), {"cluster": thai.outside.pk, "period": q2.pk})
    assert outside.status_code == 404


def test_report_and_measurement_lists_run_a_bounded_number_of_queries(
    api_client, thai, django_assert_max_num_queries
):
    template = Template.objects.get(code="thai-food")
    for _ in range(25):
        cluster = ClusterFactory(country=thai.argentina)
        ClusterSupportFactory(bso=thai.bso, cluster=cluster)
        scorecard_adopt(cluster=cluster, template=template, on=thai.q1.starts_on)
        report_open(cluster=cluster, period=thai.q1)
    client = as_user(api_client, thai, "bso_staff")
    with django_assert_max_num_queries(6):
        reports = client.get(reverse("api:report-list"), {"page_size": 100}).json()
    assert reports["count"] == 26
    with django_assert_max_num_queries(6):
        values = client.get(reverse("api:measurement-list"), {"page_size": 500}).json()
    assert values["count"] > 26 * 15
    with django_assert_max_num_queries(8):
        assert client.get(reverse("api:report-detail", args=[thai.report.pk])).status_code == 200


def test_a_report_for_a_period_not_yet_started_is_refused(api_client, thai):
    from scorecards.services import periods_generate

    periods_generate(first_year=2099, last_year=2099)
    future = Period.objects.get(year=2099, quarter=1)
    client = as_user(api_client, thai, "bso_staff")
    response = client.post(
        reverse("api:report-list"), {"cluster": thai.inside.pk, "period": future.pk}
    )
    assert response.status_code == 400
    assert "period" in response.json()


def test_services_refuse_a_report_outside_the_scope_even_if_a_caller_forgets(thai, outside_report):
    from core.errors import PermissionDenied
    from monitoring.reports.services import report_record_values

    with pytest.raises(PermissionDenied):
        report_record_values(
            report=outside_report,
            rows={kpi_id("thai-lean"): {"value": "1"}},
            user=thai.users["bso_staff"],
        )
