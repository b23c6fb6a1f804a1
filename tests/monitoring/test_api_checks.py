"""Flags through the API: every value carries its flags; BSO staff explain them with
POST /measurements/{id}/explain/, and a report is submitted only once all are explained."""

from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.models import Flag, Report
from scorecards.models import KPI, KPIChecks
from tests.reports import complete_rows


def lean(report):
    return report.measurements.get(kpi__code="thai-lean")


@pytest.fixture
def flagged(api_client, thai):
    """thai-lean at most 50; every value entered through the API, thai-lean 480."""
    KPIChecks.objects.create(kpi=KPI.objects.get(code="thai-lean"), maximum=Decimal(50))
    rows = complete_rows(thai.report)
    rows[lean(thai.report).kpi_id] = {"value": "480"}
    api_client.force_authenticate(thai.users["bso_staff"])
    url = reverse("api:report-values", args=[thai.report.pk])
    response = api_client.put(url, {"values": rows}, format="json")
    assert response.status_code == 200, response.json()
    thai.lean = lean(thai.report)
    return thai


def explain(api_client, measurement, **body):
    url = reverse("api:measurement-explain", args=[measurement.pk])
    return api_client.post(url, body, format="json")


def test_a_value_carries_its_flags(api_client, flagged):
    body = api_client.get(reverse("api:measurement-detail", args=[flagged.lean.pk])).json()
    assert body["flags"] == [
        {
            "rule": "maximum",
            "message": "now 480 > maximum 50",
            "explanation": "",
            "explained_at": None,
        }
    ]


def test_submit_is_refused_until_the_flag_is_explained_through_the_api(api_client, flagged):
    submit = reverse("api:report-submit", args=[flagged.report.pk])
    refused = api_client.post(submit, {}, format="json")
    assert refused.status_code == 400
    assert "Unexplained: Number of companies adopting lean" in str(refused.json())

    response = explain(api_client, flagged.lean, rule="maximum", explanation="Two firms merged.")
    assert response.status_code == 200
    assert response.json()["flags"][0]["explanation"] == "Two firms merged."

    assert api_client.post(submit, {}, format="json").status_code == 200
    assert Report.objects.get(pk=flagged.report.pk).state == Report.State.SUBMITTED
    # submitted: its values, flags and explanations are read-only
    late = explain(api_client, flagged.lean, rule="maximum", explanation="Changed my mind.")
    assert late.status_code == 400
    assert Flag.objects.get().explanation == "Two firms merged."


def test_a_flag_the_value_does_not_carry_or_a_long_text_is_a_400(api_client, flagged):
    assert explain(api_client, flagged.lean, rule="minimum", explanation="x").status_code == 400
    assert explain(api_client, flagged.lean, rule="nonsense", explanation="x").status_code == 400
    long = explain(api_client, flagged.lean, rule="maximum", explanation="x" * 501)
    assert long.status_code == 400 and "explanation" in long.json()


@pytest.mark.parametrize(
    "role, status",
    [
        ("bso_staff", 200),
        ("admin", 200),
        ("program_officer", 403),  # reads the value, does not explain it
        ("ministry", 404),  # a draft's value is not theirs to see
        ("regional", 404),
    ],
)
def test_who_explains(api_client, flagged, role, status):
    api_client.force_authenticate(flagged.users[role])
    assert explain(api_client, flagged.lean, rule="maximum", explanation="x").status_code == status


def test_the_measurement_list_stays_bounded_with_flags(
    api_client, flagged, django_assert_max_num_queries
):
    flags = [Flag(measurement=m, rule="minimum", raised_at=flagged.lean.updated_at)
             for m in flagged.report.measurements.exclude(pk=flagged.lean.pk)]  # fmt: skip
    Flag.objects.bulk_create(flags)
    with django_assert_max_num_queries(7):
        body = api_client.get(reverse("api:measurement-list"), {"page_size": 100}).json()
    assert sum(len(m["flags"]) for m in body["results"]) == len(flags) + 1


def test_a_patch_that_keeps_the_flag_keeps_its_explanation(api_client, flagged):
    explain(api_client, flagged.lean, rule="maximum", explanation="Two firms merged.")
    url = reverse("api:measurement-detail", args=[flagged.lean.pk])

    body = api_client.patch(url, {"value": "490"}, format="json").json()
    assert body["flags"][0]["message"] == "now 490 > maximum 50"
    assert body["flags"][0]["explanation"] == "Two firms merged."

    body = api_client.patch(url, {"value": "49"}, format="json").json()
    assert body["flags"] == []
