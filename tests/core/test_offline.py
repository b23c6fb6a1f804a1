"""Entry without a connection, server side: the service worker's script at the site's root,
and which pages its answers mark as kept for offline use (core.offline)."""

from django.urls import reverse

from core.offline import MARK
from monitoring.reports.services import report_transition


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert reverse("service-worker") == "/sw.js"
    assert response.status_code == 200  # no sign-in: the script holds no data
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"  # a new version is seen at the next visit
    script = response.content.decode()
    assert 'var MARK = "Clusterboard-Offline";' in script  # the header the views set
    assert f'"{MARK}"' in script


def test_the_service_worker_script_is_not_posted_to(client):
    assert client.post("/sw.js").status_code == 405


def test_the_activity_quick_entry_is_kept_for_offline_use_with_its_queue(client, world):
    client.force_login(world.users["bso_staff"])
    response = client.get(reverse("activity-new"))
    assert response[MARK] == "keep"
    html = response.content.decode()
    assert 'data-offline-queue="activity-form"' in html
    assert 'id="activity-form"' in html
    assert f'data-user="{world.users["bso_staff"].pk}"' in html
    assert "js/offline.js" in html


def test_a_refused_activity_form_is_not_kept(client, world):
    client.force_login(world.users["bso_staff"])
    response = client.post(reverse("activity-new"), {"title": ""})
    assert response.status_code == 400
    assert MARK not in response


def test_an_activity_being_edited_is_not_kept_and_has_no_queue(client, world):
    from tests.monitoring.activity_data import make_activity

    activity = make_activity(world.inside, world.bso)
    client.force_login(world.users["bso_staff"])
    response = client.get(reverse("activity-edit", args=[activity.pk]))
    assert response.status_code == 200
    assert MARK not in response
    assert "data-offline-queue" not in response.content.decode()


def test_a_report_page_is_kept_while_its_bso_staff_may_enter_values(client, thai):
    client.force_login(thai.users["bso_staff"])
    response = client.get(reverse("report-detail", args=[thai.report.pk]))
    assert response[MARK] == "keep"
    html = response.content.decode()
    assert 'data-offline-queue="report-entry"' in html
    assert 'data-label="Report 2025-Q1 · Mendoza wine"' in html


def test_a_report_page_is_not_kept_for_a_reviewer(client, thai):
    client.force_login(thai.users["program_officer"])
    response = client.get(reverse("report-detail", args=[thai.report.pk]))
    assert response.status_code == 200
    assert MARK not in response
    assert "data-offline-queue" not in response.content.decode()


def test_a_submitted_report_is_not_kept(client, thai):
    thai.report.measurements.update(value=1, numerator=1, denominator=2, value_women=1, value_men=0)
    report_transition(report=thai.report, action="submit", user=thai.users["bso_staff"])
    client.force_login(thai.users["bso_staff"])
    response = client.get(reverse("report-detail", args=[thai.report.pk]))
    assert response.status_code == 200
    assert MARK not in response
