"""Every role against every endpoint of the foundation, reading and writing.

Public directory data (regions, countries, clusters, BSOs, support links): anyone reads,
only administrators write. Governance data (committees, members, meetings, action items):
signed-in users read their scope, BSO staff and administrators write it, and an object
outside the scope answers 404 whatever the method.
"""

import pytest
from django.urls import reverse

ROLES = ["bso_staff", "program_officer", "ministry", "regional", "admin"]
PUBLIC = ["region", "country", "cluster", "bso", "clustersupport"]
SCOPED = ["committee", "committeemember", "meeting", "actionitem"]
WRITERS = {"bso_staff", "admin"}


def public_object(world, name):
    return {
        "region": world.southern_cone,
        "country": world.argentina,
        "cluster": world.inside,
        "bso": world.bso,
        "clustersupport": world.inside.supports.get(),
    }[name]


def scoped_object(world, name, where):
    c = world.committees[where]
    return {
        "committee": c.committee,
        "committeemember": c.member,
        "meeting": c.meeting,
        "actionitem": c.item,
    }[name]


def new_payload(world, name, where="inside"):
    """A valid body to create one more object of the kind, attached to `where`'s committee."""
    c = world.committees[where]
    return {
        "region": {"code": "andean", "name": "Andean", "countries": ["AR", "EC"]},
        "country": {"code": "PE", "name": "Peru"},
        "cluster": {
            "code": "cusco-textiles",
            "name": "Cusco textiles",
            "country": "EC",
            "sector": "alpaca textiles",
            "sector_family": "traditional",
            "cluster_type": "survival",
            "lifecycle_stage": "emerging",
            "initiative_origin": "bottom_up_private",
        },
        "bso": {"code": "new-bso", "name": "New BSO", "kind": "ngo", "country": "AR"},
        "clustersupport": {
            "bso": world.bso.pk,
            "cluster": world.outside.pk,
            "role": "partner",
            "since": "2024-01-01",
        },
        "committee": None,  # one per cluster: creation is tested separately
        "committeemember": {
            "committee": c.committee.pk,
            "name": "Ana Pérez",
            "organisation": "Universidad de Cuyo",
            "stakeholder_type": "academia",
            "sex": "female",
            "since": "2024-01-01",
        },
        "meeting": {
            "committee": c.committee.pk,
            "held_on": "2025-06-01",
            "attendees": [c.member.pk],
            "decisions": ["Join the Vinexpo trade fair"],
        },
        "actionitem": {
            "committee": c.committee.pk,
            "title": "Book the fair stand",
            "owner": c.member.pk,
            "due_on": "2025-09-01",
        },
    }[name]


def login(api_client, world, role):
    if role:
        api_client.force_authenticate(world.users[role])
    return api_client


# --- reading -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("name", PUBLIC)
def test_public_directory_data_is_readable_by_anyone(api_client, world, name, role):
    client = login(api_client, world, role)
    obj = public_object(world, name)
    assert client.get(reverse(f"api:{name}-list")).status_code == 200
    assert client.get(reverse(f"api:{name}-detail", args=[obj.pk])).status_code == 200


@pytest.mark.parametrize("name", SCOPED)
def test_governance_data_needs_a_signed_in_user(api_client, world, name):
    obj = scoped_object(world, name, "inside")
    assert api_client.get(reverse(f"api:{name}-list")).status_code == 401
    assert api_client.get(reverse(f"api:{name}-detail", args=[obj.pk])).status_code == 401


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", SCOPED)
def test_governance_lists_hold_only_the_users_scope(api_client, world, name, role):
    client = login(api_client, world, role)
    ids = {row["id"] for row in client.get(reverse(f"api:{name}-list")).json()["results"]}
    inside = scoped_object(world, name, "inside").pk
    outside = scoped_object(world, name, "outside").pk
    assert ids == ({inside, outside} if role == "admin" else {inside})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", SCOPED)
def test_governance_object_outside_the_scope_answers_404(api_client, world, name, role):
    client = login(api_client, world, role)
    inside = scoped_object(world, name, "inside")
    outside = scoped_object(world, name, "outside")
    assert client.get(reverse(f"api:{name}-detail", args=[inside.pk])).status_code == 200
    expected = 200 if role == "admin" else 404
    assert client.get(reverse(f"api:{name}-detail", args=[outside.pk])).status_code == expected


# --- writing -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("name", PUBLIC)
def test_only_admins_write_directory_data(api_client, world, name, role):
    client = login(api_client, world, role)
    obj = public_object(world, name)
    create = client.post(reverse(f"api:{name}-list"), new_payload(world, name), format="json")
    update = client.patch(reverse(f"api:{name}-detail", args=[obj.pk]), {}, format="json")
    expected = {None: 401, "admin": None}.get(role, 403)
    if expected:
        assert (create.status_code, update.status_code) == (expected, expected)
    else:
        assert create.status_code == 201, create.json()
        assert update.status_code == 200, update.json()


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("name", ["committeemember", "meeting", "actionitem"])
def test_bso_staff_and_admins_write_governance_in_scope(api_client, world, name, role):
    client = login(api_client, world, role)
    obj = scoped_object(world, name, "inside")
    create = client.post(reverse(f"api:{name}-list"), new_payload(world, name), format="json")
    update = client.patch(reverse(f"api:{name}-detail", args=[obj.pk]), {}, format="json")
    delete = client.delete(reverse(f"api:{name}-detail", args=[obj.pk]))
    statuses = (create.status_code, update.status_code, delete.status_code)
    if role is None:
        assert statuses == (401, 401, 401)
    elif role in WRITERS:
        assert statuses == (201, 200, 204), create.json()
    else:
        assert statuses == (403, 403, 403)


