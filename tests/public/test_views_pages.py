"""The public results pages: anyone may read them, they show published data only (an
unpublished cluster or a withheld KPI is absent, a group of fewer than 3 clusters is never
shown), each number says its method and names its published inputs, and they answer in the
visitor's language with a bounded number of queries."""

import re

import pytest
from django.urls import reverse

from programs.models import Program
from public.areas.services import area_publication_set


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def row(body: str, kpi_code: str) -> str:
    found = re.search(rf'<tr data-kpi="{kpi_code}">(.*?)</tr>', body, re.S)
    assert found, f"no row for {kpi_code}"
    return found.group(1)


def value(row_html: str) -> str:
    """The value cell's number, tags and the unit left out."""
    cell = re.search(r'<td data-cell="value"[^>]*>(.*?)</td>', row_html, re.S).group(1)
    cell = re.sub(r"<small>.*?</small>", "", cell, flags=re.S)
    return re.sub(r"<[^>]+>", "", cell).strip()


def test_a_published_cluster_page_shows_its_approved_published_kpis_only(client, published):
    body = text(client.get(reverse("public-cluster", args=["mendoza-wine"])))
    assert "Mendoza wine" in body
    # trained: Q1 approved 7 + 5 = 12 (the Q2 draft's 633 is not approved)
    assert value(row(body, "firms-trained")) == "12"
    assert "633" not in body
    # the withheld KPI is absent, its value too
    assert "hidden-kpi" not in body and "Secret margin" not in body and "4242" not in body
    assert "Method:" in row(body, "export-lead-time")
    # governance composition is counted, nobody named
    assert 'data-section="governance"' in body
    assert published.world.committees["inside"].member.name not in body


def test_an_unpublished_cluster_has_no_public_page(client, published):
    assert client.get(reverse("public-cluster", args=["san-juan-olives"])).status_code == 404
    assert client.get(reverse("public-cluster", args=["atuntaqui-garments"])).status_code == 404


def test_switching_publication_off_takes_the_page_down(client, published):
    from public.services import publication_set

    publication_set(
        cluster=published.world.inside,
        published=False,
        decision=published.decision,
        withheld_kpis=[],
        by=published.world.users["bso_staff"],
    )
    assert client.get(reverse("public-cluster", args=["mendoza-wine"])).status_code == 404
    assert "Mendoza wine" not in text(client.get(reverse("public-index")))


def test_the_index_lists_and_searches_published_clusters_only(client, national):
    body = text(client.get(reverse("public-index")))
    assert "Mendoza wine" in body and "Córdoba software" in body
    assert "San Juan olives" not in body and "Atuntaqui garments" not in body
    found = text(client.get(reverse("public-index"), {"q": "biotech"}))
    assert "Rosario biotech" in found and "Mendoza wine" not in found
    assert "San Juan" not in text(client.get(reverse("public-index"), {"q": "olives"}))


def test_national_page_adds_up_published_clusters_only(client, national):
    body = text(client.get(reverse("public-country", args=["AR"])))
    trained = row(body, "firms-trained")
    # 12 + 20 + 30 = 62 from the three published clusters; San Juan's 999 not in it (1061)
    assert value(trained) == "62"
    assert "1061" not in body and "999" not in body
    # the inputs: published clusters named, the unpublished one counted
    for code in ("mendoza-wine", "cordoba-software", "rosario-biotech"):
        assert f'data-input="{code}"' in trained
    assert 'data-unpublished="1"' in trained
    assert "San Juan olives" not in body
    # mean of (35 + 25 + 45) / 3 = 35
    assert value(row(body, "export-lead-time")) == "35"
    assert "Method:" in trained and "Sum of the clusters" in trained


def test_a_group_of_fewer_than_three_published_clusters_is_never_shown(client, national):
    body = text(client.get(reverse("public-country", args=["AR"])))
    hidden = row(body, "hidden-kpi")  # Córdoba and Rosario only: 2 < 3
    assert "data-not-shown" in hidden
    assert 'data-cell="value" colspan' in hidden
    program = text(client.get(reverse("public-program", args=["ar-clusters"])))
    assert "data-not-shown" in row(program, "hidden-kpi")


def test_country_and_region_pages_are_public_only_when_their_owner_published_them(client, national):
    world = national.world
    assert client.get(reverse("public-country", args=["EC"])).status_code == 404
    assert client.get(reverse("public-region", args=["southern-cone"])).status_code == 404
    area_publication_set(region=world.southern_cone, published=True, by=world.users["regional"])
    body = text(client.get(reverse("public-region", args=["southern-cone"])))
    assert value(row(body, "firms-trained")) == "62"
    area_publication_set(country=world.argentina, published=False, by=world.users["ministry"])
    assert client.get(reverse("public-country", args=["AR"])).status_code == 404


