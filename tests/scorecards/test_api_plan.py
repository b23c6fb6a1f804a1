"""The plan through the API: templates, own KPIs, periods, targets by role, baselines, adoption."""

import pytest
from django.urls import reverse

from scorecards.models import CSF, KPI, Period, Target, Template
from scorecards.services import periods_generate, scorecard_adopt


def as_user(api_client, world, role):
    api_client.force_authenticate(world.users[role])
    return api_client


@pytest.fixture
def plan(world):
    periods_generate(first_year=2025, last_year=2025)
    world.template = Template.objects.get(code="thai-food")
    world.scorecard = scorecard_adopt(
        cluster=world.inside, template=world.template, on=Period.objects.first().starts_on
    )
    world.outside_scorecard = scorecard_adopt(
        cluster=world.outside, template=world.template, on=Period.objects.first().starts_on
    )
    world.csf = CSF.objects.filter(perspective__template=world.template).first()
    world.year = Period.objects.get(year=2025, quarter=0)
    world.kpi = KPI.objects.get(code="thai-lean")
    return world


def test_templates_come_with_their_tree_in_a_bounded_number_of_queries(
    api_client, plan, django_assert_max_num_queries
):
    client = as_user(api_client, plan, "ministry")
    with django_assert_max_num_queries(8):
        body = client.get(reverse("api:template-list")).json()
    thai = next(t for t in body["results"] if t["code"] == "thai-food")
    kpis = [k for p in thai["perspectives"] for c in p["csfs"] for k in c["kpis"]]
    assert len(kpis) == 26
    assert api_client.logout() is None
    assert api_client.get(reverse("api:template-list")).status_code == 401


def test_publishing_and_versioning_are_for_admins(api_client, plan):
    url = reverse("api:template-new-version", args=[plan.template.pk])
    assert as_user(api_client, plan, "program_officer").post(url).status_code == 403
    draft = as_user(api_client, plan, "admin").post(url).json()
    assert (draft["version"], draft["status"]) == (2, "draft")
    assert len(draft["perspectives"]) == 4
    published = api_client.post(reverse("api:template-publish", args=[draft["id"]])).json()
    assert published["status"] == "published"
    again = api_client.post(reverse("api:template-publish", args=[draft["id"]]))
    assert again.status_code == 400


def own_kpi_body(plan, scorecard=None):
    return {
        "code": "mendoza-wine-tourists",
        "name": "Wine tourists received by member wineries",
        "unit": "count",
        "aggregation": "sum",
        "time_aggregation": "sum",
        "scorecard": (scorecard or plan.scorecard).pk,
        "csf": plan.csf.pk,
    }


def test_bso_staff_propose_an_own_kpi_and_an_officer_accepts_it(api_client, plan):
    proposed = as_user(api_client, plan, "bso_staff").post(
        reverse("api:kpi-list"), own_kpi_body(plan), format="json"
    )
    assert proposed.status_code == 201, proposed.json()
    assert (proposed.json()["status"], proposed.json()["cluster"]) == ("proposed", plan.inside.pk)
    accept = reverse("api:kpi-accept", args=[proposed.json()["id"]])
    assert api_client.post(accept).status_code == 403
    accepted = as_user(api_client, plan, "program_officer").post(accept)
    assert accepted.json()["status"] == "accepted"


def test_own_kpis_are_seen_only_in_scope(api_client, plan):
    as_user(api_client, plan, "admin").post(
        reverse("api:kpi-list"), own_kpi_body(plan, plan.outside_scorecard), format="json"
    )
    codes = {
        k["code"]
        for k in as_user(api_client, plan, "bso_staff")
        .get(reverse("api:kpi-list"), {"page_size": 500})
        .json()["results"]
    }
    assert "thai-lean" in codes
    assert "mendoza-wine-tourists" not in codes


def test_bso_staff_cannot_propose_for_a_cluster_outside_their_scope(api_client, plan):
    response = as_user(api_client, plan, "bso_staff").post(
        reverse("api:kpi-list"), own_kpi_body(plan, plan.outside_scorecard), format="json"
    )
    assert response.status_code == 404
    assert not KPI.objects.filter(code="mendoza-wine-tourists").exists()


