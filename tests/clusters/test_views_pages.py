"""Cluster pages: home ("My clusters") and the cluster profile with its governance block."""

import datetime
import re

import pytest
from django.urls import reverse

from bsos.models import ClusterSupport
from clusters.models import ActionItem, Sex, StakeholderType
from tests.factories import (
    ActionItemFactory,
    BSOFactory,
    ClusterFactory,
    ClusterSupportFactory,
    CommitteeMemberFactory,
    MeetingFactory,
    SteeringCommitteeFactory,
)

SCOPED_ROLES = ["bso_staff", "program_officer", "ministry", "regional", "admin"]
COMMITTEE_HEADING = "Steering committee"
GOVERNANCE_NOTE = "Governance details are visible to the cluster's BSO"


def _page(client, cluster):
    return client.get(reverse("cluster-detail", args=[cluster.pk]))


# --- Public profile -------------------------------------------------------------------------


def test_anonymous_visitor_sees_the_public_profile_of_a_cluster(world, client):
    world.inside.locality = "Luján de Cuyo"
    world.inside.number_of_firms = 1250
    world.inside.employment = 48000
    world.inside.latitude, world.inside.longitude = -33.03, -68.87
    world.inside.description = "Wineries and their suppliers."
    world.inside.save()

    response = _page(client, world.inside)

    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Mendoza wine",
        "Argentina",
        "Luján de Cuyo",
        "Natural resource-based",
        "Italianate (networked SMEs)",
        "Maturing",
        "Bottom-up, private-sector driven",
        "1,250",
        "48,000",
        "-33.03000, -68.87000",
        "Wineries and their suppliers.",
    ):
        assert text in html, text


def test_cluster_page_lists_the_bsos_supporting_it_today_with_role_and_start(world, client):
    partner = BSOFactory(name="INTA Mendoza")
    ClusterSupportFactory(bso=partner, cluster=world.inside, since=datetime.date(2022, 5, 2))
    former = BSOFactory(name="Former partner")
    ClusterSupportFactory(
        bso=former,
        cluster=world.inside,
        since=datetime.date(2018, 1, 1),
        until=datetime.date(2019, 1, 1),
    )

    html = _page(client, world.inside).content.decode()

    assert "Bodegas de Argentina" in html
    assert "Lead BSO" in html
    assert "INTA Mendoza" in html
    assert "Partner BSO" in html
    assert "2 May 2022" in html  # day, month name, year: never 5/2 or 2/5
    assert reverse("bso-detail", args=[partner.pk]) in html
    assert "Former partner" not in html


def test_unknown_cluster_answers_404(world, client):
    response = client.get(reverse("cluster-detail", args=[999_999]))

    assert response.status_code == 404


# --- Governance block: who sees it ----------------------------------------------------------


@pytest.mark.parametrize("role", SCOPED_ROLES)
def test_users_whose_scope_holds_the_cluster_see_its_steering_committee(world, client, role):
    client.force_login(world.users[role])

    html = _page(client, world.inside).content.decode()

    assert 'data-stat="members"' in html
    assert world.committees["inside"].member.name in html
    assert world.committees["inside"].item.title in html
    assert GOVERNANCE_NOTE not in html


def test_anonymous_visitor_sees_a_note_instead_of_the_steering_committee(world, client):
    html = _page(client, world.inside).content.decode()

    assert COMMITTEE_HEADING in html
    assert GOVERNANCE_NOTE in html
    assert 'data-stat="members"' not in html
    assert world.committees["inside"].member.name not in html
    assert world.committees["inside"].item.title not in html


@pytest.mark.parametrize("role", ["bso_staff", "program_officer", "ministry", "regional"])
def test_users_see_no_steering_committee_of_a_cluster_outside_their_scope(world, client, role):
    client.force_login(world.users[role])

    response = _page(client, world.outside)

    html = response.content.decode()
    assert response.status_code == 200  # the public profile stays public
    assert GOVERNANCE_NOTE in html
    assert world.committees["outside"].member.name not in html
    assert world.committees["outside"].item.title not in html


# --- Governance block: what it says ---------------------------------------------------------


