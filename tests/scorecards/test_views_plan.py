"""The plan from pages: own KPIs proposed (BSO staff) and decided (officers), targets and
baselines in grids that save many at once, and a cluster's scorecard adoption; each for the
roles DESIGN.md gives it, in scope (else 404), through the services the API uses."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import RollupStale
from scorecards.models import CSF, KPI, Baseline, ClusterScorecard, Period, Target, Template
from scorecards.services import own_kpi_propose, periods_generate, scorecard_adopt


@pytest.fixture
def plan(world):
    periods_generate(first_year=2025, last_year=2025)
    world.template = Template.objects.get(code="thai-food", version=1)
    for cluster in (world.inside, world.outside):
        scorecard_adopt(cluster=cluster, template=world.template, on=datetime.date(2024, 1, 1))
    world.scorecard = ClusterScorecard.objects.get(cluster=world.inside)
    world.csf = CSF.objects.filter(perspective__template=world.template).first()
    world.q1 = Period.objects.get(year=2025, quarter=1)
    world.q2 = Period.objects.get(year=2025, quarter=2)
    world.year = Period.objects.get(year=2025, quarter=0)
    world.quarterly = KPI.objects.get(code="thai-lean")
    world.annual = (
        KPI.objects.filter(
            placements__csf__perspective__template=world.template, frequency="annual"
        )
        .exclude(aggregation="ratio")
        .first()
    )
    world.ratio = KPI.objects.filter(
        placements__csf__perspective__template=world.template, aggregation="ratio"
    ).first()
    return world


def proposal(plan, **more):
    return {
        "csf": plan.csf.pk,
        "code": "mendoza-wine-tourists",
        "name": "Wine tourists received by member wineries",
        "unit": "count",
        "direction": "higher",
        "aggregation": "sum",
        "time_aggregation": "sum",
        "frequency": "quarterly",
        "results_level": "output",
        **more,
    }


def propose(plan, cluster=None):
    scorecard = ClusterScorecard.objects.get(cluster=cluster or plan.inside)
    data = proposal(plan)
    data.pop("csf")
    return own_kpi_propose(
        scorecard=scorecard,
        csf=plan.csf,
        data={**data, "code": f"{scorecard.cluster.code}-tourists"},
        user=plan.users["bso_staff"] if cluster is None else plan.users["admin"],
    )


# --- own KPIs ---------------------------------------------------------------------------------


def test_a_bso_proposes_an_own_kpi_from_the_clusters_scorecard(plan, client):
    client.force_login(plan.users["bso_staff"])
    page = client.get(reverse("cluster-scorecard", args=[plan.inside.pk])).content.decode()
    url = reverse("own-kpi-new", args=[plan.inside.pk])
    assert f'href="{url}"' in page

    response = client.post(url, proposal(plan))

    assert response.status_code == 302
    kpi = KPI.objects.get(code="mendoza-wine-tourists")
    assert (kpi.cluster, kpi.status, kpi.proposed_by) == (
        plan.inside,
        KPI.Status.PROPOSED,
        plan.users["bso_staff"],
    )
    assert kpi.own_placement.csf == plan.csf


def test_a_refused_proposal_lists_its_errors_and_keeps_what_was_typed(plan, client):
    client.force_login(plan.users["bso_staff"])

    response = client.post(
        reverse("own-kpi-new", args=[plan.inside.pk]),
        proposal(plan, name="", description="Counted at the wineries' doors"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_name"' in html and 'id="id_name_error"' in html
    assert 'aria-describedby="id_name_error"' in html
    assert "Counted at the wineries&#x27; doors" in html
    assert 'value="mendoza-wine-tourists"' in html
    assert not KPI.objects.filter(code="mendoza-wine-tourists").exists()


@pytest.mark.parametrize("role", ["bso_staff", "program_officer", "ministry"])
def test_another_clusters_plan_pages_are_not_found(plan, client, role):
    client.force_login(plan.users[role])

    for name in ("own-kpi-new", "baseline-grid", "scorecard-adopt"):
        assert client.get(reverse(name, args=[plan.outside.pk])).status_code == 404
    outside_kpi = propose(plan, cluster=plan.outside)
    assert client.get(reverse("own-kpi-review", args=[outside_kpi.pk])).status_code == 404


def test_officers_may_not_propose_and_bso_staff_may_not_decide(plan, client):
    kpi = propose(plan)
    client.force_login(plan.users["program_officer"])
    assert client.get(reverse("own-kpi-new", args=[plan.inside.pk])).status_code == 403
    client.force_login(plan.users["bso_staff"])

    response = client.post(
        reverse("own-kpi-review", args=[kpi.pk]), {"decision": "accept", "reason": ""}
    )

    assert response.status_code == 403
    kpi.refresh_from_db()
    assert kpi.status == KPI.Status.PROPOSED


def test_rejecting_through_the_api_as_bso_staff_names_who_may(plan):
    kpi = propose(plan)
    api = APIClient()
    api.force_authenticate(plan.users["bso_staff"])

    response = api.post(reverse("api:kpi-reject", args=[kpi.pk]), {"reason": "no"})

    assert response.status_code == 403
    assert "accept or reject" in response.json()["detail"]
    assert "Only program officers accept" not in response.json()["detail"]


def test_the_officer_finds_the_proposal_in_the_review_queue_and_rejects_it_with_a_reason(
    plan, client
):
    kpi = propose(plan)
    outside = propose(plan, cluster=plan.outside)
    client.force_login(plan.users["program_officer"])
    queue = client.get(reverse("review-queue")).content.decode()
    url = reverse("own-kpi-review", args=[kpi.pk])
    assert f'href="{url}"' in queue
    assert reverse("own-kpi-review", args=[outside.pk]) not in queue

    refused = client.post(url, {"decision": "reject", "reason": "  "})
    response = client.post(url, {"decision": "reject", "reason": "Measured already by KPI 3."})

    assert refused.status_code == 400
    assert 'href="#id_reason"' in refused.content.decode()
    assert response.status_code == 302
    kpi.refresh_from_db()
    assert (kpi.status, kpi.decision_reason, kpi.decided_by) == (
        KPI.Status.REJECTED,
        "Measured already by KPI 3.",
        plan.users["program_officer"],
    )
    client.force_login(plan.users["bso_staff"])
    page = client.get(reverse("cluster-scorecard", args=[plan.inside.pk])).content.decode()
    assert "Measured already by KPI 3." in page


def test_the_officer_accepts_a_proposal_and_it_joins_the_targets_grid(plan, client):
    kpi = propose(plan)
    client.force_login(plan.users["program_officer"])

    client.post(reverse("own-kpi-review", args=[kpi.pk]), {"decision": "accept"})
    grid = client.get(reverse("target-grid"), {"unit": f"cluster-{plan.inside.pk}", "year": 2025})

    kpi.refresh_from_db()
    assert kpi.status == KPI.Status.ACCEPTED
    assert f'data-kpi="{kpi.code}"' in grid.content.decode()


# --- targets ----------------------------------------------------------------------------------


def grid_url(unit: str, year=2025, **more):
    from django.utils.http import urlencode

    return f"{reverse('target-grid')}?{urlencode({'unit': unit, 'year': year, **more})}"


def cell(kpi, period) -> str:
    return f"t-{kpi.pk}-{period.pk}"


def test_an_officer_sets_many_cluster_targets_at_once_and_learns_which_totals_are_stale(
    plan, client, django_assert_max_num_queries
):
    client.force_login(plan.users["program_officer"])
    scorecard = client.get(reverse("cluster-scorecard", args=[plan.inside.pk])).content.decode()
    assert f'href="{reverse("target-grid")}?unit=cluster-{plan.inside.pk}"' in scorecard
    url = grid_url(f"cluster-{plan.inside.pk}")
    with django_assert_max_num_queries(20):
        page = client.get(url)
    assert page.status_code == 200
    assert f'name="{cell(plan.quarterly, plan.q1)}"' in page.content.decode()
    assert f'name="{cell(plan.annual, plan.q1)}"' not in page.content.decode()  # annual: year
    RollupStale.objects.all().delete()

    with django_assert_max_num_queries(25):
        response = client.post(
            url,
            {
                cell(plan.quarterly, plan.q1): "10",
                cell(plan.quarterly, plan.q2): "12.5",
                cell(plan.annual, plan.year): "40",
            },
        )
    response = client.get(response.url)

    targets = Target.objects.filter(level="cluster", cluster=plan.inside)
    assert {(t.kpi, t.period, t.value) for t in targets} == {
        (plan.quarterly, plan.q1, Decimal("10")),
        (plan.quarterly, plan.q2, Decimal("12.5")),
        (plan.annual, plan.year, Decimal("40")),
    }
    assert set(RollupStale.objects.values_list("kpi_id", "period_id")) == {
        (plan.quarterly.pk, plan.q1.pk),
        (plan.quarterly.pk, plan.q2.pk),
        (plan.annual.pk, plan.year.pk),
    }
    html = response.content.decode()
    assert "3 targets saved (3 new, 0 changed, 0 removed)" in html
    assert f"{plan.quarterly.name} · 2025-Q2" in html


def test_saving_the_grid_again_changes_only_what_changed_and_an_empty_cell_removes(plan, client):
    client.force_login(plan.users["program_officer"])
    url = grid_url(f"cluster-{plan.inside.pk}")
    client.post(url, {cell(plan.quarterly, plan.q1): "10", cell(plan.quarterly, plan.q2): "11"})
    RollupStale.objects.all().delete()

    client.post(url, {cell(plan.quarterly, plan.q1): "10", cell(plan.quarterly, plan.q2): ""})

    assert list(Target.objects.values_list("period", "value")) == [(plan.q1.pk, Decimal("10"))]
    assert list(RollupStale.objects.values_list("kpi_id", "period_id")) == [
        (plan.quarterly.pk, plan.q2.pk)
    ]


def test_a_wrong_cell_saves_nothing_and_comes_back_with_every_typed_value(plan, client):
    client.force_login(plan.users["program_officer"])

    response = client.post(
        grid_url(f"cluster-{plan.inside.pk}"),
        {cell(plan.quarterly, plan.q1): "10", cell(plan.quarterly, plan.q2): "ten"},
    )

    html = response.content.decode()
    bad = f"id_{cell(plan.quarterly, plan.q2)}"
    assert response.status_code == 400
    assert f'href="#{bad}"' in html and f'id="{bad}_error"' in html
    assert f'aria-describedby="{bad}_error"' in html
    assert 'value="ten"' in html and 'value="10"' in html
    assert not Target.objects.exists()


def test_a_ministry_sets_national_targets_and_only_its_own_country(plan, client):
    client.force_login(plan.users["ministry"])

    saved = client.post(
        grid_url(f"country-{plan.argentina.pk}", template=plan.template.pk),
        {cell(plan.quarterly, plan.year): "100"},
    )

    assert saved.status_code == 302
    assert Target.objects.get(level="country").country == plan.argentina
    assert client.get(grid_url(f"country-{plan.ecuador.pk}")).status_code == 404
    assert client.get(grid_url(f"cluster-{plan.inside.pk}")).status_code == 404
    assert client.get(grid_url(f"region-{plan.southern_cone.pk}")).status_code == 404


def test_a_regional_body_sets_its_regions_targets(plan, client):
    client.force_login(plan.users["regional"])

    page = client.get(reverse("target-grid")).content.decode()
    client.post(
        grid_url(f"region-{plan.southern_cone.pk}", template=plan.template.pk),
        {cell(plan.quarterly, plan.year): "7"},
    )

    assert f'value="region-{plan.southern_cone.pk}"' in page
    assert f'value="region-{plan.latam.pk}"' not in page
    assert Target.objects.get(level="region").region == plan.southern_cone
    assert client.get(grid_url(f"region-{plan.latam.pk}")).status_code == 404


def test_an_officer_sets_program_targets_of_their_own_program_only(plan, client):
    client.force_login(plan.users["program_officer"])

    client.post(
        grid_url(f"program-{plan.program.pk}", template=plan.template.pk),
        {cell(plan.quarterly, plan.q1): "3"},
    )

    assert Target.objects.get(level="program").program == plan.program
    assert client.get(grid_url(f"program-{plan.other_program.pk}")).status_code == 404
    assert client.get(grid_url(f"cluster-{plan.outside.pk}")).status_code == 404


def test_bso_staff_set_no_targets(plan, client):
    client.force_login(plan.users["bso_staff"])

    assert client.get(reverse("target-grid")).status_code == 403
    assert client.get(grid_url(f"cluster-{plan.inside.pk}")).status_code == 403


# --- baselines and adoption ------------------------------------------------------------------


def test_a_bso_sets_the_clusters_baselines_in_one_grid(plan, client):
    client.force_login(plan.users["bso_staff"])
    url = reverse("baseline-grid", args=[plan.inside.pk])

    response = client.post(
        url,
        {
            f"b-{plan.quarterly.pk}-year": "2023",
            f"b-{plan.quarterly.pk}-value": "4",
            f"b-{plan.quarterly.pk}-note": "Member survey 2023",
            f"b-{plan.ratio.pk}-year": "2023",
            f"b-{plan.ratio.pk}-numerator": "3",
            f"b-{plan.ratio.pk}-denominator": "12",
        },
    )

    assert response.status_code == 302
    baselines = {b.kpi: b for b in Baseline.objects.filter(cluster=plan.inside)}
    assert baselines[plan.quarterly].value == 4
    assert baselines[plan.quarterly].note == "Member survey 2023"
    assert (baselines[plan.ratio].numerator, baselines[plan.ratio].denominator) == (3, 12)


def test_a_ratio_baseline_without_its_denominator_is_refused_beside_it(plan, client):
    client.force_login(plan.users["program_officer"])

    response = client.post(
        reverse("baseline-grid", args=[plan.inside.pk]),
        {f"b-{plan.ratio.pk}-year": "2023", f"b-{plan.ratio.pk}-numerator": "3"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert f'href="#id_b-{plan.ratio.pk}-denominator"' in html
    assert 'value="3"' in html and 'value="2023"' in html
    assert not Baseline.objects.exists()


def test_the_baselines_page_costs_a_bounded_number_of_queries(
    plan, client, django_assert_max_num_queries
):
    client.force_login(plan.users["bso_staff"])

    with django_assert_max_num_queries(15):
        assert client.get(reverse("baseline-grid", args=[plan.inside.pk])).status_code == 200


def test_ministries_set_no_baselines(plan, client):
    client.force_login(plan.users["ministry"])

    assert client.get(reverse("baseline-grid", args=[plan.inside.pk])).status_code == 403


def test_an_officer_adopts_a_new_scorecard_version_for_a_cluster(plan, client):
    draft = Template.objects.get(pk=plan.template.pk)
    from scorecards.services import template_new_version, template_publish

    version_two = template_publish(template=template_new_version(template=draft))
    client.force_login(plan.users["program_officer"])

    response = client.post(
        reverse("scorecard-adopt", args=[plan.inside.pk]),
        {"template": version_two.pk, "adopted_on": "2025-07-01"},
    )

    assert response.status_code == 302
    current = ClusterScorecard.objects.current().get(cluster=plan.inside)
    assert (current.template, current.adopted_on) == (version_two, datetime.date(2025, 7, 1))


def test_bso_staff_do_not_adopt_and_a_bad_date_keeps_the_choice(plan, client):
    client.force_login(plan.users["bso_staff"])
    assert client.get(reverse("scorecard-adopt", args=[plan.inside.pk])).status_code == 403
    client.force_login(plan.users["program_officer"])

    response = client.post(
        reverse("scorecard-adopt", args=[plan.inside.pk]),
        {"template": plan.template.pk, "adopted_on": "not a date"},
    )

    assert response.status_code == 400
    assert 'href="#id_adopted_on"' in response.content.decode()
    assert 'value="not a date"' in response.content.decode()


def test_the_api_rejects_with_a_reason_through_the_same_service(plan):
    kpi = propose(plan)
    api = APIClient()
    api.force_authenticate(plan.users["program_officer"])
    url = reverse("api:kpi-reject", args=[kpi.pk])

    refused = api.post(url, {}, format="json")
    rejected = api.post(url, {"reason": "Duplicates a core KPI."}, format="json")

    assert refused.status_code == 400 and "reason" in refused.json()
    assert rejected.status_code == 200
    assert rejected.json()["decision_reason"] == "Duplicates a core KPI."


def test_the_plan_pages_read_in_spanish_without_error(plan, client):
    client.force_login(plan.users["program_officer"])
    client.post(reverse("set_language"), {"language": "es", "next": "/"})

    for url in (
        grid_url(f"cluster-{plan.inside.pk}"),
        reverse("baseline-grid", args=[plan.inside.pk]),
        reverse("scorecard-adopt", args=[plan.inside.pk]),
        reverse("review-queue"),
        reverse("account"),
    ):
        assert client.get(url).status_code == 200, url


def test_a_bso_edits_a_proposal_while_it_waits_and_not_after(plan, client):
    kpi = propose(plan)
    client.force_login(plan.users["bso_staff"])
    edit = reverse("own-kpi-edit", args=[kpi.pk])
    assert f'href="{edit}"' in client.get(reverse("own-kpi-review", args=[kpi.pk])).content.decode()
    data = proposal(plan, code=kpi.code, name="Wine tourists per month")
    data.pop("csf")

    response = client.post(edit, data)

    assert response.status_code == 302
    kpi.refresh_from_db()
    assert kpi.name == "Wine tourists per month"
    KPI.objects.filter(pk=kpi.pk).update(status=KPI.Status.ACCEPTED)
    refused = client.post(edit, {**data, "name": "Changed after acceptance"})
    assert refused.status_code == 400
    assert "still proposed" in refused.content.decode()
    outside = propose(plan, cluster=plan.outside)
    assert client.get(reverse("own-kpi-edit", args=[outside.pk])).status_code == 404


def test_another_clusters_own_kpi_takes_no_target_here(plan):
    outside_own = propose(plan, cluster=plan.outside)
    api = APIClient()
    api.force_authenticate(plan.users["admin"])

    response = api.post(
        reverse("api:target-list"),
        {
            "kpi": outside_own.pk,
            "period": plan.q1.pk,
            "level": "cluster",
            "cluster": plan.inside.pk,
            "value": "5",
        },
        format="json",
    )

    assert response.status_code == 400
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("bso_staff", False),
        ("program_officer", True),
        ("ministry", True),
        ("regional", True),
        ("admin", True),
    ],
)
def test_the_menu_offers_the_targets_grid_to_the_roles_that_set_targets(plan, client, role, shown):
    from accounts.scopes import target_units

    user = plan.users[role]
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()

    assert (f'href="{reverse("target-grid")}"' in html) is shown
    sets_some = any(
        target_units(user, level) is not None
        for level in ("cluster", "country", "region", "program")
    )
    assert sets_some is shown


# --- which levels the targets page offers (DESIGN.md "Who may do what", rule 2's levels) -------

# The levels each role sets targets at, as DESIGN.md's roles table gives them: officers cluster
# and program (in scope), ministries national, regional bodies regional, administrators every
# level, the global one above the regions included.
LEVELS_OF_ROLE = {
    "program_officer": {"cluster", "program"},
    "ministry": {"country"},
    "regional": {"region"},
    "admin": {"cluster", "program", "country", "region", "global"},
}


def offered_levels(html: str) -> set[str]:
    """The levels of the page's "Where" choices: each option's value is "<level>-<id>" (the
    global level: "global")."""
    import re

    picker = html.split('id="target-unit"')[1].split("</select>")[0]
    return {
        value.split("-")[0] for value in re.findall(r'<option value="([^"]+)"', picker) if value
    }


@pytest.mark.parametrize("role", sorted(LEVELS_OF_ROLE))
def test_the_targets_page_offers_exactly_the_levels_the_role_sets(plan, client, role):
    client.force_login(plan.users[role])

    page = client.get(reverse("target-grid"))

    assert page.status_code == 200
    assert offered_levels(page.content.decode()) == LEVELS_OF_ROLE[role]


def test_an_administrator_sets_global_targets_from_the_targets_page(plan, client):
    client.force_login(plan.users["admin"])
    url = grid_url("global", template=plan.template.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert "All clusters (global)" in page.content.decode()
    RollupStale.objects.all().delete()

    saved = client.post(
        url, {cell(plan.quarterly, plan.q1): "30", cell(plan.annual, plan.year): "120"}
    )

    assert saved.status_code == 302
    targets = Target.objects.filter(level="global")
    assert {(t.kpi, t.period, t.value, t.set_by) for t in targets} == {
        (plan.quarterly, plan.q1, Decimal("30"), plan.users["admin"]),
        (plan.annual, plan.year, Decimal("120"), plan.users["admin"]),
    }
    assert (plan.quarterly.pk, plan.q1.pk) in set(
        RollupStale.objects.values_list("kpi_id", "period_id")
    )
    again = client.get(url).content.decode()  # the grid shows them back
    assert f'name="{cell(plan.quarterly, plan.q1)}" value="30"' in again


@pytest.mark.parametrize("role", ["program_officer", "ministry", "regional", "bso_staff"])
def test_only_administrators_open_the_global_targets(plan, client, role):
    client.force_login(plan.users[role])

    response = client.post(
        grid_url("global", template=plan.template.pk), {cell(plan.quarterly, plan.q1): "30"}
    )

    assert response.status_code == (403 if role == "bso_staff" else 404)
    assert not Target.objects.exists()
