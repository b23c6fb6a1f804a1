"""Every admin page for reference data opens, with search and filters."""

import pytest
from django.contrib import admin
from django.urls import reverse

from scorecards.models import Template

MODELS = [model for model in admin.site._registry if model._meta.app_label != "authtoken"]


@pytest.fixture
def superuser_client(client, world):
    user = world.users["admin"]
    user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_changelist_opens_with_a_search(superuser_client, model):
    client = superuser_client
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = client.get(url, {"q": "a"})
    assert response.status_code == 200


def test_a_published_template_cannot_be_edited_in_the_admin(superuser_client):
    client = superuser_client
    template = Template.objects.get(code="thai-food")
    url = reverse("admin:scorecards_template_change", args=[template.pk])
    response = client.post(url, {"name_en": "Renamed"})
    template.refresh_from_db()
    assert template.name_en == "Thai Food Cluster Initiative scorecard"
    assert response.status_code in (200, 403)


def test_a_kpi_with_values_keeps_its_definition_in_the_admin(superuser_client, thai):
    from monitoring.reports.services import report_record_values
    from scorecards.models import KPI

    lean = KPI.objects.get(code="thai-lean")
    report_record_values(
        report=thai.report, rows={lean.pk: {"value": "2"}}, user=thai.users["bso_staff"]
    )
    url = reverse("admin:scorecards_kpi_change", args=[lean.pk])
    html = superuser_client.get(url).content.decode()
    assert 'name="aggregation"' not in html
    assert 'name="name_en"' in html


def test_the_admin_is_branded_and_its_sections_are_translated(superuser_client):
    html = superuser_client.get(reverse("admin:index")).content.decode()
    assert "Clusterboard administration" in html
    assert "Django administration" not in html
    assert "Business support organisations" in html and "Scorecards" in html

    # the headings go through gettext (the new names' Spanish waits in the catalogue's merge)
    html = superuser_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Clústeres" in html and "Programas" in html