@pytest.mark.parametrize("name", ["committeemember", "meeting", "actionitem"])
def test_bso_staff_cannot_write_outside_their_scope(api_client, world, name):
    client = login(api_client, world, "bso_staff")
    obj = scoped_object(world, name, "outside")
    create = client.post(
        reverse(f"api:{name}-list"), new_payload(world, name, "outside"), format="json"
    )
    update = client.patch(
        reverse(f"api:{name}-detail", args=[obj.pk]), {"title": "x", "name": "x"}, format="json"
    )
    delete = client.delete(reverse(f"api:{name}-detail", args=[obj.pk]))
    assert (create.status_code, update.status_code, delete.status_code) == (404, 404, 404)
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("role", [None, *ROLES])
def test_committee_creation_follows_the_same_rules(api_client, world, role):
    from tests.factories import ClusterSupportFactory

    ClusterSupportFactory(
        bso=world.bso,
        cluster=world.outside.__class__.objects.create(
            code="rivas-bananas",
            name="Rivas bananas",
            country=world.argentina,
            sector="bananas",
            sector_family="natural_resource",
            cluster_type="survival",
            lifecycle_stage="emerging",
            initiative_origin="top_down_public",
        ),
    )
    client = login(api_client, world, role)
    cluster = world.bso.clusters.get(code="rivas-bananas")
    response = client.post(
        reverse("api:committee-list"),
        {"cluster": cluster.pk, "name": "Comité del clúster bananero"},
        format="json",
    )
    expected = {None: 401, "bso_staff": 201, "admin": 201}.get(role, 403)
    assert response.status_code == expected


# --- exchange rates (programs/rates): signed-in users read, administrators write -------------


@pytest.fixture
def exchange_rate(world):
    from programs.rates.services import exchange_rate_create

    return exchange_rate_create(
        data={
            "base_currency": "EUR",
            "quote_currency": "USD",
            "date": "2024-01-02",
            "rate": "1.0950",
            "source": "ECB",
        }
    )


@pytest.mark.parametrize("role", [None, *ROLES])
def test_exchange_rates_are_read_by_every_signed_in_user(api_client, world, exchange_rate, role):
    client = login(api_client, world, role)
    listed = client.get(reverse("api:exchangerate-list"))
    one = client.get(reverse("api:exchangerate-detail", args=[exchange_rate.pk]))
    expected = 401 if role is None else 200
    assert (listed.status_code, one.status_code) == (expected, expected)
    if role:
        assert [r["id"] for r in listed.json()["results"]] == [exchange_rate.pk]


@pytest.mark.parametrize("role", [None, *ROLES])
def test_only_admins_write_exchange_rates(api_client, world, exchange_rate, role):
    client = login(api_client, world, role)
    body = {"base_currency": "USD", "quote_currency": "ARS", "date": "2024-01-02", "rate": "820"}
    create = client.post(reverse("api:exchangerate-list"), body, format="json")
    detail = reverse("api:exchangerate-detail", args=[exchange_rate.pk])
    update = client.patch(detail, {"source": "BCRA"}, format="json")
    delete = client.delete(detail)
    statuses = (create.status_code, update.status_code, delete.status_code)
    expected = {None: (401,) * 3, "admin": (201, 200, 204)}.get(role, (403,) * 3)
    assert statuses == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_converted_portfolio_holds_only_the_users_programs(
    api_client, world, exchange_rate, role
):
    client = login(api_client, world, role)
    response = client.get(reverse("api:program-portfolio"), {"currency": "USD"})
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["programs"] == (2 if role == "admin" else 1)


# --- component KPIs (scorecards): read in the programs' scope, officers and admins write -----


@pytest.fixture
def component_links(world):
    from programs.models import Component
    from scorecards.models import KPI
    from scorecards.services import component_kpi_link

    def link(program, code):
        component = Component.objects.create(program=program, name=f"Component {code}")
        kpi = KPI.objects.create(
            code=code, name=code, unit="count", aggregation="sum", time_aggregation="sum"
        )
        return component_kpi_link(component=component, kpi=kpi)

    return {"inside": link(world.program, "inside-kpi"), "outside": link(world.other_program, "o")}


