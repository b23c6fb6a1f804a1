"""The report page: BSO staff enter and submit values; errors and conflicts lose nothing."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.models import Measurement, Report
from monitoring.reports.services import report_open, report_record_values, report_transition
from scorecards.models import CSF, KPI, Level, Period, Target, Template
from scorecards.services import (
    own_kpi_decide,
    own_kpi_propose,
    periods_generate,
    scorecard_adopt,
)


def kpi(code):
    return KPI.objects.get(code=code)


def url(report):
    return reverse("report-detail", args=[report.pk])


def full_post(report, **overrides):
    """Every KPI of the report filled with valid values, as the page's form sends them."""
    data = {}
    for m in report.measurements.select_related("kpi"):
        prefix = f"kpi-{m.kpi_id}-"
        data[prefix + "revision"] = str(m.revision)
        data[prefix + "note"] = ""
        if m.kpi.is_ratio:
            data.update({prefix + "numerator": "3", prefix + "denominator": "10"})
        elif m.kpi.by_sex:
            data.update(
                {prefix + "value_women": "3", prefix + "value_men": "2", prefix + "value": ""}
            )
        else:
            data[prefix + "value"] = "1"
    data.update(overrides)
    return data


def inputs(report, code, **fields):
    """The inputs of one KPI, as the page's form names them."""
    m = report.measurements.get(kpi__code=code)
    data = {f"kpi-{m.kpi_id}-revision": str(m.revision)}
    data.update({f"kpi-{m.kpi_id}-{name}": value for name, value in fields.items()})
    return data


def text(html):
    """Visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def cell(html, code, name):
    """The text of a `data-cell` of one KPI's block on the page."""
    block = html.split(f'data-kpi="{code}"')[1]
    return text(block.split(f'data-cell="{name}">')[1].split("</dd>")[0].split("</td>")[0])


def saved_values(report):
    return list(
        Measurement.objects.filter(report=report)
        .exclude(value=None, numerator=None)
        .values_list("kpi__code", flat=True)
    )


def fill_everything(world):
    rows = {}
    for m in world.report.measurements.select_related("kpi"):
        if m.kpi.is_ratio:
            rows[m.kpi_id] = {"numerator": "1", "denominator": "10"}
        elif m.kpi.by_sex:
            rows[m.kpi_id] = {"value_women": "3", "value_men": "2"}
        else:
            rows[m.kpi_id] = {"value": "1"}
    report_record_values(report=world.report, rows=rows, user=world.users["bso_staff"])


@pytest.fixture
def bso(client, thai):
    client.force_login(thai.users["bso_staff"])
    return client


# --- Reading --------------------------------------------------------------------------------


def test_bso_staff_see_every_kpi_of_the_report_with_inputs_that_fit_its_unit(bso, thai):
    html = bso.get(url(thai.report)).content.decode()
    turnover = kpi("thai-staff-turnover").pk
    skills = kpi("thai-skills-participants").pk
    lean = kpi("thai-lean").pk
    assert f'name="kpi-{turnover}-numerator"' in html
    assert f'name="kpi-{turnover}-denominator"' in html
    assert f'name="kpi-{turnover}-value"' not in html
    for field in ("value_women", "value_men", "value"):
        assert f'name="kpi-{skills}-{field}"' in html
    assert f'name="kpi-{lean}-value"' in html
    for m in thai.report.measurements.all():
        assert f'name="kpi-{m.kpi_id}-revision" value="0"' in html
        assert f'name="kpi-{m.kpi_id}-note"' in html
    assert "js/report-entry.js" in html


def test_a_yes_no_kpi_is_answered_with_a_yes_no_select(client, world):
    periods_generate(first_year=2025, last_year=2025)
    scorecard = scorecard_adopt(
        cluster=world.inside,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )
    own = own_kpi_propose(
        scorecard=scorecard,
        csf=CSF.objects.filter(perspective__template=scorecard.template).first(),
        data={
            "code": "mendoza-export-fair",
            "name": "Took part in an export fair",
            "unit": "yes_no",
            "aggregation": "share_yes",
            "time_aggregation": "last",
        },
        user=world.users["bso_staff"],
    )
    own_kpi_decide(kpi=own, accept=True, user=world.users["program_officer"])
    report = report_open(cluster=world.inside, period=Period.objects.get(year=2025, quarter=1))
    client.force_login(world.users["bso_staff"])

    html = client.get(url(report)).content.decode()

    assert f'<select id="id-kpi-{own.pk}-value" name="kpi-{own.pk}-value"' in html
    assert '<option value="1">Yes</option>' in html
    assert "Own KPI" in html
    response = client.post(url(report), {**inputs(report, "mendoza-export-fair", value="1")})
    assert response.status_code == 302
    assert report.measurements.get(kpi=own).value == 1


