"""seed_demo and demo_logins on an empty database."""

import io

from django.core.management import call_command

from clusters.models import Cluster


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_prints_a_summary_of_counts(db):
    output = seed()
    assert f"{Cluster.objects.count()} clusters" in output
    assert "created " in output


def test_demo_logins_works_before_seeding(db):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "run `manage.py seed_demo`" in out.getvalue()
