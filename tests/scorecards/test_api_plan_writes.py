"""Administrators write the plan through the API (core KPIs, template versions and their tree)
with the services the admin uses; every other role is refused."""

import pytest
from django.urls import reverse

from core.models import RollupStale
from scorecards.models import CSF, KPI, Template

NON_ADMINS = ["bso_staff", "program_officer", "ministry", "regional"]
CORE_KPI = {
    "code": "exports-usd",
    "name": "Exports of member firms",
    "unit": "currency",
    "currency": "USD",
    "aggregation": "sum",
    "time_aggregation": "sum",
}


def as_user(api_client, world, role):
    api_client.force_authenticate(world.users[role])
    return api_client


def test_an_admin_creates_a_core_kpi_and_finds_it_by_code(api_client, world):
    client = as_user(api_client, world, "admin")
    created = client.post(reverse("api:kpi-list"), CORE_KPI, format="json")
    assert created.status_code == 201, created.json()
    assert (created.json()["cluster"], created.json()["status"]) == (None, "accepted")
    found = client.get(reverse("api:kpi-list"), {"code": "EXPORTS-USD"}).json()["results"]
    assert [k["id"] for k in found] == [created.json()["id"]]
    assert client.get(reverse("api:kpi-list"), {"code": "exports"}).json()["results"] == []


@pytest.mark.parametrize("role", NON_ADMINS)
def test_only_admins_create_core_kpis(api_client, world, role):
    response = as_user(api_client, world, role).post(reverse("api:kpi-list"), CORE_KPI)
    assert response.status_code == 403
    assert not KPI.objects.filter(code="exports-usd").exists()


def test_an_own_kpi_proposal_needs_its_scorecard_and_its_csf(api_client, world):
    csf = CSF.objects.first()
    response = as_user(api_client, world, "bso_staff").post(
        reverse("api:kpi-list"), {**CORE_KPI, "csf": csf.pk}, format="json"
    )
    assert response.status_code == 400
    assert "scorecard" in response.json()


def test_an_admin_changes_a_core_kpi_but_not_its_definition_once_it_has_values(api_client, thai):
    client = as_user(api_client, thai, "admin")
    fresh = client.post(reverse("api:kpi-list"), CORE_KPI, format="json").json()
    redefined = client.patch(
        reverse("api:kpi-detail", args=[fresh["id"]]), {"direction": "lower"}, format="json"
    )
    assert redefined.json()["direction"] == "lower"
    lean = KPI.objects.get(code="thai-lean")  # the open report holds a row for it
    url = reverse("api:kpi-detail", args=[lean.pk])
    assert client.patch(url, {"name": "Lean firms"}, format="json").status_code == 200
    refused = client.patch(url, {"aggregation": "max", "name": "Lean"}, format="json")
    assert refused.status_code == 400
    assert "aggregation" in refused.json()
    lean.refresh_from_db()
    assert (lean.aggregation, lean.name) == ("sum", "Lean firms")


@pytest.mark.parametrize("role", NON_ADMINS)
def test_only_admins_change_core_kpis(api_client, world, role):
    lean = KPI.objects.get(code="thai-lean")
    url = reverse("api:kpi-detail", args=[lean.pk])
    response = as_user(api_client, world, role).patch(url, {"name": "X"}, format="json")
    assert response.status_code == 403
    lean.refresh_from_db()
    assert lean.name != "X"


def build_template(client):
    """A draft template with one perspective, one CSF and one core KPI, through the API."""
    template = client.post(
        reverse("api:template-list"),
        {"code": "wine", "name": "Wine clusters", "green_threshold_percent": "90"},
        format="json",
    )
    assert template.status_code == 201, template.json()
    perspective = client.post(
        reverse("api:perspective-list"),
        {"template": template.json()["id"], "name": "Markets", "order": 1},
        format="json",
    )
    assert perspective.status_code == 201, perspective.json()
    csf = client.post(
        reverse("api:csf-list"),
        {"perspective": perspective.json()["id"], "name": "Exports grow"},
        format="json",
    )
    assert csf.status_code == 201, csf.json()
    kpi = client.post(reverse("api:kpi-list"), CORE_KPI, format="json").json()
    placed = client.post(
        reverse("api:templatekpi-list"),
        {"csf": csf.json()["id"], "kpi": kpi["id"], "weight": "2"},
        format="json",
    )
    assert placed.status_code == 201, placed.json()
    return template.json()["id"], perspective.json()["id"], csf.json()["id"]


