"""PATCH on a value: no lost update, whichever fields two clients send and in which order."""

import threading

import pytest
from django.apps import apps as django_apps
from django.db import connection, connections
from django.urls import reverse
from rest_framework.test import APIClient

from monitoring.api.reports import MeasurementViewSet
from monitoring.models import Measurement, Report
from scorecards.builtin import load_builtin_templates


def bso_client(thai) -> APIClient:
    client = APIClient()
    client.force_authenticate(thai.users["bso_staff"])
    return client


def test_a_patch_without_revision_keeps_a_change_committed_after_its_read(thai, monkeypatch):
    """Client A loads the value; client B's note commits; then A's value is written: both stay
    (A's unsent note is read under the lock, not from A's earlier read)."""
    m = thai.report.measurements.get(kpi__code="thai-lean")
    read = MeasurementViewSet.get_object

    def read_then_another_client_writes(view):
        measurement = read(view)
        Measurement.objects.filter(pk=m.pk).update(note="from client B", revision=1)
        return measurement

    monkeypatch.setattr(MeasurementViewSet, "get_object", read_then_another_client_writes)
    url = reverse("api:measurement-detail", args=[m.pk])

    response = bso_client(thai).patch(url, {"value": "7"}, format="json")

    assert response.status_code == 200, response.content
    m.refresh_from_db()
    assert (m.value, m.note, m.revision) == (7, "from client B", 2)


def test_a_patch_on_an_approved_report_is_a_400_that_says_why(thai):
    m = thai.report.measurements.get(kpi__code="thai-lean")
    Report.objects.filter(pk=thai.report.pk).update(state=Report.State.APPROVED)
    url = reverse("api:measurement-detail", args=[m.pk])

    response = bso_client(thai).patch(url, {"value": "7"}, format="json")

    assert response.status_code == 400
    assert "approved" in str(response.json())
    m.refresh_from_db()
    assert m.value is None


@pytest.fixture
def builtin_templates(transactional_db):
    """A transactional test starts from empty tables: load the published scorecards again."""
    load_builtin_templates(django_apps)


@pytest.mark.django_db(transaction=True)
def test_two_clients_racing_on_one_value_both_keep_their_field(builtin_templates, thai):
    """Two threads PATCH the same value at once, one its value, the other its note, neither
    with a revision, ten times over: every time both changes are stored."""
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL's row locks (SQLite serialises every write)")
    m = thai.report.measurements.get(kpi__code="thai-lean")
    url = reverse("api:measurement-detail", args=[m.pk])
    for round_ in range(10):
        start = threading.Barrier(2)
        answers = []

        def patch(data, start=start, answers=answers):
            try:
                start.wait()
                answers.append(bso_client(thai).patch(url, data, format="json").status_code)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=patch, args=({"value": str(round_)},)),
            threading.Thread(target=patch, args=({"note": f"round {round_}"},)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        m.refresh_from_db()
        assert answers == [200, 200]
        assert (m.value, m.note) == (round_, f"round {round_}")
