"""Stale markers turned into recomputes: what a change names, and the sweep that takes the markers
no other worker holds."""

import logging
from dataclasses import dataclass

from django.db import transaction

from core.models import RollupStale
from monitoring.models import Measurement, Report
from monitoring.rollups.engine import recompute, recompute_kpi, with_their_years
from scorecards.models import KPI

log = logging.getLogger(__name__)


@dataclass
class StaleWork:
    markers: int
    kpis: int
    rows: int


def process_stale(*, limit: int = 10_000) -> StaleWork:
    """Take the stale markers no other worker holds, recompute what they name, delete them.

    The markers are locked (FOR UPDATE SKIP LOCKED on PostgreSQL) for the whole transaction:
    a change committed meanwhile writes a new marker, which waits for this one to go and then
    stays for the next run. A marker without a KPI means every core KPI, without a period
    every period. Every KPI of the marked periods is recomputed (recomputing from source, the
    KPIs not marked come out unchanged, for the same read); where every marker of a period
    names a cluster whose values changed, only those clusters' groups are summed again. Should
    that fail, each KPI is tried again on its own, whole, in a savepoint: one that fails
    (logged) gets a marker back, so it is retried by the next sweep and does not hold up the
    others.
    """
    with transaction.atomic():
        taken = RollupStale.objects.select_for_update(skip_locked=True).order_by("pk")[:limit]
        markers = list(taken.values_list("pk", "kpi_id", "period_id", "cluster_id"))
        if not markers:
            return StaleWork(0, 0, 0)
        kpi_ids, period_ids = _expand(markers)
        try:
            with transaction.atomic():
                rows = _recompute_marked(markers)
            failed = []
        except Exception:
            log.exception("Rollup recompute of %s KPIs failed; trying them one by one", kpi_ids)
            rows, failed = 0, []
            for kpi_id in kpi_ids:
                try:
                    with transaction.atomic():
                        rows += recompute_kpi(kpi_id=kpi_id, period_ids=period_ids)
                except Exception:
                    log.exception("Rollup recompute of KPI %s failed; it stays stale", kpi_id)
                    failed.append(kpi_id)
        RollupStale.objects.filter(pk__in=[m[0] for m in markers]).delete()
        RollupStale.objects.bulk_create(
            RollupStale(kpi_id=k, period_id=p, reason="recompute failed: retry")
            for k in failed
            for p in (period_ids or [None])
        )
    return StaleWork(len(markers), len(kpi_ids), rows)


def _recompute_marked(markers) -> int:
    """Periods with a marker that names no cluster: whole; the others: the named clusters'
    groups (a quarter brings its year, whole or in part as the quarter)."""
    periods = {p for _pk, _k, p, _c in markers}
    if None in periods:
        return recompute()
    whole = {p for _pk, _k, p, c in markers if c is None}
    rows = recompute(period_ids=whole) if whole else 0
    in_part = periods - whole
    if in_part:
        clusters = {c for _pk, _k, p, c in markers if p in in_part}
        left = set(with_their_years(in_part)) - set(with_their_years(whole))
        rows += recompute(period_ids=left, groups_of=clusters)
    return rows


def _expand(markers) -> tuple[list[int], list[int] | None]:
    """Markers -> (core KPI ids, period ids or None for every period): what to recompute."""
    every_kpi = core_kpi_ids()
    named = {m[1] for m in markers}
    kpi_ids = every_kpi if None in named else sorted(named)
    periods = {m[2] for m in markers}
    return kpi_ids, (None if None in periods else sorted(periods))


def core_kpi_ids() -> list[int]:
    return list(
        KPI.objects.filter(cluster__isnull=True).order_by("pk").values_list("pk", flat=True)
    )


def kpis_of_report(report: Report) -> list[int]:
    return list(
        Measurement.objects.filter(report=report, kpi__cluster__isnull=True).values_list(
            "kpi_id", flat=True
        )
    )
