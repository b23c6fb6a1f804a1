"""Programs written from pages, as an officer or an administrator does it: the program, its
status on the date it happened, components, enrolments, strategic committee members and
disbursements; each refusal says why and keeps what was typed; other roles get 403, a program
outside the scope 404; every change shows on the program's history page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Component, Disbursement, Enrolment, Program, StrategicCommitteeMember
from tests.factories import ClusterFactory, EnrolmentFactory
from tests.programs.conftest import disburse

D = Decimal
S = Program.Status
READERS = ["bso_staff", "ministry", "regional"]


def signed_in(client, world, role):
    client.force_login(world.users[role])
    return client


def form_urls(program, money=None) -> dict[str, str]:
    urls = {
        "edit": reverse("program-edit", args=[program.pk]),
        "status": reverse("program-status", args=[program.pk]),
        "component": reverse("component-create", args=[program.pk]),
        "enrolment": reverse("enrolment-create", args=[program.pk]),
        "member": reverse("strategic-member-create", args=[program.pk]),
        "disbursement": reverse("disbursement-create", args=[program.pk]),
    }
    if money is not None:
        enrolment = program.enrolments.first()
        member = program.committee_members.first()
        urls |= {
            "component-edit": reverse("component-edit", args=[program.pk, money.component.pk]),
            "enrolment-edit": reverse("enrolment-edit", args=[program.pk, enrolment.pk]),
            "member-edit": reverse("strategic-member-edit", args=[program.pk, member.pk]),
        }
    return urls


def member_data(**fields) -> dict:
    return {
        "name": "Ana Pérez",
        "organisation": "Universidad de Cuyo",
        "stakeholder_type": "academia",
        "role": "member",
        "sex": "female",
        "since": "2018-05-01",
        "until": "",
    } | fields


# --- who may write ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_readers_of_a_program_get_403_on_every_form(client, money, role):
    client = signed_in(client, money.world, role)
    urls = [reverse("program-create"), *form_urls(money.world.program, money).values()]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "x"}).status_code == 403, url
    assert Program.objects.count() == 2


def test_an_officer_gets_404_on_the_forms_of_another_program(client, money):
    client = signed_in(client, money.world, "program_officer")
    for url in form_urls(money.world.other_program).values():
        assert client.get(url).status_code == 404, url
        assert client.post(url, member_data()).status_code == 404, url
    assert StrategicCommitteeMember.objects.filter(program=money.world.other_program).count() == 0


def test_an_officer_cannot_reach_another_programs_parts_through_their_own(client, money):
    client = signed_in(client, money.world, "program_officer")
    program = money.world.program
    url = reverse("component-edit", args=[program.pk, money.other_component.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["program_officer", "admin"])
def test_writers_open_every_form_of_the_program(client, money, role):
    client = signed_in(client, money.world, role)
    for url in [reverse("program-create"), *form_urls(money.world.program, money).values()]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'class="error-summary' not in response.content.decode()


def test_anonymous_visitors_are_asked_to_sign_in(client, money):
    response = client.get(reverse("program-create"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- links -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "writes"),
    [("program_officer", True), ("admin", True)] + [(role, False) for role in READERS],
)
def test_pages_link_the_forms_for_writers_only(client, money, role, writes):
    client = signed_in(client, money.world, role)
    portfolio = client.get(reverse("program-portfolio")).content.decode()
    assert ("New program" in portfolio) is writes
    page = client.get(money.world.program.get_absolute_url()).content.decode()
    for url in form_urls(money.world.program, money).values():
        assert (f'href="{url}"' in page) is writes, url


# --- the program -----------------------------------------------------------------------------


# How the program is published as IATI data: the form shows them with their defaults.
IATI = {"reporting_org_type": "40", "dac_sector": "32130"}


def test_an_officer_creates_a_program_and_looks_after_it(client, money):
    world = money.world
    client = signed_in(client, world, "program_officer")
    response = client.post(
        reverse("program-create"),
        {
            "code": "ar-export-2018",
            "name": "Argentina exports",
            "funder": "IDB",
            "countries": [world.argentina.pk],
            "currency": "usd",
            "total_amount": "1000",
            "funder_amount": "800",
            **IATI,
        },
    )
    program = Program.objects.get(code="ar-export-2018")
    assert response.status_code == 302
    assert response["Location"] == program.get_absolute_url()
    assert (program.status, program.currency, program.funder_amount) == (
        S.PREPARATION,
        "USD",
        D("800"),
    )
    assert list(program.countries.all()) == [world.argentina]
    assert list(program.officers.all()) == [world.users["program_officer"]]
    assert client.get(program.get_absolute_url()).status_code == 200


def test_a_program_whose_funder_amount_exceeds_the_total_is_refused_keeping_what_was_typed(
    client, money
):
    client = signed_in(client, money.world, "program_officer")
    response = client.post(
        reverse("program-create"),
        {
            "code": "too-much",
            "name": "Too much",
            "currency": "USD",
            "total_amount": "100",
            "funder_amount": "500",
            **IATI,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The funder amount cannot exceed the total amount." in html
    assert 'class="error-summary' in html
    assert 'value="Too much"' in html and 'value="500"' in html
    assert not Program.objects.filter(code="too-much").exists()


def test_a_required_field_left_empty_is_tied_to_its_input(client, money):
    client = signed_in(client, money.world, "program_officer")
    response = client.post(reverse("program-create"), {"code": "no-name", "currency": "USD"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_name"' in html  # the summary links to the field
    assert 'aria-describedby="id_name_error"' in html


def test_an_officer_edits_their_program(client, money):
    program = money.world.program
    client = signed_in(client, money.world, "program_officer")
    data = {
        "code": program.code,
        "name": "Argentina clusters II",
        "funder": "IDB",
        "countries": [money.world.argentina.pk],
        "currency": "USD",
        "total_amount": "300",
        "funder_amount": "100",
        **IATI,
    }
    assert client.post(reverse("program-edit", args=[program.pk]), data).status_code == 302
    program.refresh_from_db()
    assert (program.name, program.total_amount) == ("Argentina clusters II", D("300"))


def test_the_funder_amount_cannot_shrink_below_what_was_disbursed(client, money):
    program = money.world.program
    client = signed_in(client, money.world, "program_officer")
    data = {"code": program.code, "name": program.name, "currency": "USD", **IATI}
    data |= {"total_amount": "200", "funder_amount": "20"}  # 50 already disbursed
    response = client.post(reverse("program-edit", args=[program.pk]), data)
    assert response.status_code == 400
    assert "already disbursed" in response.content.decode()
    program.refresh_from_db()
    assert program.funder_amount == D("100")


# --- the status ------------------------------------------------------------------------------


@pytest.fixture
def preparing(money):
    """A program of the officer's in preparation, with its funder amount."""
    program = Program.objects.create(
        code="ar-2018", name="Argentina 2018", total_amount=D("1000"), funder_amount=D("800")
    )
    program.countries.set([money.world.argentina])
    program.officers.add(money.world.users["program_officer"])
    return program