def test_periods_are_generated_by_admins_only(api_client, plan):
    url = reverse("api:period-generate")
    body = {"first_year": 2026, "last_year": 2027}
    assert as_user(api_client, plan, "program_officer").post(url, body).status_code == 403
    assert as_user(api_client, plan, "admin").post(url, body).json() == {"created": 10}
    assert api_client.post(url, body).json() == {"created": 0}
    assert Period.objects.get(year=2026, quarter=2).deadline.isoformat() == "2026-07-30"


def target_body(plan, level, unit):
    body = {"kpi": plan.kpi.pk, "period": plan.year.pk, "level": level, "value": "12"}
    if unit is not None:
        body[level] = unit.pk
    return body


# role -> the (level, unit) it may set; every other combination is refused
TARGET_MATRIX = [
    ("program_officer", "cluster", "inside", 201),
    ("program_officer", "cluster", "outside", 404),  # outside the scope: as for reads
    ("program_officer", "program", "program", 201),
    ("program_officer", "program", "other_program", 404),
    ("program_officer", "country", "argentina", 403),
    ("ministry", "country", "argentina", 201),
    ("ministry", "country", "ecuador", 403),
    ("ministry", "cluster", "inside", 403),
    ("regional", "region", "southern_cone", 201),
    ("regional", "region", "latam", 403),
    ("regional", "country", "argentina", 403),
    ("bso_staff", "cluster", "inside", 403),
    ("admin", "region", "latam", 201),
    ("admin", "global", None, 201),
    ("program_officer", "global", None, 403),
]


@pytest.mark.parametrize("role, level, unit, expected", TARGET_MATRIX)
def test_targets_are_set_by_the_roles_design_gives_them(
    api_client, plan, role, level, unit, expected
):
    unit_obj = getattr(plan, unit) if unit else None
    response = as_user(api_client, plan, role).post(
        reverse("api:target-list"), target_body(plan, level, unit_obj), format="json"
    )
    assert response.status_code == expected, response.json()
    assert Target.objects.filter(level=level).exists() == (expected == 201)


def test_setting_a_target_twice_updates_it(api_client, plan):
    client = as_user(api_client, plan, "ministry")
    client.post(
        reverse("api:target-list"), target_body(plan, "country", plan.argentina), format="json"
    )
    body = {**target_body(plan, "country", plan.argentina), "value": "15"}
    client.post(reverse("api:target-list"), body, format="json")
    assert list(Target.objects.values_list("value", flat=True)) == [15]


def test_cluster_targets_outside_the_scope_are_hidden(api_client, plan):
    as_user(api_client, plan, "admin").post(
        reverse("api:target-list"), target_body(plan, "cluster", plan.outside), format="json"
    )
    target = Target.objects.get()
    client = as_user(api_client, plan, "bso_staff")
    assert client.get(reverse("api:target-detail", args=[target.pk])).status_code == 404


def test_baselines_in_scope(api_client, plan):
    body = {"cluster": plan.inside.pk, "kpi": plan.kpi.pk, "year": 2024, "value": "3"}
    created = as_user(api_client, plan, "bso_staff").post(reverse("api:baseline-list"), body)
    assert created.status_code == 201, created.json()
    outside = {**body, "cluster": plan.outside.pk}
    assert api_client.post(reverse("api:baseline-list"), outside).status_code == 404
    assert (
        as_user(api_client, plan, "ministry").post(reverse("api:baseline-list"), body).status_code
        == 403
    )


def test_officers_adopt_a_scorecard_for_their_clusters(api_client, plan):
    new = Template.objects.get(code="scottish-enterprise")
    body = {"cluster": plan.inside.pk, "template": new.pk, "adopted_on": "2026-01-01"}
    assert (
        as_user(api_client, plan, "bso_staff")
        .post(reverse("api:clusterscorecard-list"), body)
        .status_code
        == 403
    )
    adopted = as_user(api_client, plan, "program_officer").post(
        reverse("api:clusterscorecard-list"), body
    )
    assert adopted.status_code == 201, adopted.json()
    plan.scorecard.refresh_from_db()
    assert plan.scorecard.until.isoformat() == "2025-12-31"
