"""The audit trail: every audited model records who changed what through the doors users use
(pages, the API with a real token, the admin, the import), and the history page shows it to
the users who may see the object, in a bounded number of queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import Role, User
from accounts.tokens.services import token_issue
from bsos.models import ClusterSupport
from monitoring.activities.services import activities_create_many
from monitoring.models import Activity, Measurement
from monitoring.reports.services import report_record_values, report_transition
from programs.models import Disbursement, Program
from programs.services import program_create
from scorecards.models import KPI, Baseline, Level, Period, Target
from tests.factories import BSOFactory
from tests.monitoring.test_activity_views import form_data
from tests.reports import complete_rows


def api_as(user) -> APIClient:
    """An API client signed in as the user with a real token, as an outside client is."""
    _token, key = token_issue(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def signed_in(client, user):
    client.force_login(user)
    return client


def latest(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def text(html: bytes) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.decode()).split())


@pytest.fixture
def plan(thai):
    thai.year = Period.objects.get(year=2025, quarter=0)
    thai.kpi = KPI.objects.get(code="thai-lean")
    return thai


def target_via_api(plan, value="12", user="program_officer", period=None):
    body = {
        "kpi": plan.kpi.pk,
        "period": (period or plan.year).pk,
        "level": "cluster",
        "cluster": plan.inside.pk,
        "value": value,
    }
    response = api_as(plan.users[user]).post(reverse("api:target-list"), body, format="json")
    assert response.status_code == 201, response.json()
    return Target.objects.get(pk=response.json()["id"])


# --- Recorded through the doors users use ----------------------------------------------------


def test_a_value_saved_on_the_report_page_records_who_and_the_old_value(plan, client):
    lean = plan.report.measurements.get(kpi=plan.kpi)
    bso = signed_in(client, plan.users["bso_staff"])
    data = {f"kpi-{lean.pk and lean.kpi_id}-revision": "0", f"kpi-{lean.kpi_id}-value": "8"}
    assert bso.post(reverse("report-detail", args=[plan.report.pk]), data).status_code == 302
    record = latest(lean)
    assert (record.history_type, record.history_user, record.value) == (
        "~",
        plan.users["bso_staff"],
        Decimal("8"),
    )
    assert record.prev_record.value is None  # the empty value the report opened with


def test_opening_a_report_records_each_empty_value_once(plan):
    # report_open writes its values with one bulk insert: their history rows too
    for measurement in plan.report.measurements.all():
        assert list(measurement.history.values_list("history_type", flat=True)) == ["+"]


def test_targets_set_and_changed_through_the_api_record_the_token_user(plan):
    target = target_via_api(plan)
    target_via_api(plan, value="15")
    types = list(target.history.order_by("history_date").values_list("history_type", "value"))
    assert types == [("+", Decimal("12")), ("~", Decimal("15"))]
    assert latest(target).history_user == plan.users["program_officer"]
    api_as(plan.users["admin"]).delete(reverse("api:target-detail", args=[target.pk]))
    assert Target.history.filter(id=target.pk).latest("history_date").history_type == "-"


def test_a_baseline_set_through_the_api_records_the_user(plan):
    body = {"cluster": plan.inside.pk, "kpi": plan.kpi.pk, "year": 2024, "value": "3"}
    response = api_as(plan.users["bso_staff"]).post(reverse("api:baseline-list"), body)
    assert response.status_code == 201, response.json()
    record = latest(Baseline.objects.get())
    assert (record.history_type, record.history_user) == ("+", plan.users["bso_staff"])


def test_a_program_changed_through_the_api_records_fields_and_countries(world):
    client = api_as(world.users["program_officer"])
    url = reverse("api:program-detail", args=[world.program.pk])
    body = {"name": "Clusters of Argentina", "countries": ["AR", "EC"]}
    response = client.patch(url, body, format="json")
    assert response.status_code == 200, response.json()
    program = Program.objects.get(pk=world.program.pk)
    record = latest(program)
    assert record.history_user == world.users["program_officer"]
    assert record.name == "Clusters of Argentina"
    assert set(record.countries.values_list("country__code", flat=True)) == {"AR", "EC"}


def test_a_disbursement_recorded_through_the_api_records_the_officer(world):
    Program.objects.filter(pk=world.program.pk).update(
        status=Program.Status.IN_EXECUTION,
        approval_date=datetime.date(2023, 1, 15),
        total_amount=Decimal("200"),
        funder_amount=Decimal("100"),
    )
    url = reverse("api:program-disbursements", args=[world.program.pk])
    body = {"date": "2024-06-01", "amount": "10.00"}
    response = api_as(world.users["program_officer"]).post(url, body, format="json")
    assert response.status_code == 201, response.json()
    record = latest(Disbursement.objects.get())
    assert (record.history_type, record.history_user) == ("+", world.users["program_officer"])


def test_a_cluster_support_changed_through_the_api_records_the_admin(world):
    support = ClusterSupport.objects.get(cluster=world.inside)
    url = reverse("api:clustersupport-detail", args=[support.pk])
    response = api_as(world.users["admin"]).patch(url, {"until": "2026-06-30"}, format="json")
    assert response.status_code == 200, response.json()
    record = latest(support)
    assert (record.history_user, record.until) == (
        world.users["admin"],
        datetime.date(2026, 6, 30),
    )


def test_a_users_role_and_scope_changed_in_the_admin_are_recorded(world, client):
    admin = world.users["admin"]
    User.objects.filter(pk=admin.pk).update(is_superuser=True)
    signed_in(client, User.objects.get(pk=admin.pk))
    person = world.users["ministry"]
    url = reverse("admin:accounts_user_change", args=[person.pk])
    data = {
        "username": person.username,
        "role": Role.PROGRAM_OFFICER,
        "programs": [world.program.pk],
        "is_active": "on",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00",
        "country": "",
        "region": "",
        "bso": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = latest(person)
    assert (record.history_user, record.role) == (User.objects.get(pk=admin.pk), "program_officer")
    assert list(record.programs.values_list("program", flat=True)) == [world.program.pk]


def test_signing_in_writes_no_history(world, client):
    person = world.users["bso_staff"]
    person.set_password("a long enough password 1")
    person.save()
    before = person.history.count()
    client.post(reverse("login"), {"username": "bso", "password": "a long enough password 1"})
    assert User.objects.get(pk=person.pk).last_login is not None
    assert person.history.count() == before


def test_an_activity_logged_on_the_page_and_changed_through_the_api_records_both(world, client):
    bso = signed_in(client, world.users["bso_staff"])
    assert bso.post(reverse("activity-new"), form_data(world)).status_code == 302
    activity = Activity.objects.get()
    assert (latest(activity).history_type, latest(activity).history_user) == (
        "+",
        world.users["bso_staff"],
    )
    url = reverse("api:activity-detail", args=[activity.pk])
    response = api_as(world.users["bso_staff"]).patch(url, {"women": 9}, format="json")
    assert response.status_code == 200, response.json()
    assert (latest(activity).history_type, latest(activity).women) == ("~", 9)


def test_activities_created_in_bulk_have_their_history_by_the_importer(world):
    rows = [
        {
            "cluster": world.inside,
            "date": datetime.date(2025, 3, day),
            "type": "training",
            "title": f"Course {day}",
            "cost_program": Decimal("1"),
            "cost_firms": Decimal("0"),
            "cost_public": Decimal("0"),
            "cost_credit": Decimal("0"),
            "currency": "USD",
        }
        for day in (1, 2, 3)
    ]
    saved = activities_create_many(rows=rows, user=world.users["bso_staff"])
    for activity in saved:
        assert [(r.history_type, r.history_user) for r in activity.history.all()] == [
            ("+", world.users["bso_staff"])
        ]


# --- The history page -------------------------------------------------------------------------


def test_the_target_history_shows_who_changed_what_newest_first(plan, client):
    target = target_via_api(plan)
    target_via_api(plan, value="15")
    officer = plan.users["program_officer"]
    officer.first_name, officer.last_name = "Olga", "Officer"
    officer.save()
    page = signed_in(client, plan.users["bso_staff"]).get(
        reverse("target-history", args=[target.pk])
    )
    assert page.status_code == 200
    body = text(page.content)
    # newest first: the change from 12 to 15, then the creation naming the KPI, not its id
    assert re.search(r"Olga Officer · changed Field Before After Target 12 15", body), body
    assert re.search(r"created .* KPI — " + re.escape(str(plan.kpi)), body), body
    assert body.index("changed") < body.index("created")


def test_a_programs_countries_show_by_name(world, client):
    client_api = api_as(world.users["program_officer"])
    url = reverse("api:program-detail", args=[world.program.pk])
    client_api.patch(url, {"countries": ["AR"]}, format="json")
    client_api.patch(url, {"countries": ["AR", "EC"]}, format="json")
    page = signed_in(client, world.users["program_officer"]).get(
        reverse("program-history", args=[world.program.pk])
    )
    assert "Countries Argentina Argentina, Ecuador" in text(page.content)


def test_the_pages_that_show_an_object_link_to_its_history(plan, client):
    target_via_api(plan, period=plan.q1)
    signed_in(client, plan.users["program_officer"])
    card = client.get(reverse("cluster-scorecard", args=[plan.inside.pk]), {"period": plan.q1.pk})
    target = Target.objects.get()
    assert reverse("target-history", args=[target.pk]).encode() in card.content
    report = client.get(reverse("report-detail", args=[plan.report.pk])).content
    lean = plan.report.measurements.get(kpi=plan.kpi)
    assert reverse("measurement-history", args=[lean.pk]).encode() in report
    program = client.get(reverse("program-detail", args=[plan.program.pk])).content
    assert reverse("program-history", args=[plan.program.pk]).encode() in program
    account = client.get(reverse("account")).content
    assert reverse("user-history", args=[plan.users["program_officer"].pk]).encode() in account


@pytest.mark.parametrize(
    ("role", "obj", "url_name"),
    [
        ("bso_staff", "outside_target", "target-history"),
        ("bso_staff", "outside_support", "support-history"),
        ("program_officer", "other_program", "program-history"),
        ("ministry", "draft_value", "measurement-history"),
        ("bso_staff", "outside_activity", "activity-history"),
        ("bso_staff", "other_user", "user-history"),
    ],
)
def test_an_object_outside_the_users_scope_answers_404(plan, client, role, obj, url_name):
    objects = {
        "outside_target": lambda: target_via_api(plan, user="admin").__class__.objects.create(
            kpi=plan.kpi, period=plan.year, level="cluster", cluster=plan.outside, value=1
        ),
        "outside_support": lambda: ClusterSupport.objects.get(cluster=plan.outside),
        "other_program": lambda: plan.other_program,
        "draft_value": lambda: plan.report.measurements.first(),
        "outside_activity": lambda: Activity.objects.create(
            cluster=plan.outside,
            bso=plan.other_bso,
            date=datetime.date(2025, 1, 1),
            type="training",
            title="Elsewhere",
            cost_program=0,
            cost_firms=0,
            cost_public=0,
            cost_credit=0,
            currency="USD",
        ),
        "other_user": lambda: plan.users["ministry"],
    }
    pk = objects[obj]().pk
    response = signed_in(client, plan.users[role]).get(reverse(url_name, args=[pk]))
    assert response.status_code == 404


def test_a_ministry_reads_a_values_history_once_the_report_is_approved(plan, client):
    lean = plan.report.measurements.get(kpi=plan.kpi)
    url = reverse("measurement-history", args=[lean.pk])
    ministry = signed_in(client, plan.users["ministry"])
    assert ministry.get(url).status_code == 404
    rows = complete_rows(plan.report)
    report_record_values(report=plan.report, rows=rows, user=plan.users["bso_staff"])
    for action, user in (("submit", "bso_staff"), ("approve", "program_officer")):
        report_transition(report=plan.report, action=action, user=plan.users[user])
    assert ministry.get(url).status_code == 200


def test_the_page_costs_the_same_queries_with_many_changes(
    plan, client, django_assert_max_num_queries
):
    target = target_via_api(plan)
    officer = plan.users["program_officer"]
    signed_in(client, officer)
    url = reverse("target-history", args=[target.pk])
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for value in range(20, 60):
        target.value, target._history_user = value, officer
        target.save()
    with django_assert_max_num_queries(12) as many:
        page = client.get(url, {"page": 2})
    assert page.status_code == 200
    assert len(many.captured_queries) <= len(few.captured_queries) + 1
    assert text(page.content).count(" changed ") == 20  # a full page, older changes


def test_a_page_beyond_the_last_shows_the_last(plan, client):
    target = target_via_api(plan)
    signed_in(client, plan.users["program_officer"])
    page = client.get(reverse("target-history", args=[target.pk]), {"page": "99"})
    assert page.status_code == 200
    assert " created " in text(page.content)


def test_the_history_page_is_translated(plan, client):
    target = target_via_api(plan)
    signed_in(client, plan.users["program_officer"])
    page = client.get(reverse("target-history", args=[target.pk]), HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200
    with translation.override("es"):
        label = str(Target._meta.get_field("value").verbose_name).capitalize()
        level = str(Level.CLUSTER.label)
    assert (label, level) != ("Target", "Cluster")  # the field's label and choice in Spanish
    body = text(page.content)
    assert f"{label} — 12" in body and level in body
    # to the minute, day first as Spanish writes it
    assert re.search(r"\b\d{1,2} [a-z]{3} \d{4} \d{2}:\d{2}\b", body), body  # 3 dic 2026 15:44


def test_a_users_own_history_is_theirs_and_an_admins_is_everyones(world, client):
    person = world.users["bso_staff"]
    person.bso = BSOFactory(code="new-bso", country=world.argentina)
    person._history_user = world.users["admin"]
    person.save()
    signed_in(client, person)
    own = client.get(reverse("user-history", args=[person.pk]))
    assert own.status_code == 200
    assert "BSO Bodegas de Argentina" in text(own.content)
    signed_in(client, world.users["admin"])
    assert client.get(reverse("user-history", args=[person.pk])).status_code == 200


def test_measurements_keep_their_history_model():
    assert Measurement.history.model.__name__ == "HistoricalMeasurement"


def test_a_program_created_by_an_officer_is_recorded_in_the_officers_scope(world):
    officer = world.users["program_officer"]
    program = program_create(
        data={"code": "new", "name": "New", "currency": "USD"}, officer=officer
    )
    record = latest(officer)
    assert set(record.programs.values_list("program", flat=True)) == {world.program.pk, program.pk}
    assert [r.history_type for r in program.history.all()] == ["+"]  # no stray row of its own
    program.officers.clear()
    assert list(latest(officer).programs.values_list("program", flat=True)) == [world.program.pk]


def test_a_users_history_with_many_scope_changes_costs_a_fixed_number_of_queries(
    world, client, django_assert_max_num_queries
):
    person = world.users["program_officer"]
    programs = [world.program, world.other_program]
    for i in range(30):
        person.programs.set(programs[: 1 + i % 2])
    signed_in(client, world.users["admin"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("user-history", args=[person.pk]))
    assert page.status_code == 200
    body = text(page.content)
    assert body.count(" changed ") == 20
    names = sorted((str(world.program), str(world.other_program)), key=str.casefold)
    assert ", ".join(names) in body  # the programs by name, in alphabetical order
