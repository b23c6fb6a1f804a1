"""Benchmarking ranks and cuts each peer group in the database: a page reads the peers it lists
and those at the quartile positions, and the spread it takes from them is the spread of all the
group's values (statistics.quantiles, method "inclusive", and statistics.median)."""

from decimal import Decimal
from statistics import median, quantiles

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitoring.models import ClusterRollup
from monitoring.rollups import benchmark
from scorecards.models import KPI, Level
from tests.factories import ClusterFactory, ClusterSupportFactory, CountryFactory


def spread_of_all(values) -> benchmark.Spread:
    ordered = sorted(values)
    lower, _middle, upper = quantiles(ordered, n=4, method="inclusive")
    return benchmark.Spread(lower, median(ordered), upper)


@given(
    st.lists(
        st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False),
        min_size=3,
        max_size=60,
    )
)
def test_the_spread_at_the_quartile_positions_is_the_spread_of_all_values(values):
    ordered = sorted(values)
    at = {p: ordered[p] for p in benchmark.quartile_positions(len(values))}

    assert benchmark.spread_at(len(values), at) == spread_of_all(values)


def test_nine_values_are_read_at_positions_2_3_4_5_6_7():
    # 1..9: (9 - 1) * i // 4 = 2, 4, 6 and the next of each; the median 5 is at 4
    assert benchmark.quartile_positions(9) == {2, 3, 4, 5, 6, 7}
    at = {p: Decimal(p + 1) for p in benchmark.quartile_positions(9)}
    assert benchmark.spread_at(9, at) == benchmark.Spread(3, 5, 7)


class _RolledBack(Exception):
    pass


def expected_order(peers, lower_is_better) -> list[tuple[str, Decimal, bool]]:
    """(name, value, own) best first: the KPI's direction, then the name."""
    named = [(f"peer {i:02d}", Decimal(value), own) for i, (value, own) in enumerate(peers)]
    return sorted(named, key=lambda p: (p[1] if lower_is_better else -p[1], p[0]))


def ranks_at_quartile_positions(size, lower_is_better) -> set[int]:
    positions = {p for p in benchmark.quartile_positions(size) if p < size}
    return {p + 1 if lower_is_better else size - p for p in positions}


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    peers=st.lists(st.tuples(st.integers(0, 9), st.booleans()), min_size=1, max_size=24),
    lower_is_better=st.booleans(),
    shown=st.integers(1, 4),
)
def test_a_page_reads_the_peers_it_lists_and_those_at_the_quartile_positions(
    thai, monkeypatch, peers, lower_is_better, shown
):
    """Values 0-9 (ties are frequent); each peer the BSO's own or not. The administrator
    compares them all by name, the BSO's staff anonymised (only its own listed)."""
    monkeypatch.setattr(benchmark, "SHOWN_PER_GROUP", shown)
    kpi = KPI.objects.get(code="thai-returns" if lower_is_better else "thai-lean")
    assert (kpi.direction == KPI.Direction.LOWER) == lower_is_better
    values = [value for value, _own in peers]
    with pytest.raises(_RolledBack), transaction.atomic():
        country = CountryFactory()
        rows = []
        for i, (value, own) in enumerate(peers):
            cluster = ClusterFactory(country=country, name=f"peer {i:02d}")
            if own:
                ClusterSupportFactory(cluster=cluster, bso=thai.bso)
            rows.append(
                ClusterRollup(
                    kpi=kpi,
                    period=thai.q1,
                    level=Level.CLUSTER,
                    unit_id=cluster.pk,
                    value=value,
                    clusters_reporting=1,
                    clusters_expected=1,
                    computed_at=timezone.now(),
                )
            )
        ClusterRollup.objects.bulk_create(rows)
        size, ranked = len(values), expected_order(peers, lower_is_better)
        best_first = [(name, value) for name, value, _own in ranked]
        own_names = [name for name, _value, own in ranked if own]
        ask = {"kpi": kpi, "period": thai.q1, "grouping": "country"}

        (group,) = benchmark.peer_groups(thai.users["admin"], **ask)
        assert (group.size, group.confidential) == (size, size < benchmark.MIN_PEERS)
        read = {p.rank for p in group.peers}
        assert read == set(range(1, min(shown, size) + 1)) | ranks_at_quartile_positions(
            size, lower_is_better
        )
        assert all((p.name, p.value) == best_first[p.rank - 1] for p in group.peers)
        if group.confidential:
            assert (group.spread, group.listed, group.more) == (None, [], 0)
        else:
            assert group.spread == spread_of_all(values)
            assert [(p.name, p.value) for p in group.shown] == best_first[:shown]
            assert group.more == max(size - shown, 0)
            (every,) = benchmark.peer_groups(thai.users["admin"], every_figure=True, **ask)
            assert [(rank, p.name) for rank, p in every.listed] == [
                (rank, name) for rank, (name, _v) in enumerate(best_first, start=1)
            ]

        anonymised = benchmark.peer_groups(thai.users["bso_staff"], **ask)
        if not own_names:
            assert anonymised == []  # no group holds one of the BSO's clusters
        else:
            (group,) = anonymised
            assert (group.size, group.owned, group.anonymised) == (size, len(own_names), True)
            if not group.confidential:
                assert group.spread == spread_of_all(values)
                assert [p.name for p in group.shown] == own_names[:shown]
                assert all(best_first[rank - 1][0] == p.name for rank, p in group.listed)
                assert group.more == max(len(own_names) - shown, 0)
        raise _RolledBack