def test_program_page_shows_money_clusters_and_results(client, national):
    body = text(client.get(reverse("public-program", args=["ar-clusters"])))
    assert 'data-money="rate">50 %' in body  # 50 disbursed of 100 approved by the funder
    assert value(row(body, "firms-trained")) == "62"
    assert 'data-unpublished-clusters="1"' in body  # San Juan, counted not named
    assert "San Juan olives" not in body


def test_a_program_in_preparation_has_no_public_page(client, national):
    world = national.world
    Program.objects.filter(pk=world.other_program.pk).update(status=Program.Status.PREPARATION)
    assert client.get(reverse("public-program", args=["ec-clusters"])).status_code == 404


def test_public_pages_answer_in_spanish(client, national):
    body = text(client.get(reverse("public-country", args=["AR"]), HTTP_ACCEPT_LANGUAGE="es"))
    assert '<html lang="es">' in body
    assert "resultados nacionales" in body
    assert "Método:" in body
    index = text(client.get(reverse("public-index"), HTTP_ACCEPT_LANGUAGE="es"))
    assert "Clústeres publicados" in index or "Clusters publicados" in index


def more_published(world, n: int) -> None:
    """n more published clusters in Argentina, enrolled in the program, each with its committee
    and decision: a page that queried per cluster would show it."""
    import datetime

    from clusters.models import Decision
    from public.services import publication_set
    from tests.factories import (
        ClusterFactory,
        CommitteeMemberFactory,
        EnrolmentFactory,
        MeetingFactory,
        SteeringCommitteeFactory,
    )

    for i in range(n):
        cluster = ClusterFactory(code=f"extra-{i}", name=f"Extra {i}", country=world.argentina)
        EnrolmentFactory(program=world.program, cluster=cluster)
        committee = SteeringCommitteeFactory(cluster=cluster)
        CommitteeMemberFactory(committee=committee)
        meeting = MeetingFactory(committee=committee, held_on=datetime.date(2025, 5, 1))
        decision = Decision.objects.create(meeting=meeting, text="Publish.")
        publication_set(
            cluster=cluster,
            published=True,
            decision=decision,
            withheld_kpis=[],
            by=world.users["bso_staff"],
        )


# Each page's queries, counted with 3 and with 9 published clusters: the same fixed number.
BOUNDS = [
    ("public-index", [], 6),
    ("public-cluster", ["mendoza-wine"], 14),  # 12 + the approved plan and its actions
    ("public-country", ["AR"], 10),
    ("public-region", ["southern-cone"], 10),
    ("public-program", ["ar-clusters"], 14),
    ("open-data", [], 8),
    ("public-data", ["countries", "AR", "results", "csv"], 10),
    ("public-data", ["programs", "ar-clusters", "money", "json"], 14),
    ("public-index-data", ["json"], 6),
]


@pytest.mark.parametrize(("name", "args", "bound"), BOUNDS)
def test_public_pages_make_a_bounded_number_of_queries(
    client, national, django_assert_max_num_queries, name, args, bound
):
    world = national.world
    area_publication_set(region=world.southern_cone, published=True, by=world.users["regional"])
    more_published(world, 6)
    with django_assert_max_num_queries(bound):
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200


def test_the_clusters_own_kpis_show_their_approved_values_unless_withheld(client, published):
    from public.services import publication_set
    from scorecards.services import own_kpi_decide, own_kpi_propose
    from tests.monitoring.rollup_reference import report_with

    world = published.world
    admin = world.users["admin"]
    scorecard = world.inside.scorecards.get(until__isnull=True)
    csf = scorecard.template.perspectives.first().csfs.first()
    own = {}
    for code, name in (("mendoza-barrels", "Barrels exported"), ("mendoza-secret", "Secret")):
        kpi = own_kpi_propose(
            scorecard=scorecard,
            csf=csf,
            data={
                "code": code,
                "name": name,
                "unit": "count",
                "aggregation": "sum",
                "time_aggregation": "sum",
                "frequency": "quarterly",
            },
            user=admin,
        )
        own[code] = own_kpi_decide(kpi=kpi, accept=True, user=admin)
    report_with(
        world.inside,
        published.periods["q3"],
        {own["mendoza-barrels"]: 40, own["mendoza-secret"]: 98765},
    )
    publication_set(
        cluster=world.inside,
        published=True,
        decision=published.decision,
        withheld_kpis=[published.hidden, own["mendoza-secret"]],
        by=world.users["bso_staff"],
    )
    body = text(client.get(reverse("public-cluster", args=["mendoza-wine"])))
    barrels = re.search(r'<tr data-own-kpi="mendoza-barrels">(.*?)</tr>', body, re.S).group(1)
    assert "2025-Q3: 40" in barrels
    # (a value no id, nonce or time on the page could hold by chance, as "77" once did in CI)
    assert "mendoza-secret" not in body and "Secret" not in body
    assert "98,765" not in body and "98765" not in body
    data = client.get(
        reverse("public-data", args=["clusters", "mendoza-wine", "own-results", "csv"])
    )
    assert "mendoza-barrels" in data.content.decode()
    assert "mendoza-secret" not in data.content.decode()