def test_an_admin_builds_a_template_version_and_publishes_it(api_client, world):
    client = as_user(api_client, world, "admin")
    template_id, perspective_id, csf_id = build_template(client)
    url = reverse("api:template-detail", args=[template_id])
    renamed = client.patch(url, {"name": "Wine and grapes"}, format="json").json()
    assert (renamed["version"], renamed["status"], renamed["name"]) == (
        1,
        "draft",
        "Wine and grapes",
    )
    [perspective] = renamed["perspectives"]
    [csf] = perspective["csfs"]
    assert (perspective["name"], csf["name"]) == ("Markets", "Exports grow")
    assert [(k["kpi"]["code"], k["weight"]) for k in csf["kpis"]] == [("exports-usd", "2.000")]

    client.post(reverse("api:template-publish", args=[template_id]))
    for route, pk in (("perspective", perspective_id), ("csf", csf_id)):
        frozen = client.patch(
            reverse(f"api:{route}-detail", args=[pk]), {"name": "Late"}, format="json"
        )
        assert frozen.status_code == 400, route
    assert client.patch(url, {"name": "Late"}, format="json").status_code == 400
    assert Template.objects.get(pk=template_id).name == "Wine and grapes"
    again = client.post(
        reverse("api:template-list"), {"code": "wine", "name": "Wine, second"}, format="json"
    )
    assert (again.json()["version"], again.json()["status"]) == (2, "draft")


def test_a_template_keeps_its_code_and_a_node_its_parent(api_client, world):
    client = as_user(api_client, world, "admin")
    template_id, perspective_id, _csf = build_template(client)
    url = reverse("api:template-detail", args=[template_id])
    assert client.patch(url, {"code": "other"}, format="json").status_code == 400
    thai = Template.objects.get(code="thai-food")
    moved = client.patch(
        reverse("api:perspective-detail", args=[perspective_id]),
        {"template": thai.pk},
        format="json",
    )
    assert moved.status_code == 400
    assert "template" in moved.json()


def test_only_core_kpis_are_placed_in_a_template(api_client, world):
    client = as_user(api_client, world, "admin")
    _template, _perspective, csf_id = build_template(client)
    own = KPI.objects.create(
        code="own",
        name="Own",
        unit="count",
        aggregation="sum",
        time_aggregation="sum",
        cluster=world.inside,
        status="proposed",
    )
    response = client.post(
        reverse("api:templatekpi-list"), {"csf": csf_id, "kpi": own.pk}, format="json"
    )
    assert response.status_code == 400
    assert "kpi" in response.json()


@pytest.mark.parametrize("role", NON_ADMINS)
def test_only_admins_write_templates_and_their_tree(api_client, world, role):
    thai = Template.objects.get(code="thai-food")
    perspective = thai.perspectives.first()
    client = as_user(api_client, world, role)
    writes = [
        client.post(reverse("api:template-list"), {"code": "x", "name": "X"}, format="json"),
        client.patch(reverse("api:template-detail", args=[thai.pk]), {"name": "X"}),
        client.post(reverse("api:perspective-list"), {"template": thai.pk, "name": "X"}),
        client.patch(reverse("api:perspective-detail", args=[perspective.pk]), {"name": "X"}),
        client.post(reverse("api:csf-list"), {"perspective": perspective.pk, "name": "X"}),
    ]
    assert [w.status_code for w in writes] == [403] * len(writes)
    assert client.get(reverse("api:perspective-list")).status_code == 200


def test_a_kpi_redefined_before_it_has_values_marks_its_rollups_stale(api_client, world):
    client = as_user(api_client, world, "admin")
    kpi = client.post(reverse("api:kpi-list"), CORE_KPI, format="json").json()
    RollupStale.objects.all().delete()
    client.patch(reverse("api:kpi-detail", args=[kpi["id"]]), {"aggregation": "max"})
    assert RollupStale.objects.filter(kpi_id=kpi["id"]).exists()
