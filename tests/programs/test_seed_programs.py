"""The demo gives its programs money in two currencies, components and strategic committees,
and seeding again writes nothing."""

import io

from django.core.management import call_command

from programs import selectors
from programs.models import Disbursement, Program, StrategicCommitteeMember


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_programs_have_money_in_two_currencies_and_committees(db):
    seed()
    totals = {t.currency: t for t in selectors.portfolio_totals(Program.objects.all())}
    assert {"USD", "EUR"} <= set(totals)
    for total in totals.values():
        assert 0 < total.disbursement_rate < 1
    assert Disbursement.objects.filter(component__isnull=False).exists()
    assert not Program.objects.filter(components__isnull=True).exists()
    assert StrategicCommitteeMember.objects.values("program").distinct().count() == 3
    assert not Program.objects.filter(countries__isnull=True).exists()


def test_seeding_programs_again_writes_nothing(db):
    seed()
    before = list(Disbursement.objects.order_by("pk").values())
    output = seed()
    assert "created 0, updated 0" in output
    assert list(Disbursement.objects.order_by("pk").values()) == before
