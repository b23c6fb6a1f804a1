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


# --- a value's comment thread (monitoring) -----------------------------------------------------


def _value_of(world, cluster, state):
    from monitoring.models import Report

    measurement = _flagged_value(world, cluster)
    Report.objects.filter(pk=measurement.report_id).update(state=state)
    return measurement


# (GET, POST) of /measurements/{id}/comments/ on a value of the cluster in scope, then of the one
# outside it. Whoever reads the value reads its thread: ministries and regional bodies only
# once the report is approved, and they never write in it (403); BSO staff, officers and
# administrators write; outside the scope, 404 whatever the method.
COMMENTS = {
    "draft": {
        None: (401, 401, 401, 401),
        "bso_staff": (200, 201, 404, 404),
        "program_officer": (200, 201, 404, 404),
        "ministry": (404, 404, 404, 404),
        "regional": (404, 404, 404, 404),
        "admin": (200, 201, 200, 201),
    },
    "approved": {
        None: (401, 401, 401, 401),
        "bso_staff": (200, 201, 404, 404),
        "program_officer": (200, 201, 404, 404),
        "ministry": (200, 403, 404, 404),
        "regional": (200, 403, 404, 404),
        "admin": (200, 201, 200, 201),
    },
}


@pytest.mark.parametrize("state", ["draft", "approved"])
@pytest.mark.parametrize("role", [None, *ROLES])
def test_a_values_comment_thread_follows_the_scope(api_client, thai, role, state):
    client = login(api_client, thai, role)
    answers = []
    for cluster in (thai.inside, thai.outside):
        url = reverse("api:measurement-comments", args=[_value_of(thai, cluster, state).pk])
        answers.append(client.get(url).status_code)
        answers.append(client.post(url, {"text": "Why so high?"}, format="json").status_code)
    assert tuple(answers) == COMMENTS[state][role]


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


# --- competitiveness plans: read in scope, BSO staff and admins write -------------------------


@pytest.fixture
def plans(world):
    import datetime

    from plans.services import action_create, plan_create

    admin = world.users["admin"]
    found = {}
    for where, cluster in (("inside", world.inside), ("outside", world.outside)):
        plan = plan_create(
            cluster=cluster,
            data={
                "title": f"Plan of {cluster.name}",
                "period_start": datetime.date(2025, 1, 1),
                "period_end": datetime.date(2026, 12, 31),
            },
            user=admin,
        )
        action = action_create(
            plan=plan,
            data={
                "title": "Joint stand",
                "owner": "Chamber",
                "starts_on": datetime.date(2025, 3, 1),
                "ends_on": datetime.date(2025, 6, 30),
                "currency": "USD",
            },
            user=admin,
        )
        found[where] = {"plan": plan, "planaction": action}
    return found


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("name", ["plan", "planaction"])
def test_plans_and_their_actions_hold_only_the_users_scope(api_client, world, plans, name, role):
    client = login(api_client, world, role)
    listed = client.get(reverse(f"api:{name}-list"))
    inside, outside = plans["inside"][name].pk, plans["outside"][name].pk
    if role is None:
        assert listed.status_code == 401
        assert client.get(reverse(f"api:{name}-detail", args=[inside])).status_code == 401
        return
    assert {row["id"] for row in listed.json()["results"]} == (
        {inside, outside} if role == "admin" else {inside}
    )
    assert client.get(reverse(f"api:{name}-detail", args=[inside])).status_code == 200
    expected = 200 if role == "admin" else 404
    assert client.get(reverse(f"api:{name}-detail", args=[outside])).status_code == expected


@pytest.mark.parametrize("role", [None, *ROLES])
def test_bso_staff_and_admins_write_plans_in_scope(api_client, world, plans, role):
    client = login(api_client, world, role)
    plan = plans["inside"]["plan"]
    body = {
        "plan": plan.pk,
        "title": "Export consortium",
        "owner": "Bodegas",
        "starts_on": "2025-04-01",
        "ends_on": "2025-12-31",
        "budget_program": "1500.00",
        "currency": "USD",
    }
    create = client.post(reverse("api:planaction-list"), body, format="json")
    update = client.patch(
        reverse("api:plan-detail", args=[plan.pk]), {"threats": "Hail"}, format="json"
    )
    delete = client.delete(
        reverse("api:planaction-detail", args=[plans["inside"]["planaction"].pk])
    )
    statuses = (create.status_code, update.status_code, delete.status_code)
    if role is None:
        assert statuses == (401, 401, 401)
    elif role in WRITERS:
        assert statuses == (201, 200, 204), create.json()
        assert create.json()["budget_program"] == "1500.00"
    else:
        assert statuses == (403, 403, 403)