@pytest.mark.parametrize("role", [None, *ROLES])
def test_component_kpis_hold_only_the_users_programs(api_client, world, component_links, role):
    client = login(api_client, world, role)
    listed = client.get(reverse("api:componentkpi-list"))
    outside = client.get(reverse("api:componentkpi-detail", args=[component_links["outside"].pk]))
    if role is None:
        assert (listed.status_code, outside.status_code) == (401, 401)
        return
    ids = {row["id"] for row in listed.json()["results"]}
    inside = component_links["inside"].pk
    assert ids == ({inside, component_links["outside"].pk} if role == "admin" else {inside})
    assert outside.status_code == (200 if role == "admin" else 404)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_officers_and_admins_link_kpis_to_their_components(
    api_client, world, component_links, role
):
    client = login(api_client, world, role)
    inside = component_links["inside"]
    body = {"component": inside.component_id, "kpi": component_links["outside"].kpi_id}
    create = client.post(reverse("api:componentkpi-list"), body, format="json")
    delete = client.delete(reverse("api:componentkpi-detail", args=[inside.pk]))
    expected = {None: (401, 401), "program_officer": (201, 204), "admin": (201, 204)}
    assert (create.status_code, delete.status_code) == expected.get(role, (403, 403))


def test_an_officer_cannot_link_a_kpi_to_another_programs_component(
    api_client, world, component_links
):
    client = login(api_client, world, "program_officer")
    outside = component_links["outside"]
    body = {"component": outside.component_id, "kpi": component_links["inside"].kpi_id}
    assert client.post(reverse("api:componentkpi-list"), body, format="json").status_code == 404
    detail = reverse("api:componentkpi-detail", args=[outside.pk])
    assert client.delete(detail).status_code == 404


# --- explaining a flagged KPI value (monitoring) ----------------------------------------------


def _flagged_value(world, cluster):
    import datetime

    from django.utils import timezone

    from monitoring.models import Flag
    from monitoring.reports.services import report_open
    from scorecards.models import Template
    from scorecards.services import scorecard_adopt

    if not cluster.scorecards.exists():
        scorecard_adopt(
            cluster=cluster,
            template=Template.objects.get(code="thai-food", version=1),
            on=datetime.date(2024, 1, 1),
        )
    measurement = report_open(cluster=cluster, period=world.q1).measurements.first()
    Flag.objects.create(measurement=measurement, rule="maximum", raised_at=timezone.now())
    return measurement


# Who explains a flag of a draft's value: BSO staff in scope and administrators; officers read
# the value but do not explain it (403); ministries and regional bodies do not see drafts (404).
EXPLAIN = {
    None: (401, 401),
    "bso_staff": (200, 404),
    "program_officer": (403, 404),
    "ministry": (404, 404),
    "regional": (404, 404),
    "admin": (200, 200),
}


@pytest.mark.parametrize("role", [None, *ROLES])
def test_explaining_a_flagged_value_follows_the_scope(api_client, thai, role):
    client = login(api_client, thai, role)
    answers = tuple(
        client.post(
            reverse("api:measurement-explain", args=[_flagged_value(thai, cluster).pk]),
            {"rule": "maximum", "explanation": "Two firms merged."},
            format="json",
        ).status_code
        for cluster in (thai.inside, thai.outside)
    )
    assert answers == EXPLAIN[role]


# --- notifications: one's own, whatever the role ------------------------------------------


@pytest.mark.parametrize("role", [None, *ROLES])
def test_notifications_are_ones_own_whatever_the_role(api_client, world, role):
    from notifications.models import Notification
    from notifications.services import notify

    rows = {r: notify(kind="approved", recipients=[u])[0] for r, u in world.users.items()}
    client = login(api_client, world, role)
    listed = client.get(reverse("api:notification-list"))
    if role is None:
        assert listed.status_code == 401
        return
    assert {row["id"] for row in listed.json()["results"]} == {rows[role].pk}
    for other, row in rows.items():
        expected = 200 if other == role else 404
        assert client.get(reverse("api:notification-detail", args=[row.pk])).status_code == expected
        read = client.post(reverse("api:notification-read", args=[row.pk]))
        assert read.status_code == expected
    assert set(Notification.objects.filter(read_at__isnull=False)) == {rows[role]}


# --- surveys: scoped like firms (tests/surveys/test_api.py has the whole matrix) ------------


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("name", ["surveyround", "surveyresponse", "surveyresult"])
def test_survey_rounds_responses_and_results_outside_the_scope_answer_404(
    api_client, world, role, name
):
    from tests.surveys.helpers import answer, firms_of, make_round, make_survey

    survey = make_survey()
    rounds = {where: make_round(survey, getattr(world, where)) for where in ("inside", "outside")}
    for where, round_ in rounds.items():
        answer(round_, [(f, {"exports": "yes"}) for f in firms_of(getattr(world, where), 1)])

    def pk(where):
        round_ = rounds[where]
        return round_.responses.get().pk if name == "surveyresponse" else round_.pk

    client = login(api_client, world, role)
    answers = tuple(
        client.get(reverse(f"api:{name}-detail", args=[pk(where)])).status_code
        for where in ("inside", "outside")
    )
    expected = {None: (401, 401), "admin": (200, 200)}.get(role, (200, 404))
    assert answers == expected