def test_a_program_is_approved_with_a_date_in_2018(client, money, preparing):
    client = signed_in(client, money.world, "program_officer")
    url = reverse("program-status", args=[preparing.pk])
    form = client.get(url).context["form"]
    assert [value for value, _label in form.fields["status"].choices] == [
        S.APPROVED,
        S.CANCELLED,
    ]
    response = client.post(url, {"status": S.APPROVED, "on": "2018-04-09"})
    assert response.status_code == 302
    preparing.refresh_from_db()
    assert (preparing.status, preparing.approval_date) == (S.APPROVED, datetime.date(2018, 4, 9))
    page = client.get(preparing.get_absolute_url()).content.decode()
    assert "Approved" in page


def test_a_step_dated_in_the_future_is_refused_with_its_reason(client, money, preparing):
    client = signed_in(client, money.world, "program_officer")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("program-status", args=[preparing.pk]),
        {"status": S.APPROVED, "on": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The date of a step cannot be in the future." in html
    assert 'href="#id_on"' in html
    assert f'value="{tomorrow.isoformat()}"' in html
    preparing.refresh_from_db()
    assert preparing.status == S.PREPARATION


def test_a_step_dated_before_the_previous_one_is_refused(client, money):
    program = money.world.program  # in execution, approved on 2023-01-15
    client = signed_in(client, money.world, "program_officer")
    response = client.post(
        reverse("program-status", args=[program.pk]), {"status": S.CLOSED, "on": "2022-12-31"}
    )
    assert response.status_code == 400
    assert "previous step (2023-01-15)" in response.content.decode()
    program.refresh_from_db()
    assert program.status == S.IN_EXECUTION


def test_a_step_the_cycle_does_not_allow_is_refused(client, money, preparing):
    client = signed_in(client, money.world, "program_officer")
    response = client.post(
        reverse("program-status", args=[preparing.pk]),
        {"status": S.CLOSED, "on": "2020-01-01"},
    )
    assert response.status_code == 400
    preparing.refresh_from_db()
    assert preparing.status == S.PREPARATION


def test_an_approval_without_a_funder_amount_says_so(client, money, preparing):
    Program.objects.filter(pk=preparing.pk).update(funder_amount=0)
    client = signed_in(client, money.world, "program_officer")
    response = client.post(
        reverse("program-status", args=[preparing.pk]), {"status": S.APPROVED, "on": "2018-04-09"}
    )
    assert response.status_code == 400
    assert "approved with the funder&#x27;s amount" in response.content.decode()


def test_a_final_status_offers_no_step(client, money, preparing):
    Program.objects.filter(pk=preparing.pk).update(status=S.CANCELLED)
    client = signed_in(client, money.world, "program_officer")
    html = client.get(reverse("program-status", args=[preparing.pk])).content.decode()
    assert "is final" in html
    assert 'name="on"' not in html  # no form to fill


# --- components, enrolments, committee -----------------------------------------------------


def test_an_officer_adds_and_edits_a_component(client, money):
    program = money.world.program
    client = signed_in(client, money.world, "program_officer")
    url = reverse("component-create", args=[program.pk])
    response = client.post(url, {"name": "Fairs", "description": "Trade fairs", "budget": "60"})
    assert response.status_code == 302
    assert response["Location"].endswith("#components")
    fairs = Component.objects.get(program=program, name="Fairs")
    edit = reverse("component-edit", args=[program.pk, fairs.pk])
    assert client.post(edit, {"name": "Fairs", "budget": "70"}).status_code == 302
    fairs.refresh_from_db()
    assert fairs.budget == D("70")


def test_a_component_beyond_the_total_amount_is_refused(client, money):
    program = money.world.program  # total 200, Training's budget 80
    client = signed_in(client, money.world, "program_officer")
    response = client.post(
        reverse("component-create", args=[program.pk]), {"name": "Roads", "budget": "150"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "would exceed the program" in html and 'value="Roads"' in html
    assert not Component.objects.filter(name="Roads").exists()


def test_an_officer_enrols_an_active_cluster_of_the_programs_countries(client, money):
    world = money.world
    cuyo = ClusterFactory(code="cuyo-olives", name="Cuyo olives", country=world.argentina)
    closed = ClusterFactory(name="Closed mines", country=world.argentina, status="inactive")
    client = signed_in(client, world, "program_officer")
    url = reverse("enrolment-create", args=[world.program.pk])
    offered = list(client.get(url).context["form"].fields["cluster"].queryset)
    assert cuyo in offered
    assert closed not in offered and world.outside not in offered
    response = client.post(
        url, {"cluster": cuyo.pk, "enrolled_from": "2018-06-01", "enrolled_until": ""}
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(program=world.program, cluster=cuyo)
    assert enrolment.enrolled_from == datetime.date(2018, 6, 1)
    edit = reverse("enrolment-edit", args=[world.program.pk, enrolment.pk])
    ended = client.post(
        edit, {"cluster": cuyo.pk, "enrolled_from": "2018-06-01", "enrolled_until": "2020-12-31"}
    )
    assert ended.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.enrolled_until == datetime.date(2020, 12, 31)


def test_an_officer_cannot_enrol_a_cluster_of_another_country(client, money):
    world = money.world
    client = signed_in(client, world, "program_officer")
    response = client.post(
        reverse("enrolment-create", args=[world.program.pk]),
        {"cluster": world.outside.pk, "enrolled_from": "2024-01-01"},
    )
    assert response.status_code == 400
    assert 'class="error-summary' in response.content.decode()
    assert not Enrolment.objects.filter(program=world.program, cluster=world.outside).exists()


def test_an_admin_may_enrol_any_cluster(client, money):
    world = money.world
    client = signed_in(client, world, "admin")
    response = client.post(
        reverse("enrolment-create", args=[world.program.pk]),
        {"cluster": world.outside.pk, "enrolled_from": "2024-01-01"},
    )
    assert response.status_code == 302
    assert Enrolment.objects.filter(program=world.program, cluster=world.outside).exists()


def test_enrolment_dates_out_of_order_are_refused(client, money):
    world = money.world
    client = signed_in(client, world, "program_officer")
    response = client.post(
        reverse("enrolment-create", args=[world.program.pk]),
        {"cluster": world.inside.pk, "enrolled_from": "2024-01-01", "enrolled_until": "2023-01-01"},
    )
    assert response.status_code == 400
    assert "The end date cannot be before the start date." in response.content.decode()


def test_an_officer_seats_and_changes_a_strategic_committee_member(client, money):
    program = money.world.program
    client = signed_in(client, money.world, "program_officer")
    url = reverse("strategic-member-create", args=[program.pk])
    assert client.post(url, member_data()).status_code == 302
    member = StrategicCommitteeMember.objects.get(program=program, name="Ana Pérez")
    edit = reverse("strategic-member-edit", args=[program.pk, member.pk])
    assert client.post(edit, member_data(role="chair", until="2021-01-01")).status_code == 302
    member.refresh_from_db()
    assert (member.role, member.until) == ("chair", datetime.date(2021, 1, 1))


def test_a_member_leaving_before_joining_is_refused(client, money):
    program = money.world.program
    client = signed_in(client, money.world, "program_officer")
    response = client.post(
        reverse("strategic-member-create", args=[program.pk]), member_data(until="2017-01-01")
    )
    assert response.status_code == 400
    assert 'value="Ana Pérez"' in response.content.decode()
    assert not StrategicCommitteeMember.objects.filter(name="Ana Pérez").exists()


# --- disbursements ---------------------------------------------------------------------------


def test_an_officer_records_a_disbursement_as_it_happened(client, money):
    program = money.world.program
    client = signed_in(client, money.world, "program_officer")
    response = client.post(
        reverse("disbursement-create", args=[program.pk]),
        {"date": "2023-03-01", "amount": "20", "component": money.component.pk, "reference": "R1"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#disbursements")
    disbursement = Disbursement.objects.get(program=program, reference="R1")
    assert (disbursement.date, disbursement.amount) == (datetime.date(2023, 3, 1), D("20"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2022-12-31", "amount": "10"}, "before the program&#x27;s approval"),
        ({"date": "2099-01-01", "amount": "10"}, "cannot be in the future"),
        ({"date": "2023-03-01", "amount": "60"}, "exceed the funder amount"),
        ({"date": "2023-03-01", "amount": "-5"}, "positive amount"),
    ],
)
def test_a_disbursement_out_of_the_rules_is_refused(client, money, data, message):
    program = money.world.program
    client = signed_in(client, money.world, "program_officer")
    response = client.post(reverse("disbursement-create", args=[program.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'value="{data["amount"]}"' in html
    assert program.disbursements.count() == 1


def test_no_disbursement_before_the_approval_is_recorded(client, money, preparing):
    client = signed_in(client, money.world, "program_officer")
    response = client.post(
        reverse("disbursement-create", args=[preparing.pk]), {"date": "2019-01-01", "amount": "5"}
    )
    assert response.status_code == 400
    assert "approved or in execution" in response.content.decode()


def test_a_component_of_another_program_is_not_offered(client, money):
    program = money.world.program
    client = signed_in(client, money.world, "program_officer")
    response = client.post(
        reverse("disbursement-create", args=[program.pk]),
        {"date": "2023-03-01", "amount": "5", "component": money.other_component.pk},
    )
    assert response.status_code == 400
    assert program.disbursements.count() == 1


# --- history ---------------------------------------------------------------------------------


def test_every_change_from_the_pages_shows_on_the_programs_history(client, money):
    world = money.world
    program = world.program
    cuyo = ClusterFactory(code="cuyo-olives", name="Cuyo olives", country=world.argentina)
    client = signed_in(client, world, "program_officer")
    client.post(reverse("component-create", args=[program.pk]), {"name": "Fairs", "budget": "5"})
    client.post(
        reverse("enrolment-create", args=[program.pk]),
        {"cluster": cuyo.pk, "enrolled_from": "2023-02-01"},
    )
    client.post(reverse("strategic-member-create", args=[program.pk]), member_data())
    client.post(
        reverse("disbursement-create", args=[program.pk]), {"date": "2023-05-02", "amount": "7"}
    )
    response = client.get(reverse("program-history", args=[program.pk]))
    assert response.status_code == 200
    subjects = [change.subject for change in response.context["page_obj"].object_list]
    for subject in (
        "Component: Fairs",
        "Enrolment: Cuyo olives",
        "Strategic committee member: Ana Pérez",
        "Disbursement: 2 May 2023",
    ):
        assert subject in subjects, subjects
    html = response.content.decode()
    assert "Cuyo olives" in html and "officer" in html


def test_the_history_of_a_changed_part_says_what_changed(client, money):
    program = money.world.program
    client = signed_in(client, money.world, "program_officer")
    edit = reverse("component-edit", args=[program.pk, money.component.pk])
    client.post(edit, {"name": "Training", "budget": "90"})
    changes = client.get(reverse("program-history", args=[program.pk])).context["page_obj"]
    newest = changes.object_list[0]
    assert (newest.subject, newest.kind) == ("Component: Training", "changed")
    assert [(f.label, f.old, f.new) for f in newest.fields] == [("Budget", "80", "90")]


def test_a_part_since_deleted_stays_on_the_programs_history(client, money):
    from programs.services import enrolment_delete

    enrolment = money.world.program.enrolments.get()
    enrolment_delete(enrolment=enrolment)
    client = signed_in(client, money.world, "program_officer")
    response = client.get(reverse("program-history", args=[money.world.program.pk]))
    newest = response.context["page_obj"].object_list[0]
    assert (newest.subject, newest.kind) == ("Enrolment: Mendoza wine", "deleted")


def test_the_program_history_is_read_in_scope_only(client, money):
    client = signed_in(client, money.world, "program_officer")
    other = reverse("program-history", args=[money.world.other_program.pk])
    assert client.get(other).status_code == 404


def test_the_program_history_page_costs_a_bounded_number_of_queries(
    client, money, django_assert_max_num_queries
):
    program = money.world.program
    for n in range(15):
        Component.objects.create(program=program, name=f"Part {n}", budget=D("1"))
        EnrolmentFactory(program=program, cluster=ClusterFactory(country=money.world.argentina))
    client = signed_in(client, money.world, "program_officer")
    with django_assert_max_num_queries(25):
        response = client.get(reverse("program-history", args=[program.pk]))
    assert len(response.context["page_obj"].object_list) == 20


# --- the program page ------------------------------------------------------------------------


def test_the_program_page_with_its_forms_costs_a_bounded_number_of_queries(
    client, money, django_assert_max_num_queries
):
    program = money.world.program
    for n in range(12):
        component = Component.objects.create(program=program, name=f"Part {n}", budget=D("1"))
        disburse(program, "1", on=f"2024-0{n % 9 + 1}-01", component=component)
        EnrolmentFactory(program=program, cluster=ClusterFactory(country=money.world.argentina))
        StrategicCommitteeMember.objects.create(
            program=program,
            name=f"Member {n}",
            organisation="Org",
            stakeholder_type="public",
            sex="female",
            since=datetime.date(2023, 2, 1),
        )
    client = signed_in(client, money.world, "program_officer")
    # 12 for the page and its forms, 2 for the components' results (the S-curve block)
    with django_assert_max_num_queries(14):
        response = client.get(program.get_absolute_url())
    html = response.content.decode()
    assert html.count(">Edit<") == 13 * 3  # components, enrolments, members: 12 + 1 each
