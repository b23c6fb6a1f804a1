"""The demo's firm registry: about thirty firms, one in two clusters of a country, one likely
duplicate pair for the duplicates page."""

from accounts.models import User
from accounts.scopes import firms_in_scope
from clusters.models import Cluster, Country
from firms.models import Firm
from firms.selectors import duplicate_pairs, firm_count_of_country, firm_counts_by_cluster


def test_the_demo_registers_about_thirty_firms_across_its_clusters(seeded):
    assert 25 <= Firm.objects.count() <= 40
    assert Cluster.objects.filter(firm_memberships__isnull=False).distinct().count() >= 12


def test_one_demo_firm_belongs_to_two_clusters_and_counts_once_nationally(seeded):
    argentina = Country.objects.get(code="AR")
    per_cluster = firm_counts_by_cluster(Cluster.objects.filter(country=argentina))
    assert sum(per_cluster.values()) == firm_count_of_country(argentina.pk) + 1


def test_the_duplicates_page_has_one_demo_pair_to_propose(seeded):
    pairs = duplicate_pairs(Firm.objects.all())
    assert [(p.first.name, p.second.name) for p in pairs] == [
        ("Bodega Los Andes S.A.", "Bodega los Andes")
    ]


def test_the_demo_bso_user_sees_the_firms_of_inti_clusters_only(seeded):
    staff = User.objects.get(username="bso")  # INTI: Mendoza wine, Rafaela, Córdoba software
    names = set(firms_in_scope(staff).values_list("name", flat=True))
    assert {"Viñas del Sol SRL", "Metalúrgica Rafaela SA", "Vinotech Software SA"} <= names
    assert "Rosas de Cayambe S.A." not in names
