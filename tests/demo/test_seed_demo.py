"""seed_demo builds a believable demo world, and running it again changes nothing."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from accounts.models import Role, User
from accounts.scopes import clusters_in_scope
from bsos.models import BSO, ClusterSupport
from clusters.models import (
    ActionItem,
    Cluster,
    CommitteeMember,
    Country,
    Meeting,
    Region,
    SectorFamily,
)
from demo.data import DEMO_PASSWORD, DEMO_USERS
from demo.seed import seed_demo
from programs.models import Enrolment
from tests.demo.conftest import seed

USERNAMES = [row.username for row in DEMO_USERS]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def all_rows() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


def test_seed_demo_creates_regions_that_overlap(seeded):
    assert Region.objects.count() >= 2
    assert Country.objects.annotate(n=Count("regions")).filter(n__gte=2).exists()


def test_seed_demo_creates_six_countries_with_iso_codes(seeded):
    codes = set(Country.objects.values_list("code", flat=True))
    assert len(codes) >= 6
    assert {"AR", "EC", "NI", "ET", "IN"} <= codes


def test_seed_demo_creates_fifteen_clusters_in_all_four_sector_families(seeded):
    assert Cluster.objects.count() >= 15
    families = set(Cluster.objects.values_list("sector_family", flat=True))
    assert families == set(SectorFamily.values)


def test_seed_demo_creates_the_clusters_named_in_the_domain_notes(seeded):
    assert Cluster.objects.get(code="rivas-bananas").number_of_firms == 4_000
    assert Cluster.objects.get(code="chontales-livestock").number_of_firms == 7_000
    assert Cluster.objects.get(code="mekelle-metal-woodwork").number_of_firms == 250
    assert (
        Cluster.objects.filter(
            code__in=["mendoza-wine", "atuntaqui-garments", "ludhiana-hosiery"]
        ).count()
        == 3
    )


def test_seed_demo_creates_eight_bsos_of_several_kinds_with_contacts(seeded):
    assert BSO.objects.count() >= 8
    assert BSO.objects.values("kind").distinct().count() >= 5
    assert not BSO.objects.filter(contact_person="").exists()
    assert not BSO.objects.filter(email="").exists()


def test_every_cluster_with_a_lead_has_exactly_one_current_lead(seeded):
    leads = ClusterSupport.objects.current().filter(role=ClusterSupport.Role.LEAD)
    per_cluster = leads.values("cluster").annotate(n=Count("id"))
    assert {row["n"] for row in per_cluster} == {1}
    assert not Cluster.objects.active().exclude(pk__in=leads.values("cluster")).exists()


def test_one_bso_supports_several_clusters_and_clusters_have_partners(seeded):
    busiest = BSO.objects.annotate(n=Count("supports")).order_by("-n").first()
    assert busiest.n >= 3
    assert ClusterSupport.objects.current().filter(role=ClusterSupport.Role.PARTNER).exists()


def test_one_cluster_is_enrolled_in_two_programs_at_once(seeded):
    current = Enrolment.objects.current().values("cluster").annotate(n=Count("program"))
    assert any(row["n"] >= 2 for row in current)


def test_most_clusters_have_a_mixed_steering_committee(seeded):
    assert Cluster.objects.filter(committee__isnull=False).count() > Cluster.objects.count() / 2
    members = CommitteeMember.objects.all()
    assert set(members.values_list("stakeholder_type", flat=True)) == {
        "public",
        "private",
        "bso",
        "ngo",
        "academia",
    }
    assert set(members.values_list("sex", flat=True)) == {"female", "male"}
    assert members.filter(until__isnull=False).exists()


def test_meetings_have_attendance_minutes_and_decisions(seeded):
    meetings = Meeting.objects.annotate(
        attended=Count("attendees", distinct=True), decided=Count("decisions", distinct=True)
    )
    assert meetings.exists()
    assert not meetings.filter(attended=0).exists()
    assert not meetings.filter(decided=0).exists()
    assert not meetings.filter(minutes="").exists()


def test_action_items_are_open_in_progress_done_and_some_overdue(seeded):
    statuses = set(ActionItem.objects.values_list("status", flat=True))
    assert {"open", "in_progress", "done"} <= statuses
    assert ActionItem.objects.open().filter(due_on__lt=timezone.localdate()).exists()
    assert ActionItem.objects.open().filter(due_on__gte=timezone.localdate()).exists()


def test_seed_demo_creates_one_user_per_role(seeded):
    roles = {user.role: user for user in User.objects.filter(username__in=USERNAMES)}
    assert set(roles) == set(Role.values)
    admin = roles[Role.ADMIN]
    assert admin.is_staff and admin.is_superuser
    assert (
        roles[Role.BSO_STAFF]
        .bso.supports.filter(cluster__code="mendoza-wine", role=ClusterSupport.Role.LEAD)
        .exists()
    )
    assert roles[Role.MINISTRY].country.code == "AR"


@pytest.mark.parametrize("username", USERNAMES)
def test_each_demo_user_logs_in_with_the_known_password(seeded, client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)


@pytest.mark.parametrize("username", ["bso", "officer", "ministry", "regional"])
def test_each_role_sees_some_clusters_but_not_all(seeded, username):
    scope = clusters_in_scope(User.objects.get(username=username))
    assert 0 < scope.count() < Cluster.objects.count()


def test_admin_sees_every_cluster(seeded):
    scope = clusters_in_scope(User.objects.get(username="admin"))
    assert scope.count() == Cluster.objects.count()


def test_running_seed_demo_twice_leaves_every_table_row_count_unchanged(seeded):
    before = row_counts()
    seed()
    assert row_counts() == before


def test_running_seed_demo_twice_writes_nothing_the_second_time(seeded):
    before = all_rows()
    output = seed()
    assert all_rows() == before
    assert "created 0, updated 0" in output


def test_rerunning_seed_demo_resets_a_changed_demo_password(seeded, client):
    user = User.objects.get(username="officer")
    user.set_password("something-else-entirely")
    user.save()
    seed()
    assert client.login(username="officer", password=DEMO_PASSWORD)


def test_action_item_due_dates_move_with_the_day_the_seed_runs(seeded):
    items = ActionItem.objects.count()
    later = timezone.localdate() + datetime.timedelta(days=10)
    seed_demo(today=later)
    item = ActionItem.objects.get(title="Schedule the first drip-irrigation training")
    assert item.due_on == later + datetime.timedelta(days=25)
    assert ActionItem.objects.count() == items


def test_demo_logins_prints_every_username(seeded):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    for username in USERNAMES:
        assert f" {username} " in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    assert "authenticator app" in out.getvalue()  # the administrator's two-factor sign-in


def test_every_active_cluster_has_a_scorecard_and_reports_in_every_state(seeded):
    from monitoring.models import Report
    from scorecards.models import ClusterScorecard

    assert ClusterScorecard.objects.current().count() == Cluster.objects.active().count()
    states = set(Report.objects.values_list("state", flat=True))
    assert states == {"draft", "submitted", "approved", "returned"}


def test_the_demo_officer_has_reports_to_review_and_the_bso_a_draft_to_finish(seeded):
    from accounts.scopes import scope_reports
    from monitoring.models import Report

    officer, bso = User.objects.get(username="officer"), User.objects.get(username="bso")
    assert scope_reports(Report.objects.awaiting_review(), officer).exists()
    assert scope_reports(Report.objects.filter(state="draft"), bso).exists()


@pytest.mark.parametrize(
    ("today", "first", "count"),
    [
        # December: the latest year over (2025) from its first quarter, seven quarters in all
        (datetime.date(2026, 12, 4), (2025, 1), 7),
        # May: six quarters reach back past the latest year's first quarter anyway
        (datetime.date(2026, 5, 1), (2024, 4), 6),
    ],
)
def test_the_seeded_quarters_cover_the_whole_latest_year_over(db, today, first, count):
    from demo.seed.scorecards import _quarters
    from scorecards.services import periods_generate

    periods_generate(first_year=2023, last_year=2027)

    quarters = _quarters(today, latest_year=today.year - 1)

    assert (quarters[0].year, quarters[0].quarter) == first
    assert len(quarters) == count
    assert quarters[-1].ends_on < today <= quarters[-1].ends_on + datetime.timedelta(days=92)


def test_the_dashboards_first_year_is_complete_for_the_clusters_with_its_quarters_approved(
    seeded,
):
    """The year the dashboards open on has a report for each of its quarters, for every
    cluster: four approved quarters make it complete (only the latest quarter, still being
    worked on, may be missing)."""
    from monitoring.models import Report
    from scorecards.models import Period

    today = timezone.localdate()
    year = Period.objects.years().filter(ends_on__lt=today).order_by("-year").first()
    latest = Period.objects.quarters().filter(ends_on__lt=today).order_by("-ends_on").first()
    for cluster in Cluster.objects.active():
        quarters = set(
            Report.objects.filter(
                cluster=cluster, period__year=year.year, period__kind="quarter"
            ).values_list("period__quarter", flat=True)
        )
        expected = {1, 2, 3, 4} - ({latest.quarter} if latest.year == year.year else set())
        assert expected <= quarters, cluster.code


def test_the_demo_clusters_own_kpis_have_portuguese_names(seeded):
    from scorecards.models import KPI

    own = KPI.objects.filter(cluster__isnull=False)
    assert own.exists()
    assert not own.filter(name_pt__isnull=True).exists()
    assert own.filter(name_pt="Empresas membros em feiras internacionais").exists()
