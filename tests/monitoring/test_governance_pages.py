"""Governance from pages: a cluster's steering committee, its members, meetings (attendance,
minutes, decisions) and action items, listed, created and changed through the product's pages,
for exactly the roles that may (BSO staff in scope and administrators write; the others with
the cluster in scope read; out of scope is 404)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bsos.models import ClusterSupport
from clusters.models import ActionItem, CommitteeMember, Decision, Meeting, SteeringCommittee
from monitoring.models.activities import Activity, ActivityType
from tests.factories import (
    ActionItemFactory,
    ClusterFactory,
    ClusterSupportFactory,
    CommitteeMemberFactory,
    MeetingFactory,
)

WRITERS = ["bso_staff", "admin"]
READERS = ["program_officer", "ministry", "regional"]
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def _member_data(**changes):
    data = {
        "name": "Ana Pérez",
        "organisation": "Cámara del vino",
        "stakeholder_type": "private",
        "role": "chair",
        "sex": "female",
        "since": "2024-01-01",
        "until": "",
    }
    return {**data, **changes}


def _meeting_data(world, **changes):
    data = {
        "held_on": YESTERDAY.isoformat(),
        "location": "Town hall",
        "attendees": [world.committees["inside"].member.pk],
        "minutes": "The committee met.",
        "decisions": "Hire a coordinator\nJoin the trade fair",
    }
    return {**data, **changes}


def _write_urls(world, cluster="inside"):
    """Every write page of a committee, with what a valid POST sends."""
    c = world.committees[cluster]
    pk = c.committee.cluster_id
    return [
        (reverse("committee-edit", args=[pk]), {"name": "Renamed", "established_on": ""}),
        (reverse("member-new", args=[pk]), _member_data()),
        (reverse("member-edit", args=[pk, c.member.pk]), _member_data()),
        (reverse("meeting-new", args=[pk]), _meeting_data(world, attendees=[c.member.pk])),
        (reverse("meeting-edit", args=[pk, c.meeting.pk]), _meeting_data(world, attendees=[])),
        (reverse("action-new", args=[pk]), {"title": "Call the mayor", "status": "open"}),
        (reverse("action-edit", args=[pk, c.item.pk]), {"title": "Renamed", "status": "open"}),
        (reverse("action-status", args=[pk, c.item.pk]), {"status": "done"}),
    ]


# --- Who may do what ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", WRITERS + READERS)
def test_every_role_with_the_cluster_in_scope_reads_the_committee_page(world, client, role):
    c = world.committees["inside"]
    Decision.objects.create(meeting=c.meeting, text="Adopt the work plan")
    client.force_login(world.users[role])

    response = client.get(reverse("committee", args=[world.inside.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert c.member.name in html and c.item.title in html and "Adopt the work plan" in html
    may_write = reverse("meeting-new", args=[world.inside.pk]) in html
    assert may_write is (role in WRITERS)
    assert ('name="status"' in html) is (role in WRITERS)


@pytest.mark.parametrize("role", READERS)
def test_roles_that_only_read_are_refused_every_write_page(world, client, role):
    client.force_login(world.users[role])
    before = (Meeting.objects.count(), CommitteeMember.objects.count(), ActionItem.objects.count())

    for url, data in _write_urls(world):
        assert client.post(url, data).status_code == 403, url
        if "status" not in url:
            assert client.get(url).status_code == 403, url

    after = (Meeting.objects.count(), CommitteeMember.objects.count(), ActionItem.objects.count())
    assert after == before
    assert ActionItem.objects.get(pk=world.committees["inside"].item.pk).status == "open"


@pytest.mark.parametrize("role", ["bso_staff", *READERS])  # an administrator's scope is all
def test_a_committee_outside_the_scope_answers_404_on_every_page(world, client, role):
    client.force_login(world.users[role])
    c = world.committees["outside"]
    pk = world.outside.pk

    assert client.get(reverse("committee", args=[pk])).status_code == 404
    assert client.get(reverse("meeting", args=[pk, c.meeting.pk])).status_code == 404
    for url, data in _write_urls(world, cluster="outside"):
        expected = 403 if role in READERS else 404  # who may not write learns that first
        assert client.post(url, data).status_code == expected, url
    assert ActionItem.objects.get(pk=c.item.pk).status == "open"


def test_an_object_of_another_committee_answers_404_under_this_cluster(world, client):
    client.force_login(world.users["bso_staff"])
    other = world.committees["outside"]
    pk = world.inside.pk

    assert client.get(reverse("meeting", args=[pk, other.meeting.pk])).status_code == 404
    assert client.get(reverse("member-edit", args=[pk, other.member.pk])).status_code == 404
    response = client.post(reverse("action-status", args=[pk, other.item.pk]), {"status": "done"})
    assert response.status_code == 404
    assert ActionItem.objects.get(pk=other.item.pk).status == "open"


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    response = client.get(reverse("committee", args=[world.inside.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Members -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", WRITERS)
def test_writers_seat_and_change_a_member(world, client, role):
    client.force_login(world.users[role])
    pk = world.inside.pk

    response = client.post(reverse("member-new", args=[pk]), _member_data())
    assert response.status_code == 302
    member = CommitteeMember.objects.get(name="Ana Pérez")
    assert member.committee == world.committees["inside"].committee

    response = client.post(
        reverse("member-edit", args=[pk, member.pk]), _member_data(until="2025-06-30")
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.until == datetime.date(2025, 6, 30)
    html = client.get(reverse("committee", args=[pk])).content.decode()
    assert "Ana Pérez" in html and "until" in html


def test_a_refused_member_form_keeps_what_was_typed_and_links_each_error(world, client):
    client.force_login(world.users["bso_staff"])

    response = client.post(
        reverse("member-new", args=[world.inside.pk]),
        _member_data(name="", since="2025-05-01", until="2025-01-01", organisation="Typed org"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert not CommitteeMember.objects.filter(organisation="Typed org").exists()
    assert 'value="Typed org"' in html and 'value="2025-05-01"' in html
    summary = re.search(r"<div [^>]*data-error-summary.*?</div>", html, re.S).group(0)
    assert 'href="#id_name"' in summary
    assert 'aria-describedby="id_name_error"' in html
    assert 'id="id_name_error"' in html
    assert 'aria-describedby="id_until_helptext"' in html and 'id="id_until_helptext"' in html

    # The service's rules (here the seat's dates) come back the same way, typed values kept.
    response = client.post(
        reverse("member-new", args=[world.inside.pk]),
        _member_data(since="2025-05-01", until="2025-01-01", organisation="Typed org"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "The end date cannot be before the start date." in html
    assert 'value="Typed org"' in html and 'value="2025-01-01"' in html
    assert not CommitteeMember.objects.filter(organisation="Typed org").exists()


# --- Meetings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", WRITERS)
def test_writers_record_a_meeting_with_attendance_minutes_and_decisions(world, client, role):
    client.force_login(world.users[role])
    c = world.committees["inside"]

    response = client.post(reverse("meeting-new", args=[world.inside.pk]), _meeting_data(world))

    meeting = Meeting.objects.get(committee=c.committee, held_on=YESTERDAY)
    assert response.status_code == 302
    assert response["Location"] == reverse("meeting", args=[world.inside.pk, meeting.pk])
    assert list(meeting.attendees.all()) == [c.member]
    assert meeting.minutes == "The committee met."
    assert [d.text for d in meeting.decisions.all()] == [
        "Hire a coordinator",
        "Join the trade fair",
    ]
    html = client.get(response["Location"]).content.decode()
    assert "Hire a coordinator" in html and "1 attendee" in html


def test_the_committee_page_lists_meetings_newest_first(world, client):
    committee = world.committees["inside"].committee
    MeetingFactory(committee=committee, held_on=datetime.date(2024, 6, 1), location="Old place")
    MeetingFactory(committee=committee, held_on=datetime.date(2025, 9, 1), location="New place")
    client.force_login(world.users["program_officer"])

    html = client.get(reverse("committee", args=[world.inside.pk])).content.decode()

    assert html.index("New place") < html.index("Town hall") < html.index("Old place")


def test_a_second_meeting_on_the_same_day_is_refused_on_the_form(world, client):
    client.force_login(world.users["admin"])
    day = world.committees["inside"].meeting.held_on.isoformat()

    response = client.post(
        reverse("meeting-new", args=[world.inside.pk]),
        _meeting_data(world, held_on=day, minutes="Typed minutes"),
    )

    assert response.status_code == 400
    assert "Typed minutes" in response.content.decode()
    assert Meeting.objects.filter(committee__cluster=world.inside).count() == 1


def test_editing_a_decision_keeps_the_action_items_linked_to_it(world, client):
    c = world.committees["inside"]
    decision = Decision.objects.create(meeting=c.meeting, text="Hire a coordinator")
    Decision.objects.create(meeting=c.meeting, text="Drop this")
    item = ActionItemFactory(committee=c.committee, decision=decision, meeting=c.meeting)
    client.force_login(world.users["bso_staff"])

    response = client.post(
        reverse("meeting-edit", args=[world.inside.pk, c.meeting.pk]),
        _meeting_data(
            world, held_on=c.meeting.held_on.isoformat(), decisions="Hire two coordinators"
        ),
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.decision is not None and item.decision.text == "Hire two coordinators"
    assert [d.text for d in c.meeting.decisions.all()] == ["Hire two coordinators"]


# --- Action items ------------------------------------------------------------------------------


def test_an_action_item_from_a_decision_lands_on_its_meeting(world, client):
    c = world.committees["inside"]
    decision = Decision.objects.create(meeting=c.meeting, text="Join the trade fair")
    client.force_login(world.users["bso_staff"])

    form = client.get(
        reverse("action-new", args=[world.inside.pk]) + f"?decision={decision.pk}"
    ).content.decode()
    response = client.post(
        reverse("action-new", args=[world.inside.pk]),
        {
            "title": "Book the stand",
            "decision": decision.pk,
            "owner": c.member.pk,
            "due_on": "2030-03-01",
            "status": "open",
        },
    )

    assert f'<option value="{decision.pk}" selected>' in form
    item = ActionItem.objects.get(title="Book the stand")
    assert (item.decision, item.meeting, item.owner) == (decision, c.meeting, c.member)
    assert response["Location"] == reverse("meeting", args=[world.inside.pk, c.meeting.pk])


def test_an_owner_or_decision_of_another_committee_is_refused(world, client):
    other = world.committees["outside"]
    other_decision = Decision.objects.create(meeting=other.meeting, text="Theirs")
    client.force_login(world.users["admin"])

    response = client.post(
        reverse("action-new", args=[world.inside.pk]),
        {
            "title": "Typed title",
            "owner": other.member.pk,
            "decision": other_decision.pk,
            "status": "open",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Typed title"' in html
    assert 'href="#id_owner"' in html and 'href="#id_decision"' in html
    assert not ActionItem.objects.filter(title="Typed title").exists()


@pytest.mark.parametrize("role", WRITERS)
def test_writers_change_an_action_items_status_from_the_committee_page(world, client, role):
    item = world.committees["inside"].item
    client.force_login(world.users[role])
    page = reverse("committee", args=[world.inside.pk])

    response = client.post(
        reverse("action-status", args=[world.inside.pk, item.pk]),
        {"status": "in_progress", "next": page},
    )

    assert response.status_code == 302 and response["Location"] == page
    item.refresh_from_db()
    assert item.status == ActionItem.Status.IN_PROGRESS
    refused = client.post(
        reverse("action-status", args=[world.inside.pk, item.pk]),
        {"status": "finished", "next": "https://elsewhere.example/"},
    )
    assert refused["Location"].startswith(page)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.IN_PROGRESS


def test_overdue_open_items_are_marked_and_closed_ones_left_out(world, client):
    committee = world.committees["inside"].committee
    ActionItemFactory(committee=committee, title="Late one", due_on=datetime.date(2020, 1, 1))
    ActionItemFactory(committee=committee, title="Finished one", status="done")
    client.force_login(world.users["ministry"])

    html = client.get(reverse("committee", args=[world.inside.pk])).content.decode()

    late_row = re.search(r"<tr class=\"overdue\">.*?</tr>", html, re.S).group(0)
    assert "Late one" in late_row and "Overdue" in late_row
    assert "Finished one" not in html


# --- A committee to record ---------------------------------------------------------------------


def test_bso_staff_record_the_committee_of_a_cluster_that_has_none(world, client):
    cluster = ClusterFactory(country=world.argentina)
    ClusterSupportFactory(bso=world.bso, cluster=cluster, role=ClusterSupport.Role.LEAD)
    client.force_login(world.users["bso_staff"])

    page = client.get(reverse("committee", args=[cluster.pk])).content.decode()
    response = client.post(
        reverse("committee-edit", args=[cluster.pk]),
        {"name": "Mesa del vino", "established_on": "2023-04-01"},
    )

    assert reverse("committee-edit", args=[cluster.pk]) in page
    assert response.status_code == 302
    assert SteeringCommittee.objects.get(cluster=cluster).name == "Mesa del vino"


def test_the_cluster_page_links_to_the_committee_page(world, client):
    client.force_login(world.users["program_officer"])

    html = client.get(reverse("cluster-detail", args=[world.inside.pk])).content.decode()

    assert reverse("committee", args=[world.inside.pk]) in html


# --- Query bounds ------------------------------------------------------------------------------


def test_the_committee_page_costs_a_fixed_number_of_queries(
    world, client, django_assert_max_num_queries
):
    committee = world.committees["inside"].committee
    members = [CommitteeMemberFactory(committee=committee) for _ in range(15)]
    for n in range(10):
        meeting = MeetingFactory(committee=committee, held_on=datetime.date(2023, 1, 1 + n))
        meeting.attendees.set(members)
        Decision.objects.bulk_create(Decision(meeting=meeting, text=f"D{n}-{k}") for k in range(3))
        ActionItemFactory(committee=committee, meeting=meeting, owner=members[n])
    client.force_login(world.users["bso_staff"])

    with django_assert_max_num_queries(14):
        response = client.get(reverse("committee", args=[world.inside.pk]))

    assert response.status_code == 200
    assert response.content.decode().count('class="meeting"') == 10


def test_the_meeting_page_costs_a_fixed_number_of_queries(
    world, client, django_assert_max_num_queries
):
    c = world.committees["inside"]
    members = [CommitteeMemberFactory(committee=c.committee) for _ in range(15)]
    c.meeting.attendees.set(members)
    for n in range(10):
        decision = Decision.objects.create(meeting=c.meeting, text=f"Decision {n}")
        ActionItemFactory(committee=c.committee, decision=decision, meeting=c.meeting)
    client.force_login(world.users["admin"])

    with django_assert_max_num_queries(12):
        response = client.get(reverse("meeting", args=[world.inside.pk, c.meeting.pk]))

    assert response.status_code == 200
    assert response.content.decode().count("Decision 9") >= 2  # the decision and its item


# --- One entry, both places: the meeting and its activity ---------------------------------------


def test_recording_a_meeting_logs_its_activity_once(world, client):
    client.force_login(world.users["bso_staff"])

    client.post(reverse("meeting-new", args=[world.inside.pk]), _meeting_data(world))

    meeting = Meeting.objects.get(committee__cluster=world.inside, held_on=YESTERDAY)
    activity = Activity.objects.get(cluster=world.inside, type=ActivityType.STEERING_MEETING)
    assert activity.meeting == meeting
    assert (activity.date, activity.bso) == (YESTERDAY, world.bso)
    page = client.get(reverse("meeting", args=[world.inside.pk, meeting.pk])).content.decode()
    assert activity.get_absolute_url() in page
    activity_page = client.get(activity.get_absolute_url()).content.decode()
    assert reverse("meeting", args=[world.inside.pk, meeting.pk]) in activity_page


def test_an_administrators_meeting_is_logged_for_the_lead_bso(world, client):
    client.force_login(world.users["admin"])

    client.post(reverse("meeting-new", args=[world.inside.pk]), _meeting_data(world))

    activity = Activity.objects.get(meeting__committee__cluster=world.inside)
    assert activity.bso == world.bso


def test_moving_a_meeting_moves_its_activity(world, client):
    client.force_login(world.users["bso_staff"])
    client.post(reverse("meeting-new", args=[world.inside.pk]), _meeting_data(world))
    meeting = Meeting.objects.get(committee__cluster=world.inside, held_on=YESTERDAY)
    earlier = YESTERDAY - datetime.timedelta(days=3)

    client.post(
        reverse("meeting-edit", args=[world.inside.pk, meeting.pk]),
        _meeting_data(world, held_on=earlier.isoformat()),
    )

    assert Activity.objects.get(meeting=meeting).date == earlier


def test_logging_the_activity_records_the_meeting_once(world, client):
    client.force_login(world.users["bso_staff"])
    form = {
        "cluster": world.inside.pk,
        "date": YESTERDAY.isoformat(),
        "type": ActivityType.STEERING_MEETING,
        "title": "Steering committee: work plan",
        "currency": "ARS",
    }

    response = client.post(reverse("activity-new"), form)
    again = client.post(reverse("activity-new"), form)

    assert response.status_code == 302
    meeting = Meeting.objects.get(committee__cluster=world.inside, held_on=YESTERDAY)
    assert Activity.objects.get(type=ActivityType.STEERING_MEETING).meeting == meeting
    assert again.status_code == 400
    assert "already logged" in again.content.decode()
    page = client.get(reverse("committee", args=[world.inside.pk])).content.decode()
    assert str(meeting.held_on.year) in page and "In the activity log" in page


def test_logging_the_activity_links_a_meeting_already_recorded(world, api_client):
    day = world.committees["inside"].meeting.held_on
    api_client.force_authenticate(world.users["bso_staff"])

    response = api_client.post(
        "/api/v1/activities/",
        {
            "cluster": world.inside.pk,
            "date": day.isoformat(),
            "type": ActivityType.STEERING_MEETING,
            "title": "Steering committee",
            "currency": "ARS",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["meeting"] == world.committees["inside"].meeting.pk
    assert Meeting.objects.filter(committee__cluster=world.inside).count() == 1


def test_a_steering_meeting_in_a_cluster_without_committee_stays_an_activity(world, client):
    world.committees["inside"].committee.delete()
    client.force_login(world.users["bso_staff"])

    response = client.post(
        reverse("activity-new"),
        {
            "cluster": world.inside.pk,
            "date": YESTERDAY.isoformat(),
            "type": ActivityType.STEERING_MEETING,
            "title": "First meeting",
            "currency": "ARS",
        },
    )

    assert response.status_code == 302
    assert Activity.objects.get(title="First meeting").meeting is None


def test_importing_steering_meetings_records_each_meeting_once(world, client):
    from tests.monitoring.test_activity_import import csv_file, row

    logged_day = world.committees["inside"].meeting.held_on.isoformat()  # already recorded
    client.force_login(world.users["bso_staff"])
    upload = csv_file(
        row(type="steering_meeting", title="Meeting A", date="2025-02-03"),
        row(type="steering_meeting", title="Meeting B", date=logged_day),
        row(type="training", title="Pruning course", date="2025-02-04"),
    )

    response = client.post(reverse("activity-import"), {"file": upload})

    assert response.status_code in (200, 302)
    meetings = Meeting.objects.filter(committee__cluster=world.inside).order_by("held_on")
    assert [m.held_on.isoformat() for m in meetings] == ["2025-02-03", logged_day]
    assert Activity.objects.get(title="Meeting A").meeting == meetings[0]
    assert Activity.objects.get(title="Meeting B").meeting == meetings[1]
    assert Activity.objects.get(title="Pruning course").meeting is None

    again = client.post(
        reverse("activity-import"),
        {"file": csv_file(row(type="steering_meeting", title="Twice", date="2025-02-03"))},
    )
    assert "already logged" in again.content.decode()
    assert not Activity.objects.filter(title="Twice").exists()


def test_the_cluster_dashboard_lists_open_items_through_the_committee_selector(world, monkeypatch):
    """One place marks open items overdue (clusters.selectors.committee_open_items): the
    dashboard asks it rather than repeating the rule."""
    from dashboards import cluster as dashboard

    committee = world.committees["inside"].committee
    calls = []

    def marked(committee, *, today):
        calls.append(committee)
        return [("the selector's answer", True)]

    monkeypatch.setattr(dashboard, "committee_open_items", marked)

    assert dashboard.open_items(committee, today=YESTERDAY) == [("the selector's answer", True)]
    assert calls == [committee]
    assert dashboard.open_items(None, today=YESTERDAY) == []


# --- The same services behind the API ----------------------------------------------------------


def test_a_meeting_recorded_through_the_api_is_logged_as_its_activity(world, api_client):
    api_client.force_authenticate(world.users["bso_staff"])
    committee = world.committees["inside"].committee

    response = api_client.post(
        "/api/v1/meetings/",
        {"committee": committee.pk, "held_on": YESTERDAY.isoformat(), "decisions": ["Go"]},
        format="json",
    )

    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert Activity.objects.get(type=ActivityType.STEERING_MEETING).meeting == meeting
    future = api_client.post(
        "/api/v1/meetings/",
        {"committee": committee.pk, "held_on": "2999-01-01"},
        format="json",
    )
    assert future.status_code == 400 and "held_on" in future.json()
    assert not Meeting.objects.filter(held_on="2999-01-01").exists()


def test_an_action_item_named_by_its_decision_through_the_api_lands_on_its_meeting(
    world, api_client
):
    c = world.committees["inside"]
    decision = Decision.objects.create(meeting=c.meeting, text="Join the trade fair")
    api_client.force_authenticate(world.users["admin"])

    response = api_client.post(
        "/api/v1/action-items/",
        {"committee": c.committee.pk, "title": "Book the stand", "decision": decision.pk},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["meeting"] == c.meeting.pk


def test_members_and_committees_do_not_move_through_the_api(world, api_client):
    inside, outside = world.committees["inside"], world.committees["outside"]
    api_client.force_authenticate(world.users["admin"])

    member = api_client.patch(
        f"/api/v1/committee-members/{inside.member.pk}/",
        {"committee": outside.committee.pk},
        format="json",
    )
    committee = api_client.patch(
        f"/api/v1/committees/{inside.committee.pk}/", {"cluster": world.outside.pk}, format="json"
    )

    assert member.status_code == 400 and "committee" in member.json()
    assert committee.status_code == 400 and "cluster" in committee.json()
    inside.member.refresh_from_db()
    assert inside.member.committee == inside.committee


def test_editing_the_activity_moves_or_lets_go_of_its_meeting(world, client):
    client.force_login(world.users["bso_staff"])
    form = {
        "cluster": world.inside.pk,
        "date": YESTERDAY.isoformat(),
        "type": ActivityType.STEERING_MEETING,
        "title": "Steering committee",
        "currency": "ARS",
    }
    client.post(reverse("activity-new"), form)
    activity = Activity.objects.get(title="Steering committee")
    meeting = activity.meeting
    earlier = YESTERDAY - datetime.timedelta(days=7)

    moved = client.post(
        reverse("activity-edit", args=[activity.pk]), {**form, "date": earlier.isoformat()}
    )
    meeting.refresh_from_db()
    assert moved.status_code == 302 and meeting.held_on == earlier

    retyped = client.post(
        reverse("activity-edit", args=[activity.pk]),
        {**form, "date": earlier.isoformat(), "type": ActivityType.WORKSHOP},
    )
    activity.refresh_from_db()
    assert retyped.status_code == 302 and activity.meeting is None
    assert Meeting.objects.filter(pk=meeting.pk).exists()  # the committee's record stays