def test_committee_composition_counts_current_members_as_whole_percentages(world, client):
    # Given 4 current members: the fixture's (private, woman) plus public/man, NGO/woman,
    # academia/woman -> private 1/4 = 25%, women 3/4 = 75%. A member who left is not counted
    # (with her: 5 members, 2/5 = 40% private, 4/5 = 80% women).
    committee = world.committees["inside"].committee
    for stakeholder_type, sex in (
        (StakeholderType.PUBLIC, Sex.MALE),
        (StakeholderType.NGO, Sex.FEMALE),
        (StakeholderType.ACADEMIA, Sex.FEMALE),
    ):
        CommitteeMemberFactory(committee=committee, stakeholder_type=stakeholder_type, sex=sex)
    CommitteeMemberFactory(
        committee=committee,
        name="Left in 2021",
        stakeholder_type=StakeholderType.PRIVATE,
        sex=Sex.FEMALE,
        since=datetime.date(2020, 1, 1),
        until=datetime.date(2021, 6, 30),
    )
    client.force_login(world.users["bso_staff"])

    html = _page(client, world.inside).content.decode()

    assert '<dd data-stat="members">4</dd>' in html
    assert '<dd data-stat="private-share">25%</dd>' in html
    assert '<dd data-stat="women-share">75%</dd>' in html
    assert "Left in 2021" not in html


def test_committee_shares_are_rounded_half_up_to_whole_percentages(world, client):
    # Given 8 current members, 1 private: 1/8 = 12.5% -> 13%; 7 women: 87.5% -> 88%.
    committee = world.committees["inside"].committee  # its member: private, woman
    CommitteeMemberFactory.create_batch(
        6, committee=committee, stakeholder_type=StakeholderType.PUBLIC, sex=Sex.FEMALE
    )
    CommitteeMemberFactory(committee=committee, stakeholder_type=StakeholderType.NGO, sex=Sex.MALE)
    client.force_login(world.users["ministry"])

    html = _page(client, world.inside).content.decode()

    assert '<dd data-stat="members">8</dd>' in html
    assert '<dd data-stat="private-share">13%</dd>' in html
    assert '<dd data-stat="women-share">88%</dd>' in html


def test_committee_block_shows_the_date_of_the_last_meeting(world, client):
    committee = world.committees["inside"].committee  # met on 2025-03-01
    MeetingFactory(committee=committee, held_on=datetime.date(2024, 11, 5))
    client.force_login(world.users["bso_staff"])

    html = _page(client, world.inside).content.decode()

    assert 'data-stat="last-meeting">1 Mar 2025</dd>' in html


def test_only_open_action_items_are_listed_and_overdue_ones_are_highlighted(world, client):
    committee = world.committees["inside"].committee
    owner = world.committees["inside"].member
    ActionItemFactory(
        committee=committee, owner=owner, title="Late survey", due_on=datetime.date(2021, 3, 1)
    )
    ActionItemFactory(
        committee=committee,
        title="Trade fair stand",
        due_on=datetime.date(2031, 1, 1),
        status=ActionItem.Status.IN_PROGRESS,
    )
    ActionItemFactory(committee=committee, title="Finished task", status=ActionItem.Status.DONE)
    ActionItemFactory(committee=committee, title="Dropped task", status=ActionItem.Status.CANCELLED)
    client.force_login(world.users["program_officer"])

    html = _page(client, world.inside).content.decode()

    assert "Late survey" in html
    assert "Trade fair stand" in html
    assert "In progress" in html
    assert "Finished task" not in html
    assert "Dropped task" not in html
    overdue_rows = html.split('<tr class="overdue">')[1:]
    assert len(overdue_rows) == 1
    assert "Late survey" in overdue_rows[0].split("</tr>")[0]
    assert owner.name in overdue_rows[0].split("</tr>")[0]


def test_open_action_items_read_alike_on_the_cluster_page_and_its_dashboard(world, client):
    committee = world.committees["inside"].committee
    ActionItemFactory(committee=committee, title="Late survey", due_on=datetime.date(2021, 3, 1))
    client.force_login(world.users["program_officer"])
    pages = [
        client.get(reverse(name, args=[world.inside.pk])).content.decode()
        for name in ("cluster-detail", "dashboard-cluster")
    ]

    tables = [re.search(r'<table class="action-items">.*?</table>', html, re.S) for html in pages]

    assert tables[0] and tables[1]
    assert tables[0].group(0) == tables[1].group(0)
    assert tables[0].group(0).count('<tr class="overdue">') == 1


def test_in_scope_user_is_told_when_no_committee_is_recorded(world, client):
    lonely = ClusterFactory(country=world.argentina, name="Salta tobacco")
    client.force_login(world.users["ministry"])

    response = _page(client, lonely)

    assert response.status_code == 200
    assert "No steering committee is recorded for this cluster yet." in response.content.decode()


# --- Home ----------------------------------------------------------------------------------


