"""Writes of the knowledge exchange: a visit logged once as an activity of each cluster, scope,
publication and image checks."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import PermissionDenied
from monitoring.models import Activity, ActivityType
from public.exchange import services
from tests.monitoring.activity_data import PNG


def test_a_visit_is_logged_once_as_an_activity_of_each_cluster(exchange):
    world, visit = exchange.world, exchange.visit
    admin = world.users["admin"]

    logged = services.visit_log_activities(visit=visit, user=admin)
    again = services.visit_log_activities(visit=visit, user=admin)

    assert again == []
    activities = Activity.objects.filter(type=ActivityType.EXCHANGE_VISIT)
    # one in the visiting cluster, one in the host, and no more
    assert sorted(a.cluster_id for a in activities) == sorted([world.inside.pk, world.outside.pk])
    assert len(logged) == 2
    visit.refresh_from_db()
    host, visitor = visit.host_activity, visit.visitor_activity
    assert (host.cluster, visitor.cluster) == (world.outside, world.inside)
    # each names the BSO that supported its cluster on the day, and who took part
    assert (host.bso, visitor.bso) == (world.other_bso, world.bso)
    assert (visitor.date, visitor.women, visitor.men) == (datetime.date(2025, 5, 12), 3, 2)
    assert visitor.title == "Exchange visit to Atuntaqui garments"
    assert host.title == "Hosted an exchange visit of Mendoza wine"


def test_bso_staff_log_only_their_own_clusters_side_and_the_other_side_later(exchange):
    world, visit = exchange.world, exchange.visit

    mine = services.visit_log_activities(visit=visit, user=world.users["bso_staff"])
    theirs = services.visit_log_activities(visit=visit, user=world.users["admin"])

    assert [a.cluster for a in mine] == [world.inside]  # outside is not in their scope
    assert [a.cluster for a in theirs] == [world.outside]
    assert Activity.objects.filter(type=ActivityType.EXCHANGE_VISIT).count() == 2


def test_a_visit_of_clusters_outside_the_scope_is_refused(exchange):
    world = exchange.world
    staff = world.users["bso_staff"]
    data = {
        "visitor": world.outside,
        "host": world.outside,
        "starts_on": datetime.date(2025, 1, 1),
        "ends_on": datetime.date(2025, 1, 1),
        "purpose": "x",
    }

    with pytest.raises(PermissionDenied):
        services.visit_save(data=data, user=staff)
    with pytest.raises(PermissionDenied):
        services.visit_log_activities(
            visit=services.visit_save(
                data={**data, "visitor": world.inside}, user=world.users["admin"]
            ),
            user=world.users["ministry"],  # reads, never writes
        )


def test_a_cluster_does_not_visit_itself(exchange):
    world = exchange.world
    data = {
        "visitor": world.inside,
        "host": world.inside,
        "starts_on": datetime.date(2025, 1, 2),
        "ends_on": datetime.date(2025, 1, 1),
        "purpose": "x",
    }

    with pytest.raises(ValidationError) as refused:
        services.visit_save(data=data, user=world.users["bso_staff"])

    assert "A cluster does not visit itself." in str(refused.value)
    assert "The visit ends on or after the day it starts." in str(refused.value)


def test_publishing_records_who_and_when_and_taking_back_clears_them(exchange):
    staff = exchange.world.users["bso_staff"]

    services.case_study_publish(case_study=exchange.draft, published=True, user=staff)
    assert (exchange.draft.published, exchange.draft.published_by) == (True, staff)
    services.case_study_publish(case_study=exchange.draft, published=False, user=staff)

    exchange.draft.refresh_from_db()
    assert (exchange.draft.published, exchange.draft.published_at) == (False, None)


def test_bso_staff_cannot_publish_another_clusters_case_study(exchange):
    with pytest.raises(PermissionDenied):
        services.case_study_publish(
            case_study=exchange.foreign, published=True, user=exchange.world.users["bso_staff"]
        )


def test_an_image_is_checked_by_its_content_like_an_attachment(exchange, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = exchange.world.users["bso_staff"]

    image = services.case_study_image_add(
        case_study=exchange.shown,
        file=SimpleUploadedFile("vines.png", PNG),
        alt_text="Vines in rows",
        user=staff,
    )
    assert image.extension == "png"
    with pytest.raises(ValidationError):  # a web page named .png
        services.case_study_image_add(
            case_study=exchange.shown,
            file=SimpleUploadedFile("x.png", b"<html><script>alert(1)</script></html>"),
            alt_text="x",
            user=staff,
        )
    with pytest.raises(ValidationError):  # a PDF is an attachment, not an image
        services.case_study_image_add(
            case_study=exchange.shown,
            file=SimpleUploadedFile("x.pdf", b"%PDF-1.4 x"),
            alt_text="x",
            user=staff,
        )
    assert exchange.shown.images.count() == 1
