"""Flags on the pages: the report page shows each flag beside its value with an input for the
explanation, submits only once all are explained, and shows reviewers the flag's numbers and
its explanation; the KPIs' rules pages set the rules, each role its own KPIs."""

from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.models import Flag, Report
from scorecards.models import CSF, KPI, KPIChecks
from scorecards.services import own_kpi_decide, own_kpi_propose


def kpi(code):
    return KPI.objects.get(code=code)


def page_post(report, **values):
    """Every KPI of the report filled in as the page sends it (counts 4, ratios 3 / 10, women 3
    and men 2), with `values` (KPI code with underscores -> value) over them."""
    data = {}
    for m in report.measurements.select_related("kpi"):
        prefix = f"kpi-{m.kpi_id}-"
        data[prefix + "revision"] = str(m.revision)
        data[prefix + "note"] = ""
        if m.kpi.is_ratio:
            data.update({prefix + "numerator": "3", prefix + "denominator": "10"})
        elif m.kpi.by_sex:
            data.update({prefix + "value_women": "3", prefix + "value_men": "2"})
        else:
            data[prefix + "value"] = "1" if m.kpi.unit == KPI.Unit.YES_NO else "4"
    for code, value in values.items():
        data[f"kpi-{kpi(code.replace('_', '-')).pk}-value"] = value
    return data


@pytest.fixture
def flagged(client, thai):
    """thai-lean may be at most 50; BSO staff saved 480 from the page (a draft, flagged)."""
    KPIChecks.objects.create(kpi=kpi("thai-lean"), maximum=Decimal(50))
    client.force_login(thai.users["bso_staff"])
    response = client.post(thai.report.get_absolute_url(), page_post(thai.report, thai_lean="480"))
    assert response.status_code == 302
    return thai


def test_the_page_saves_a_flagged_draft_and_shows_the_flag_beside_the_value(client, flagged):
    html = client.get(flagged.report.get_absolute_url()).content.decode()

    lean = html.split('data-kpi="thai-lean"')[1].split("</fieldset>")[0]
    assert "now 480 &gt; maximum 50" in lean
    name = f"kpi-{kpi('thai-lean').pk}-explain-maximum"
    assert f'name="{name}"' in lean
    assert f'aria-describedby="id-{name}-message"' in lean
    assert "1 value looks unusual" in html
    assert Report.objects.get(pk=flagged.report.pk).state == Report.State.DRAFT


def test_submit_from_the_page_is_refused_until_the_flag_is_explained(client, flagged):
    report = flagged.report
    data = {**page_post(report, thai_lean="480"), "submit": "1"}
    response = client.post(report.get_absolute_url(), data)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Unexplained: Number of companies adopting lean" in m for m in messages)
    assert Report.objects.get(pk=report.pk).state == Report.State.DRAFT

    data = {**page_post(report, thai_lean="480"), "submit": "1"}
    data[f"kpi-{kpi('thai-lean').pk}-explain-maximum"] = "Two firms merged into one group."
    client.post(report.get_absolute_url(), data)

    assert Report.objects.get(pk=report.pk).state == Report.State.SUBMITTED
    flag = Flag.objects.get(measurement__report=report)
    assert (flag.explanation, flag.explained_by) == (
        "Two firms merged into one group.",
        flagged.users["bso_staff"],
    )


def test_the_reviewer_sees_the_flags_numbers_and_explanation_and_the_queue_counts_it(
    client, flagged
):
    report = flagged.report
    Flag.objects.filter(measurement__report=report).update(explanation="A new industrial park.")
    client.post(report.get_absolute_url(), {**page_post(report, thai_lean="480"), "submit": "1"})
    assert Report.objects.get(pk=report.pk).state == Report.State.SUBMITTED

    client.force_login(flagged.users["program_officer"])
    html = client.get(report.get_absolute_url()).content.decode()
    lean = html.split('data-kpi="thai-lean"')[1].split("</fieldset>")[0]
    assert "now 480 &gt; maximum 50" in lean
    assert "A new industrial park." in lean
    assert "data-explanation" in lean and "<input" not in lean  # reviewers read

    queue = client.get(reverse("review-queue")).content.decode()
    assert 'data-flag-count="1"' in queue and "1 flag, explained" in queue


# --- The rules pages ------------------------------------------------------------------------


def checks_url(k):
    return reverse("kpi-checks", args=[k.pk])