def test_home_sends_anonymous_visitors_to_the_directory(world, client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == reverse("directory")


@pytest.mark.parametrize("role", ["bso_staff", "program_officer", "ministry", "regional"])
def test_home_lists_only_the_clusters_in_the_users_scope(world, client, role):
    client.force_login(world.users[role])

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Mendoza wine" in html
    assert "Atuntaqui garments" not in html
    assert "Argentina" in html
    assert "wine" in html
    assert "Active" in html


def test_home_lists_every_cluster_for_an_administrator(world, client):
    client.force_login(world.users["admin"])

    html = client.get(reverse("home")).content.decode()

    assert "Mendoza wine" in html
    assert "Atuntaqui garments" in html


# --- Bounded queries -----------------------------------------------------------------------


@pytest.fixture
def crowded(world):
    """30 more clusters supported by the fixture's BSO, each with a busy committee."""
    partner = BSOFactory(name="Partner network")
    clusters = []
    for _ in range(30):
        cluster = ClusterFactory(country=world.argentina)
        ClusterSupportFactory(bso=world.bso, cluster=cluster, role=ClusterSupport.Role.LEAD)
        ClusterSupportFactory(bso=partner, cluster=cluster)
        committee = SteeringCommitteeFactory(cluster=cluster)
        members = CommitteeMemberFactory.create_batch(3, committee=committee)
        MeetingFactory(committee=committee)
        for member in members:
            ActionItemFactory(committee=committee, owner=member)
        clusters.append(cluster)
    return clusters


def test_home_page_runs_a_bounded_number_of_queries(
    world, crowded, client, django_assert_max_num_queries
):
    client.force_login(world.users["bso_staff"])

    with django_assert_max_num_queries(5):
        response = client.get(reverse("home"))

    assert response.content.decode().count('<a href="/clusters/') == 31


def test_cluster_page_runs_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries
):
    # Given one cluster with 30 partner BSOs, 30 current members and 30 open action items.
    committee = world.committees["inside"].committee
    for _ in range(30):
        ClusterSupportFactory(cluster=world.inside)
        member = CommitteeMemberFactory(committee=committee)
        ActionItemFactory(committee=committee, owner=member)
    client.force_login(world.users["bso_staff"])

    with django_assert_max_num_queries(10):
        response = _page(client, world.inside)

    assert response.content.decode().count('<a href="/bsos/') == 31


def test_the_cluster_page_links_in_scope_users_to_the_scorecard(client, world):
    from django.urls import reverse

    url = reverse("cluster-scorecard", args=[world.inside.pk])
    client.force_login(world.users["bso_staff"])
    assert url in client.get(world.inside.get_absolute_url()).content.decode()
    client.logout()
    assert url not in client.get(world.inside.get_absolute_url()).content.decode()


def test_reviewers_find_the_review_queue_in_the_menu(client, world):
    from django.urls import reverse

    url = reverse("review-queue")
    client.force_login(world.users["program_officer"])
    assert url in client.get(reverse("home")).content.decode()
    client.force_login(world.users["bso_staff"])
    assert url not in client.get(reverse("home")).content.decode()


def test_a_refusal_shows_a_page_that_explains_it(client, world):
    from django.urls import reverse

    client.force_login(world.users["ministry"])
    response = client.post(reverse("report-open", args=[world.inside.pk]))
    assert response.status_code == 403
    assert "Only BSO staff enter report values." in response.content.decode()


def test_signed_in_users_find_the_totals_and_admins_the_recompute_page(client, world):
    from django.urls import reverse

    client.force_login(world.users["ministry"])
    html = client.get(reverse("home")).content.decode()
    assert reverse("rollup-list") in html
    assert reverse("rollup-runs") not in html
    client.force_login(world.users["admin"])
    assert reverse("rollup-runs") in client.get(reverse("home")).content.decode()


# --- The header every page of a cluster opens with ------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "heading", "crumb"),
    [
        ("cluster-detail", "Mendoza wine", None),
        ("dashboard-cluster", "Mendoza wine: cluster dashboard", "Dashboard"),
        ("cluster-scorecard", "Scorecard of Mendoza wine", "Scorecard"),
        ("cluster-activities", "Mendoza wine: activities", "Activities"),
    ],
)
def test_the_pages_of_a_cluster_open_with_the_same_header(world, client, url_name, heading, crumb):
    world.inside.sector, world.inside.locality = "wine", "Luján de Cuyo"
    world.inside.save()
    client.force_login(world.users["program_officer"])

    html = client.get(reverse(url_name, args=[world.inside.pk])).content.decode()

    header = re.search(r'<header class="page-header cluster-header">(.*?)</header>', html, re.S)
    assert header, "the page has no cluster header"
    text = " ".join(re.sub(r"<[^>]+>", " ", header.group(1)).split())
    assert text == f"{heading} wine · Luján de Cuyo, Argentina Active"
    crumbs = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', html, re.S).group(1)
    if crumb:
        assert f'<a href="{world.inside.get_absolute_url()}">Mendoza wine</a>' in crumbs
        assert crumbs.rstrip().endswith(crumb)
    else:
        assert 'href="/directory/"' in crumbs
