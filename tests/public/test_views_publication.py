"""The publication page: BSO staff in scope (and administrators) switch a cluster's results on,
naming the steering committee's decision, and off, and choose the KPIs kept unpublished; other
roles are refused, a cluster outside the scope answers 404."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusters.models import Decision
from public.models import Publication


def url(cluster):
    return reverse("cluster-publication", args=[cluster.pk])


def test_bso_staff_switch_publication_off_and_on_from_the_page(client, published):
    world = published.world
    client.force_login(world.users["bso_staff"])
    page = client.get(url(world.inside))
    assert page.status_code == 200
    assert 'data-publication-state="published"' in page.content.decode()
    assert "We publish our results." in page.content.decode()  # the decision is offered

    off = client.post(url(world.inside), {"decision": published.decision.pk})
    assert off.status_code == 302
    publication = Publication.objects.get(cluster=world.inside)
    assert not publication.published
    assert list(publication.withheld_kpis.all()) == []

    again = Decision.objects.create(
        meeting=world.committees["inside"].meeting, text="We publish again, exports too."
    )
    on = client.post(
        url(world.inside),
        {"published": "on", "decision": again.pk, "withheld_kpis": [published.hidden.pk]},
        follow=True,
    )
    assert on.status_code == 200
    assert "The cluster&#x27;s results are published." in on.content.decode()
    publication.refresh_from_db()
    assert (publication.published, publication.decision, publication.changed_by) == (
        True,
        again,
        world.users["bso_staff"],
    )
    assert list(publication.withheld_kpis.all()) == [published.hidden]
    # every switch is kept, by whom
    assert publication.history.count() >= 3
    assert publication.history.first().history_user == world.users["bso_staff"]
    history = client.get(reverse("cluster-publication-history", args=[world.inside.pk]))
    assert history.status_code == 200


def test_publishing_without_a_decision_is_refused_and_keeps_what_was_chosen(client, published):
    world = published.world
    client.force_login(world.users["bso_staff"])
    client.post(url(world.inside), {"decision": published.decision.pk})  # off first
    response = client.post(
        url(world.inside), {"published": "on", "withheld_kpis": [published.hidden.pk]}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Name the steering committee&#x27;s decision to publish" in body
    assert re.search(r'<input type="checkbox" name="published"[^>]* checked', body)
    assert re.search(rf'name="withheld_kpis" value="{published.hidden.pk}"[^>]* checked', body)
    assert not Publication.objects.get(cluster=world.inside).published


def test_a_decision_of_another_cluster_is_not_a_choice(client, published):
    world = published.world
    other = Decision.objects.create(meeting=world.committees["outside"].meeting, text="Theirs")
    client.force_login(world.users["bso_staff"])
    response = client.post(url(world.inside), {"published": "on", "decision": other.pk})
    assert response.status_code == 400
    assert Publication.objects.get(cluster=world.inside).decision == published.decision


@pytest.mark.parametrize("role", ["program_officer", "ministry", "regional"])
def test_other_roles_are_refused(client, published, role):
    world = published.world
    client.force_login(world.users[role])
    assert client.get(url(world.inside)).status_code == 403
    response = client.post(url(world.inside), {"decision": published.decision.pk})
    assert response.status_code == 403
    assert Publication.objects.get(cluster=world.inside).published


def test_a_cluster_outside_the_scope_answers_404(client, published):
    world = published.world
    client.force_login(world.users["bso_staff"])
    assert client.get(url(world.outside)).status_code == 404
    assert client.post(url(world.outside), {"published": "on"}).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, published):
    response = client.get(url(published.world.inside))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_cluster_page_links_the_publication_page_for_bso_staff(client, published):
    world = published.world
    client.force_login(world.users["bso_staff"])
    assert url(world.inside) in client.get(world.inside.get_absolute_url()).content.decode()
    client.force_login(world.users["ministry"])
    assert url(world.inside) not in client.get(world.inside.get_absolute_url()).content.decode()


def test_the_page_is_bounded_in_queries(client, published, django_assert_max_num_queries):
    client.force_login(published.world.users["bso_staff"])
    with django_assert_max_num_queries(25):
        assert client.get(url(published.world.inside)).status_code == 200


def test_the_page_speaks_spanish(client, published):
    client.force_login(published.world.users["bso_staff"])
    page = client.get(url(published.world.inside), HTTP_ACCEPT_LANGUAGE="es")
    assert "Publicación de resultados" in page.content.decode()
    assert "Publicar los resultados del clúster" in page.content.decode()


def test_another_clusters_own_kpi_cannot_be_withheld(published):
    from public.services import publication_set
    from tests.monitoring.rollup_reference import core_kpi

    world = published.world
    theirs = core_kpi("their-own", cluster=world.outside)
    with pytest.raises(ValidationError) as refused:
        publication_set(
            cluster=world.inside,
            published=True,
            decision=published.decision,
            withheld_kpis=[theirs],
            by=world.users["bso_staff"],
        )
    assert "withheld_kpis" in refused.value.message_dict