def test_bso_staff_cannot_write_plans_outside_their_scope(api_client, world, plans):
    client = login(api_client, world, "bso_staff")
    outside = plans["outside"]
    body = {
        "plan": outside["plan"].pk,
        "title": "x",
        "owner": "x",
        "starts_on": "2025-04-01",
        "ends_on": "2025-12-31",
        "currency": "USD",
    }
    create = client.post(reverse("api:planaction-list"), body, format="json")
    update = client.patch(
        reverse("api:plan-detail", args=[outside["plan"].pk]), {"title": "x"}, format="json"
    )
    delete = client.delete(reverse("api:planaction-detail", args=[outside["planaction"].pk]))
    approve = client.post(
        reverse("api:plan-approve", args=[outside["plan"].pk]),
        {"decision": 1},
        format="json",
    )
    statuses = (create.status_code, update.status_code, delete.status_code, approve.status_code)
    assert statuses == (404, 404, 404, 404)
    assert outside["planaction"].__class__.objects.filter(pk=outside["planaction"].pk).exists()


# --- the collaboration network: a cluster in scope, 404 outside ------------------------------


@pytest.mark.parametrize("role", [None, *ROLES])
def test_the_network_of_a_cluster_follows_the_scope(api_client, world, role):
    client = login(api_client, world, role)
    inside = client.get(reverse("api:networks"), {"cluster": world.inside.pk})
    outside = client.get(reverse("api:networks"), {"cluster": world.outside.pk})
    if role is None:
        assert (inside.status_code, outside.status_code) == (401, 401)
        return
    assert inside.status_code == 200
    assert outside.status_code == (200 if role == "admin" else 404)


# --- knowledge exchange (read only, scoped) -----------------------------------------------------


@pytest.fixture
def exchange_rows(world):
    """A case study and a visit of each of inside and outside (unpublished: the API shows the
    scope, published or not)."""
    import datetime

    from public.exchange.models import CaseStudy, ExchangeVisit

    rows = {}
    for where in ("inside", "outside"):
        cluster = getattr(world, where)
        other = world.outside if where == "inside" else world.inside
        rows[where] = {
            "casestudy": CaseStudy.objects.create(
                cluster=cluster, title=where, summary="s", body="b", sector_family="traditional"
            ),
            "exchangevisit": ExchangeVisit.objects.create(
                visitor=cluster,
                host=other,
                starts_on=datetime.date(2025, 1, 1),
                ends_on=datetime.date(2025, 1, 1),
                purpose="p",
            ),
        }
    # A visit between two clusters neither of which is inside: a third Ecuadorian host.
    from tests.factories import ClusterFactory

    third = ClusterFactory(code="otavalo", name="Otavalo", country=world.ecuador)
    rows["outside"]["exchangevisit"].host = third
    rows["outside"]["exchangevisit"].save()
    return rows


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("name", ["casestudy", "exchangevisit"])
def test_knowledge_exchange_endpoints_hold_the_users_scope_and_404_outside(
    api_client, world, exchange_rows, name, role
):
    client = login(api_client, world, role)
    inside, outside = exchange_rows["inside"][name], exchange_rows["outside"][name]

    listing = client.get(reverse(f"api:{name}-list"))
    outside_detail = client.get(reverse(f"api:{name}-detail", args=[outside.pk]))

    if role is None:
        assert listing.status_code == 401
        return
    ids = {row["id"] for row in listing.json()["results"]}
    assert ids == ({inside.pk, outside.pk} if role == "admin" else {inside.pk})
    assert outside_detail.status_code == (200 if role == "admin" else 404)
    assert client.post(reverse(f"api:{name}-list"), {}).status_code in (401, 403, 405)


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