def test_the_report_page_links_its_spreadsheet_and_while_editable_its_upload(bso, client, thai):
    xlsx = reverse("report-xlsx", args=[thai.report.pk])
    upload = reverse("report-upload", args=[thai.report.pk])
    html = bso.get(url(thai.report)).content.decode()
    assert f'href="{xlsx}"' in html and f'href="{upload}"' in html
    assert bso.get(xlsx).status_code == 200

    # the officer reviewing it downloads it, but has no values to upload
    client.force_login(thai.users["program_officer"])
    html = client.get(url(thai.report)).content.decode()
    assert f'href="{xlsx}"' in html and f'href="{upload}"' not in html


def test_the_report_page_shows_last_quarters_value_and_this_quarters_target(bso, thai):
    report_record_values(
        report=thai.report,
        rows={kpi("thai-lean").pk: {"value": "7"}},
        user=thai.users["bso_staff"],
    )
    q2 = Period.objects.get(year=2025, quarter=2)
    Target.objects.create(
        kpi=kpi("thai-lean"), period=q2, level=Level.CLUSTER, cluster=thai.inside, value=9
    )
    report = report_open(cluster=thai.inside, period=q2)

    html = bso.get(url(report)).content.decode()

    assert cell(html, "thai-lean", "previous") == "7 Draft"  # not approved: said so
    assert cell(html, "thai-lean", "target") == "9"
    assert cell(html, "thai-jit", "previous") == "—"


def test_the_report_page_runs_a_bounded_number_of_queries(bso, thai, django_assert_max_num_queries):
    fill_everything(thai)
    report_open(cluster=thai.inside, period=Period.objects.get(year=2025, quarter=2))
    with django_assert_max_num_queries(20):
        response = bso.get(url(thai.report))
    assert response.status_code == 200


def test_a_report_out_of_scope_is_404(client, thai):
    scorecard_adopt(
        cluster=thai.outside,
        template=Template.objects.get(code="thai-food", version=1),
        on=datetime.date(2024, 1, 1),
    )
    outside = report_open(cluster=thai.outside, period=thai.q1)
    client.force_login(thai.users["bso_staff"])
    assert client.get(url(outside)).status_code == 404
    assert client.post(url(outside), full_post(outside)).status_code == 404
    assert not saved_values(outside)


def test_ministry_cannot_open_a_draft_report(client, thai):
    client.force_login(thai.users["ministry"])
    assert client.get(url(thai.report)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, thai):
    response = client.get(url(thai.report))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- Saving ---------------------------------------------------------------------------------


def test_bso_staff_save_a_draft_and_the_values_land(bso, thai):
    data = full_post(thai.report)
    skills = kpi("thai-skills-participants").pk
    data[f"kpi-{skills}-note"] = "From the attendance sheets"

    response = bso.post(url(thai.report), data, follow=True)

    assert response.redirect_chain[-1][0] == url(thai.report)
    assert "Your values were saved as a draft." in response.content.decode()
    m = thai.report.measurements.get(kpi_id=skills)
    assert (m.value, m.value_women, m.value_men) == (Decimal(5), Decimal(3), Decimal(2))
    assert m.note == "From the attendance sheets"
    assert m.updated_by == thai.users["bso_staff"]
    turnover = thai.report.measurements.get(kpi__code="thai-staff-turnover")
    assert (turnover.numerator, turnover.denominator) == (Decimal(3), Decimal(10))
    thai.report.refresh_from_db()
    assert thai.report.state == Report.State.DRAFT