def test_an_administrator_sets_the_rules_of_a_core_kpi(client, thai):
    client.force_login(thai.users["admin"])
    lean = kpi("thai-lean")
    form = client.get(checks_url(lean)).content.decode()
    assert 'name="numerator_within_denominator"' not in form  # not a ratio KPI

    response = client.post(
        checks_url(lean),
        {"maximum": "50", "max_change": "100", "max_change_kind": "percent",
         "peer_outliers": "on", "outlier_threshold": "3.5"},
    )  # fmt: skip

    assert response.status_code == 302
    checks = KPIChecks.objects.get(kpi=lean)
    assert (checks.maximum, checks.max_change, checks.peer_outliers) == (50, 100, True)
    assert checks.history.first().history_user == thai.users["admin"]
    api = client.get(reverse("api:kpi-detail", args=[lean.pk])).json()
    assert api["checks"]["maximum"] == "50.0000" and api["checks"]["peer_outliers"] is True


def test_a_minimum_above_the_maximum_comes_back_with_what_was_typed(client, thai):
    client.force_login(thai.users["admin"])
    response = client.post(
        checks_url(kpi("thai-lean")),
        {"minimum": "80", "maximum": "50", "max_change_kind": "percent",
         "outlier_threshold": "3.5"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 400
    assert "The minimum cannot be above the maximum." in html
    assert 'value="80"' in html
    assert not KPIChecks.objects.exists()


@pytest.fixture
def own_kpi(thai):
    proposed = own_kpi_propose(
        scorecard=thai.inside.scorecards.get(),
        csf=CSF.objects.filter(perspective__template__code="thai-food").first(),
        data={
            "code": "mendoza-fairs",
            "name": "Firms at trade fairs",
            "unit": "count",
            "aggregation": "sum",
            "time_aggregation": "sum",
        },
        user=thai.users["bso_staff"],
    )
    return own_kpi_decide(kpi=proposed, accept=True, user=thai.users["program_officer"])


@pytest.mark.parametrize(
    "role, core, own",
    [
        ("program_officer", 403, 200),
        ("bso_staff", 403, 403),
        ("ministry", 403, 403),
        ("admin", 200, 200),
    ],
)
def test_who_sets_which_rules(client, thai, own_kpi, role, core, own):
    client.force_login(thai.users[role])
    assert client.get(checks_url(kpi("thai-lean"))).status_code == core
    assert client.get(checks_url(own_kpi)).status_code == own


def test_an_officer_sets_the_rules_of_an_own_kpi_and_not_outside_the_scope(client, thai, own_kpi):
    client.force_login(thai.users["program_officer"])
    response = client.post(
        checks_url(own_kpi),
        {"minimum": "0", "max_change_kind": "absolute", "max_change": "10",
         "outlier_threshold": "3.5"},
    )  # fmt: skip
    assert response.status_code == 302
    assert KPIChecks.objects.get(kpi=own_kpi).max_change == 10
    listing = client.get(reverse("kpi-checks-list")).content.decode()
    assert 'data-kpi="mendoza-fairs"' in listing and 'data-kpi="thai-lean"' not in listing

    own_kpi.cluster = thai.outside
    own_kpi.save()
    assert client.get(checks_url(own_kpi)).status_code == 404


def test_the_rules_list_runs_a_bounded_number_of_queries(
    client, thai, django_assert_max_num_queries
):
    for k in KPI.objects.all()[:10]:
        KPIChecks.objects.create(kpi=k, maximum=Decimal(10))
    client.force_login(thai.users["admin"])
    with django_assert_max_num_queries(6):
        html = client.get(reverse("kpi-checks-list")).content.decode()
    assert html.count("<tr data-kpi=") == min(KPI.objects.count(), 100)


def test_the_values_history_page_keeps_its_flags_and_explanations(client, flagged):
    report = flagged.report
    data = page_post(report, thai_lean="480")
    data[f"kpi-{kpi('thai-lean').pk}-explain-maximum"] = "Two firms merged into one group."
    client.post(report.get_absolute_url(), data)
    client.post(report.get_absolute_url(), page_post(report, thai_lean="45"))  # clears it
    value = report.measurements.get(kpi__code="thai-lean")

    html = client.get(reverse("measurement-history", args=[value.pk])).content.decode()

    section = html.split("data-flag-history")[1]
    assert section.count("now 480 &gt; maximum 50") == 3  # raised, explained, cleared
    assert "Two firms merged into one group." in section
    assert "cleared" in section and "raised" in section


def test_a_value_uploaded_in_the_workbook_is_flagged_as_on_the_page(client, thai):
    """The upload saves through the same service: its values are checked by the same rules."""
    from tests.monitoring.test_spreadsheet import download, filled, signed_in, upload

    KPIChecks.objects.create(kpi=kpi("thai-lean"), maximum=Decimal(50))
    content = download(signed_in(client, thai), thai.report)

    response = upload(client, thai.report, filled(content, {"thai-lean": {"value": 480}}))

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "now 480 &gt; maximum 50" in page
    assert Flag.objects.get().measurement.kpi.code == "thai-lean"
