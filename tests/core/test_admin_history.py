"""The admin's history pages of audited models: any URL answers a page or a 404 (never a
500), and old versions are shown, never written back past the services."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from core.admin import HistoryAdmin
from monitoring.reports.services import report_record_values
from scorecards.models import KPI, Period, Target
from scorecards.services import baseline_set
from tests.factories import MembershipFactory
from tests.monitoring.activity_data import make_activity

AUDITED = [m for m, a in admin.site._registry.items() if isinstance(a, HistoryAdmin)]


@pytest.fixture
def superuser_client(client, world):
    user = world.users["admin"]
    user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


@pytest.fixture
def value(thai):
    """A value of the Q1 report, changed once by BSO staff (two history rows)."""
    measurement = thai.report.measurements.select_related("kpi").get(kpi__code="thai-lean")
    report_record_values(
        report=thai.report,
        rows={str(measurement.kpi_id): {"value": "7", "note": "", "revision": "0"}},
        user=thai.users["bso_staff"],
    )
    measurement.refresh_from_db()
    return measurement


def test_every_model_with_a_history_page_in_the_admin_is_one_listed_by_the_issue():
    labels = {m._meta.label for m in AUDITED}
    assert labels == {
        "accounts.User",
        "bsos.ClusterSupport",
        "firms.Firm",
        "firms.Membership",
        "monitoring.Activity",
        "monitoring.Measurement",
        "programs.Program",
        "scorecards.Baseline",
        "scorecards.Target",
    }


def test_a_values_history_page_opens_with_its_change(superuser_client, value):
    response = superuser_client.get(f"/admin/monitoring/measurement/{value.pk}/history/")
    assert response.status_code == 200
    assert b"bso" in response.content  # who changed it
    assert b" style=" not in response.content  # nothing the Content-Security-Policy blocks


@pytest.mark.parametrize("suffix", ["change/history/", "x/history/", "history/x/", "999999/"])
def test_a_history_url_with_an_id_the_key_cannot_hold_answers_404(superuser_client, value, suffix):
    # `<id>/change/history/` reached simple_history's view with the id "<id>/change": a 500.
    base = f"/admin/monitoring/measurement/{value.pk}/"
    if suffix == "999999/":
        url = f"{base}history/999999/"
    elif suffix.startswith("x/"):
        url = "/admin/monitoring/measurement/x/history/"
    else:
        url = base + suffix
    assert superuser_client.get(url).status_code == 404


def test_an_old_version_is_shown_but_never_written_back(superuser_client, value):
    first = value.history.earliest("history_date")
    url = reverse("admin:monitoring_measurement_simple_history", args=[value.pk, first.history_id])
    assert superuser_client.get(url).status_code == 200
    assert b"Revert" not in superuser_client.get(url).content
    response = superuser_client.post(url, {"_change_history": "1"})
    assert response.status_code == 405
    value.refresh_from_db()
    assert (value.value, value.revision) == (Decimal("7"), 1)


@pytest.mark.parametrize("model", AUDITED, ids=lambda m: m._meta.label)
def test_each_audited_models_history_page_opens(superuser_client, thai, model):
    kpi, year = KPI.objects.get(code="thai-lean"), Period.objects.get(year=2025, quarter=0)
    baseline_set(cluster=thai.inside, kpi=kpi, data={"year": 2024, "value": Decimal(3)})
    Target.objects.create(kpi=kpi, period=year, level="cluster", cluster=thai.inside, value=5)
    make_activity(thai.inside, thai.bso)
    MembershipFactory(cluster=thai.inside)
    obj = model._default_manager.first()
    assert obj is not None, f"the world holds no {model._meta.label}"
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
    assert superuser_client.get(url).status_code == 200
