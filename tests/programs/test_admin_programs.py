"""The program admin: money inlines validated like the API, status moved by the service."""

import pytest
from django.urls import reverse

from programs.models import Program


@pytest.fixture
def superuser_client(client, money):
    user = money.world.users["admin"]
    user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def test_the_change_page_shows_components_disbursements_and_committee(superuser_client, money):
    url = reverse("admin:programs_program_change", args=[money.world.program.pk])
    html = superuser_client.get(url).content.decode()
    for prefix in ("components", "disbursements", "enrolments", "committee_members"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html
    assert 'name="status"' not in html  # read-only: transitions only


def test_the_add_page_has_no_disbursements_before_the_program_exists(superuser_client, money):
    html = superuser_client.get(reverse("admin:programs_program_add")).content.decode()
    assert 'name="disbursements-TOTAL_FORMS"' not in html


def test_an_admin_action_refuses_a_step_the_cycle_does_not_allow(superuser_client, money):
    program = money.world.program  # in execution
    response = superuser_client.post(
        reverse("admin:programs_program_changelist"),
        {"action": "make_approved", "_selected_action": [program.pk]},
        follow=True,
    )
    assert "cannot become" in response.content.decode()
    program.refresh_from_db()
    assert program.status == Program.Status.IN_EXECUTION
    superuser_client.post(
        reverse("admin:programs_program_changelist"),
        {"action": "make_closed", "_selected_action": [program.pk]},
    )
    program.refresh_from_db()
    assert program.status == Program.Status.CLOSED


def test_an_enrolment_added_in_the_admin_goes_through_the_service(rf, money):
    from types import SimpleNamespace

    from django.contrib import admin

    from core.models import RollupStale
    from programs.admin import EnrolmentInline, ProgramAdmin
    from programs.models import Enrolment, Program

    world = money.world
    request = rf.post("/")
    request.user = world.users["admin"]
    request.user.is_superuser = True  # the admin's inlines save only what the user may add
    formset_class = EnrolmentInline(Program, admin.site).get_formset(request, world.program)
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-cluster": str(world.outside.pk),
        f"{prefix}-0-enrolled_from": "2024-01-01",
    }
    formset = formset_class(data, instance=world.program, prefix=prefix)
    assert formset.is_valid(), formset.errors
    RollupStale.objects.all().delete()
    ProgramAdmin(Program, admin.site).save_formset(
        request, SimpleNamespace(instance=world.program), formset, change=True
    )
    assert Enrolment.objects.filter(program=world.program, cluster=world.outside).exists()
    assert RollupStale.objects.filter(reason__contains="enrolments changed").exists()


def test_an_exchange_rate_is_corrected_in_the_admin(client, world):
    from programs.rates.models import ExchangeRate

    user = world.users["admin"]
    user.is_superuser = user.is_staff = True
    user.save()
    client.force_login(user)
    stored = ExchangeRate.objects.create(
        base_currency="EUR", quote_currency="USD", date="2024-01-02", rate="1.0"
    )
    url = reverse("admin:programs_exchangerate_change", args=[stored.pk])
    body = {
        "base_currency": "EUR",
        "quote_currency": "USD",
        "date": "2024-01-02",
        "rate": "1.095",
        "source": "ECB",
    }
    assert client.post(url, body).status_code == 302
    stored.refresh_from_db()
    assert (str(stored.rate), stored.source) == ("1.0950000000", "ECB")
    add = reverse("admin:programs_exchangerate_add")
    assert client.post(add, body | {"date": "2024-01-03"}).status_code == 302
    assert ExchangeRate.objects.count() == 2