@pytest.mark.parametrize(
    "code, fields, bad_field, kept",
    [
        ("thai-lean", {"value": "several"}, "value", "several"),
        ("thai-lean", {"value": "NaN"}, "value", "NaN"),
        ("thai-lean", {"value": "-3"}, "value", "-3"),
        ("thai-staff-turnover", {"numerator": "4", "denominator": "0"}, "denominator", "0"),
    ],
    ids=["text", "nan", "negative-count", "zero-denominator"],
)
def test_bad_inputs_come_back_with_a_message_beside_the_input_and_nothing_is_saved(
    bso, thai, code, fields, bad_field, kept
):
    data = full_post(thai.report)
    k = kpi(code).pk
    data.update({f"kpi-{k}-{name}": value for name, value in fields.items()})
    data[f"kpi-{kpi('thai-jit').pk}-value"] = "42"  # a good value beside the bad one

    response = bso.post(url(thai.report), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "nothing was saved" in html
    error_box = html.split(f'id="id-kpi-{k}-{bad_field}-error"')[1].split("</p>")[0]
    assert 'data-server="1"' in error_box
    assert error_box.split(">", 1)[1].strip()  # the message itself
    assert f'name="kpi-{k}-{bad_field}" value="{kept}"' in html  # the user's input is kept
    summary = html.split("data-error-summary")[1].split("</div>")[0]
    assert f'href="#id-kpi-{k}-{bad_field}"' in summary  # the summary links the input itself
    assert f'name="kpi-{kpi("thai-jit").pk}-value" value="42"' in html
    assert saved_values(thai.report) == []


def test_a_save_from_a_stale_page_shows_the_conflict_and_saves_nothing(bso, thai):
    lean = kpi("thai-lean")
    data = full_post(thai.report)  # the page as loaded: revision 0 everywhere
    report_record_values(
        report=thai.report, rows={lean.pk: {"value": "5"}}, user=thai.users["admin"]
    )
    data[f"kpi-{lean.pk}-value"] = "8"

    response = bso.post(url(thai.report), data)

    assert response.status_code == 409
    html = response.content.decode()
    problem = html.split("data-problem>")[1].split("</div>")[0]
    assert "changed by" in problem and lean.name in problem
    assert f'name="kpi-{lean.pk}-value" value="8"' in html  # the user's input is kept
    assert thai.report.measurements.get(kpi=lean).value == 5
    assert saved_values(thai.report) == ["thai-lean"]


def test_a_tampered_revision_is_treated_as_stale(bso, thai):
    lean = kpi("thai-lean")
    data = inputs(thai.report, "thai-lean", value="8")
    data[f"kpi-{lean.pk}-revision"] = "latest"
    response = bso.post(url(thai.report), data)
    assert response.status_code == 409
    assert thai.report.measurements.get(kpi=lean).value is None


def test_a_value_left_off_the_form_is_not_cleared(bso, thai):
    report_record_values(
        report=thai.report, rows={kpi("thai-lean").pk: {"value": "5"}}, user=thai.users["admin"]
    )
    response = bso.post(url(thai.report), inputs(thai.report, "thai-jit", value="2"))
    assert response.status_code == 302
    assert thai.report.measurements.get(kpi__code="thai-lean").value == 5
    assert thai.report.measurements.get(kpi__code="thai-jit").value == 2


def test_program_officers_read_the_values_but_cannot_save_them(client, thai):
    client.force_login(thai.users["program_officer"])
    page = client.get(url(thai.report)).content.decode()
    assert 'name="kpi-' not in page
    assert "Save draft" not in page

    response = client.post(url(thai.report), full_post(thai.report))

    assert response.status_code == 403
    assert "Only BSO staff enter report values." in response.content.decode()
    assert saved_values(thai.report) == []


# --- Submitting -----------------------------------------------------------------------------


def test_submitting_with_missing_values_saves_them_and_lists_what_is_missing(bso, thai):
    data = inputs(thai.report, "thai-lean", value="6")
    data["submit"] = "1"

    response = bso.post(url(thai.report), data, follow=True)

    html = response.content.decode()
    assert "the report was not submitted" in html
    assert "Missing:" in html
    assert kpi("thai-jit").name in html
    assert kpi("thai-lean").name not in html.split("Missing:")[1].split("</li>")[0]
    thai.report.refresh_from_db()
    assert thai.report.state == Report.State.DRAFT
    assert thai.report.measurements.get(kpi__code="thai-lean").value == 6


def test_submitting_a_complete_report_sends_it_for_review(bso, thai):
    response = bso.post(url(thai.report), {**full_post(thai.report), "submit": "1"}, follow=True)

    assert "The report was submitted for review." in response.content.decode()
    thai.report.refresh_from_db()
    assert thai.report.state == Report.State.SUBMITTED
    assert list(thai.report.transitions.values_list("action", "by__username")) == [
        ("submit", "bso")
    ]


def test_a_submitted_report_is_read_only(bso, thai):
    fill_everything(thai)
    report_transition(report=thai.report, action="submit", user=thai.users["bso_staff"])

    html = bso.get(url(thai.report)).content.decode()
    assert 'name="kpi-' not in html
    assert "its values are read-only" in html
    assert "js/report-entry.js" not in html

    data = full_post(thai.report, **{f"kpi-{kpi('thai-lean').pk}-value": "99"})
    response = bso.post(url(thai.report), data)
    assert "can no longer be changed" in response.content.decode()
    assert thai.report.measurements.get(kpi__code="thai-lean").value == 1


def test_a_returned_report_shows_the_officers_comment_above_the_values(bso, thai):
    fill_everything(thai)
    report_transition(report=thai.report, action="submit", user=thai.users["bso_staff"])
    report_transition(
        report=thai.report,
        action="return",
        user=thai.users["program_officer"],
        comment="Turnover looks too low: check the payroll.",
    )

    html = bso.get(url(thai.report)).content.decode()

    callout = html.split('class="callout callout-returned"')[1].split("</section>")[0]
    assert "Turnover looks too low: check the payroll." in callout
    assert html.index("callout-returned") < html.index('name="kpi-')  # above the inputs
    assert 'name="kpi-' in html  # editable again


def test_the_review_trail_lists_who_did_what_when_and_why(client, thai):
    fill_everything(thai)
    report_transition(report=thai.report, action="submit", user=thai.users["bso_staff"])
    report_transition(
        report=thai.report, action="return", user=thai.users["admin"], comment="Fix Q1 sales"
    )
    client.force_login(thai.users["program_officer"])

    html = client.get(url(thai.report)).content.decode()

    trail = html.split('id="trail-heading"')[1]
    assert trail.index("Submit") < trail.index("Return") < trail.index("Fix Q1 sales")
    assert "bso" in trail and "admin" in trail


def test_reviewers_see_approve_and_return_on_a_submitted_report_and_reopen_once_approved(
    client, thai
):
    fill_everything(thai)
    report_transition(report=thai.report, action="submit", user=thai.users["bso_staff"])
    client.force_login(thai.users["program_officer"])
    html = client.get(url(thai.report)).content.decode()
    assert reverse("report-action", args=[thai.report.pk, "approve"]) in html
    assert reverse("report-action", args=[thai.report.pk, "return"]) in html
    assert reverse("report-action", args=[thai.report.pk, "reopen"]) not in html

    report_transition(report=thai.report, action="approve", user=thai.users["program_officer"])
    html = client.get(url(thai.report)).content.decode()
    assert reverse("report-action", args=[thai.report.pk, "approve"]) not in html
    assert reverse("report-action", args=[thai.report.pk, "reopen"]) in html


def test_bso_staff_see_no_review_buttons(bso, thai):
    fill_everything(thai)
    report_transition(report=thai.report, action="submit", user=thai.users["bso_staff"])
    html = bso.get(url(thai.report)).content.decode()
    assert reverse("report-action", args=[thai.report.pk, "approve"]) not in html


# --- Opening --------------------------------------------------------------------------------


def test_bso_staff_start_a_report_for_a_period(bso, thai):
    q2 = Period.objects.get(year=2025, quarter=2)
    response = bso.post(f"{reverse('report-open', args=[thai.inside.pk])}?period={q2.pk}")
    report = Report.objects.get(cluster=thai.inside, period=q2)
    assert response.status_code == 302
    assert response["Location"] == url(report)
    assert report.measurements.count() == thai.report.measurements.count()


def test_starting_a_report_needs_a_field_writer_and_a_cluster_in_scope(client, thai):
    q2 = Period.objects.get(year=2025, quarter=2)
    client.force_login(thai.users["program_officer"])
    response = client.post(reverse("report-open", args=[thai.inside.pk]), {"period": q2.pk})
    assert response.status_code == 403
    client.force_login(thai.users["bso_staff"])
    response = client.post(reverse("report-open", args=[thai.outside.pk]), {"period": q2.pk})
    assert response.status_code == 404
    assert not Report.objects.filter(period=q2).exists()


def test_starting_a_report_without_a_scorecard_explains_why(client, world):
    periods_generate(first_year=2025, last_year=2025)
    q1 = Period.objects.get(year=2025, quarter=1)
    client.force_login(world.users["bso_staff"])

    response = client.post(
        reverse("report-open", args=[world.inside.pk]), {"period": q1.pk}, follow=True
    )

    assert "had no scorecard" in response.content.decode()
    assert not Report.objects.exists()


def test_a_kpi_accepted_after_the_report_was_started_is_shown_but_not_asked_for(bso, thai):
    scorecard = thai.report.scorecard
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
        user=thai.users["bso_staff"],
    )
    own_kpi_decide(kpi=own, accept=True, user=thai.users["program_officer"])

    html = bso.get(url(thai.report)).content.decode()
    assert "Not part of this report" in html
    assert f'name="kpi-{own.pk}-' not in html

    response = bso.post(url(thai.report), full_post(thai.report))
    assert response.status_code == 302


def test_a_value_the_scorecard_no_longer_places_is_listed_under_other_kpis(bso, thai):
    annual = kpi("thai-loan-timescale")  # not a quarterly KPI: the Q1 scorecard does not show it
    Measurement.objects.create(report=thai.report, kpi=annual)

    html = bso.get(url(thai.report)).content.decode()

    assert "Other KPIs of this report" in html
    assert f'name="kpi-{annual.pk}-value"' in html


def test_the_report_page_speaks_spanish(bso, thai):
    html = bso.get(url(thai.report), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Guardar borrador" in html
    assert "Ver el cuadro de mando" in html
    assert "Introduzca un número." in html  # the inline check's messages too
