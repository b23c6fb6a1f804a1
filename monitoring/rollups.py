"""The rollup engine: approved values rolled up from clusters to every level, set-based.

DESIGN.md "Rollup semantics" is the contract. For one core KPI and a set of periods, one SQL
statement (common table expressions, portable between PostgreSQL and SQLite) does it all:

1. `src`: the KPI's approved values (rule 1), from quarter reports for quarterly KPIs and
   from year reports for annual ones.
2. `cv`: each cluster's value per period. Time first: a quarterly KPI's year value is built
   from the cluster's own quarters (sum, mean or last; numerators and denominators
   separately for ratios), and counts as complete when all four quarters are approved.
3. `exp`: the clusters expected to report: active clusters whose scorecard in force at the
   period's end includes the KPI (rule 4).
4. `mem`: each expected or reporting cluster's place in every total: itself, its country,
   each region holding its country, each program it was enrolled in during the period, and
   the global total. Each (cluster, unit) appears once, so overlapping regions and clusters
   in two programs count once per total (rules 2 and 3).
5. `agg`: the KPI's aggregation across clusters (ratio = sum of numerators over sum of
   denominators x scale, never a mean of percentages), women and men beside it, and coverage.
6. Targets set at the level, or for sum KPIs the sum of the member clusters' targets, marked
   as derived (rule 6); the cluster's baseline at cluster level.

The rows of the KPI and periods are deleted and inserted again in one transaction under a
per-KPI lock: recomputing from source is idempotent, rows whose source is gone disappear,
and two workers on the same KPI take turns. Achievement and status are not stored: readers
compute them with scorecards.scoring from value, target and baseline.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from core.models import RollupStale
from monitoring.models import Measurement, Report, Rollup, RollupRun, RollupRunItem
from scorecards.models import KPI, Period

log = logging.getLogger(__name__)

AGGREGATES = {
    KPI.Aggregation.SUM: "SUM(cv.value)",
    KPI.Aggregation.MEAN: "AVG(cv.value)",
    KPI.Aggregation.MIN: "MIN(cv.value)",
    KPI.Aggregation.MAX: "MAX(cv.value)",
    KPI.Aggregation.RATIO: (
        "CASE WHEN SUM(cv.denominator) > 0 "
        "THEN SUM(cv.numerator) * {scale} / SUM(cv.denominator) END"
    ),
    KPI.Aggregation.SHARE_YES: (
        "CASE WHEN COUNT(cv.cluster_id) > 0 THEN "
        "SUM(CASE WHEN cv.value = 1 THEN 1 ELSE 0 END) * 1.0 / COUNT(cv.cluster_id) END"
    ),
}

# How a cluster's quarters make its year, per time aggregation (step 2).
YEAR_FROM_QUARTERS = {
    KPI.TimeAggregation.SUM: """
        SELECT s.cluster_id, y.id AS period_id, SUM(s.value) AS value,
               SUM(s.numerator) AS numerator, SUM(s.denominator) AS denominator,
               SUM(s.value_women) AS value_women, SUM(s.value_men) AS value_men,
               CASE WHEN COUNT(*) = 4 THEN 1 ELSE 0 END AS complete
        FROM src s JOIN per y ON y.kind = 'year' AND y.year = s.year
        GROUP BY s.cluster_id, y.id""",
    KPI.TimeAggregation.MEAN: """
        SELECT s.cluster_id, y.id AS period_id, AVG(s.value) AS value,
               AVG(s.numerator) AS numerator, AVG(s.denominator) AS denominator,
               AVG(s.value_women) AS value_women, AVG(s.value_men) AS value_men,
               CASE WHEN COUNT(*) = 4 THEN 1 ELSE 0 END AS complete
        FROM src s JOIN per y ON y.kind = 'year' AND y.year = s.year
        GROUP BY s.cluster_id, y.id""",
    KPI.TimeAggregation.LAST: """
        SELECT s.cluster_id, y.id AS period_id, s.value, s.numerator, s.denominator,
               s.value_women, s.value_men, CASE WHEN s.n = 4 THEN 1 ELSE 0 END AS complete
        FROM (
            SELECT src.*,
                   ROW_NUMBER() OVER (PARTITION BY cluster_id, year ORDER BY quarter DESC) AS rn,
                   COUNT(*) OVER (PARTITION BY cluster_id, year) AS n
            FROM src
        ) s JOIN per y ON y.kind = 'year' AND y.year = s.year
        WHERE s.rn = 1""",
}

# INSERT first, then the WITH: both databases accept it, and Python's sqlite3 reports the
# row count only for statements that start with INSERT.
ROLLUP_SQL = """
INSERT INTO monitoring_rollup (
    kpi_id, period_id, level, unit_id, value, numerator, denominator, value_women, value_men,
    target, target_derived, baseline, clusters_reporting, clusters_complete, clusters_expected,
    computed_at
)
WITH
per AS (
    SELECT id, kind, year, quarter, starts_on, ends_on FROM scorecards_period WHERE {periods}
),
src AS (
    SELECT r.cluster_id, r.period_id, p.year, p.quarter, m.value, m.numerator, m.denominator,
           m.value_women, m.value_men
    FROM monitoring_measurement m
    JOIN monitoring_report r ON r.id = m.report_id
    JOIN scorecards_period p ON p.id = r.period_id
    WHERE m.kpi_id = %(kpi)s AND r.state = 'approved' AND p.kind = %(source_kind)s
      AND p.year IN (SELECT year FROM per)
      AND (m.value IS NOT NULL OR (m.numerator IS NOT NULL AND m.denominator IS NOT NULL))
),
cv AS (
    SELECT s.cluster_id, s.period_id, s.value, s.numerator, s.denominator,
           s.value_women, s.value_men, 1 AS complete
    FROM src s WHERE s.period_id IN (SELECT id FROM per)
    {year_from_quarters}
),
tmpl AS (
    SELECT DISTINCT ps.template_id
    FROM scorecards_templatekpi tk
    JOIN scorecards_csf c ON c.id = tk.csf_id
    JOIN scorecards_perspective ps ON ps.id = c.perspective_id
    WHERE tk.kpi_id = %(kpi)s
),
exp AS (
    SELECT DISTINCT cs.cluster_id, p.id AS period_id
    FROM scorecards_clusterscorecard cs
    JOIN clusters_cluster c ON c.id = cs.cluster_id AND c.status = 'active'
    JOIN per p ON cs.adopted_on <= p.ends_on AND (cs.until IS NULL OR cs.until >= p.ends_on)
    WHERE cs.template_id IN (SELECT template_id FROM tmpl) AND p.kind IN ({expected_kinds})
),
base AS (
    SELECT cluster_id, period_id FROM exp
    UNION
    SELECT cluster_id, period_id FROM cv
),
mem AS (
    SELECT b.cluster_id, b.period_id, 'cluster' AS level, b.cluster_id AS unit_id FROM base b
    UNION ALL
    SELECT b.cluster_id, b.period_id, 'country', c.country_id
    FROM base b JOIN clusters_cluster c ON c.id = b.cluster_id
    UNION ALL
    SELECT b.cluster_id, b.period_id, 'region', rc.region_id
    FROM base b
    JOIN clusters_cluster c ON c.id = b.cluster_id
    JOIN clusters_region_countries rc ON rc.country_id = c.country_id
    UNION ALL
    SELECT DISTINCT b.cluster_id, b.period_id, 'program', e.program_id
    FROM base b
    JOIN per p ON p.id = b.period_id
    JOIN programs_enrolment e ON e.cluster_id = b.cluster_id
        AND e.enrolled_from <= p.ends_on
        AND (e.enrolled_until IS NULL OR e.enrolled_until >= p.starts_on)
    UNION ALL
    SELECT b.cluster_id, b.period_id, 'global', 0 FROM base b
),
agg AS (
    SELECT m.level, m.unit_id, m.period_id,
           {aggregate} AS value,
           SUM(cv.numerator) AS numerator, SUM(cv.denominator) AS denominator,
           SUM(cv.value_women) AS value_women, SUM(cv.value_men) AS value_men,
           COUNT(cv.cluster_id) AS reporting, COALESCE(SUM(cv.complete), 0) AS complete,
           COUNT(*) AS expected
    FROM mem m
    LEFT JOIN cv ON cv.cluster_id = m.cluster_id AND cv.period_id = m.period_id
    GROUP BY m.level, m.unit_id, m.period_id
),
tgt AS (
    SELECT t.level, COALESCE(t.cluster_id, t.country_id, t.region_id, t.program_id, 0) AS unit_id,
           t.period_id, t.value
    FROM scorecards_target t
    WHERE t.kpi_id = %(kpi)s AND t.period_id IN (SELECT id FROM per)
),
dtgt AS (
    SELECT m.level, m.unit_id, m.period_id, SUM(t.value) AS value
    FROM mem m
    JOIN tgt t ON t.level = 'cluster' AND t.unit_id = m.cluster_id AND t.period_id = m.period_id
    WHERE m.level <> 'cluster' AND {derive_targets}
    GROUP BY m.level, m.unit_id, m.period_id
),
bl AS (
    SELECT b.cluster_id, {baseline} AS value FROM scorecards_baseline b WHERE b.kpi_id = %(kpi)s
)
SELECT %(kpi)s, a.period_id, a.level, a.unit_id, a.value, a.numerator, a.denominator,
       a.value_women, a.value_men,
       COALESCE(t.value, d.value),
       CASE WHEN t.value IS NULL AND d.value IS NOT NULL THEN %(true)s ELSE %(false)s END,
       CASE WHEN a.level = 'cluster' THEN bl.value END,
       a.reporting,
       CASE WHEN p.kind = 'year' AND %(from_quarters)s = 1 THEN a.complete END,
       a.expected, %(now)s
FROM agg a
JOIN per p ON p.id = a.period_id
LEFT JOIN tgt t ON t.level = a.level AND t.unit_id = a.unit_id AND t.period_id = a.period_id
LEFT JOIN dtgt d ON d.level = a.level AND d.unit_id = a.unit_id AND d.period_id = a.period_id
LEFT JOIN bl ON a.level = 'cluster' AND bl.cluster_id = a.unit_id
"""


def _period_filter(period_ids: list[int] | None) -> tuple[str, dict]:
    if period_ids is None:
        return "1 = 1", {}
    names = {f"p{i}": pid for i, pid in enumerate(period_ids)}
    return "id IN ({})".format(", ".join(f"%({n})s" for n in names) or "NULL"), names


def rollup_sql(kpi: KPI, period_ids: list[int] | None) -> tuple[str, dict]:
    """The INSERT ... SELECT that rebuilds the KPI's rows for these periods (None: all)."""
    quarterly = kpi.frequency == KPI.Frequency.QUARTERLY
    periods, params = _period_filter(period_ids)
    scale = f"{kpi.scale}"  # a Decimal from the database: safe to inline
    sql = ROLLUP_SQL.format(
        periods=periods,
        year_from_quarters=(
            "UNION ALL " + YEAR_FROM_QUARTERS[kpi.time_aggregation] if quarterly else ""
        ),
        expected_kinds="'quarter', 'year'" if quarterly else "'year'",
        aggregate=AGGREGATES[kpi.aggregation].format(scale=scale),
        derive_targets="1 = 1" if kpi.aggregation == KPI.Aggregation.SUM else "1 = 0",
        baseline=(
            f"CASE WHEN b.denominator > 0 THEN b.numerator * {scale} / b.denominator END"
            if kpi.is_ratio
            else "b.value"
        ),
    )
    params |= {
        "kpi": kpi.pk,
        "source_kind": Period.Kind.QUARTER if quarterly else Period.Kind.YEAR,
        "from_quarters": 1 if quarterly else 0,
        "now": timezone.now(),
        "true": True,
        "false": False,
    }
    return sql, params


def _lock_kpi(kpi_id: int) -> None:
    """Serialise recomputes of one KPI (PostgreSQL; SQLite serialises every write anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7301, kpi_id])


@transaction.atomic
def recompute_kpi(*, kpi_id: int, period_ids: Iterable[int] | None = None) -> int:
    """Rebuild the rollup rows of one KPI for these periods (all when None); return the rows.

    A quarter's year is recomputed with it, since the year is built from its quarters.
    """
    _lock_kpi(kpi_id)
    kpi = KPI.objects.filter(pk=kpi_id).first()
    periods = None if period_ids is None else _with_their_years(period_ids)
    existing = Rollup.objects.filter(kpi_id=kpi_id)
    if periods is not None:
        existing = existing.filter(period_id__in=periods)
    existing.delete()
    if kpi is None or not kpi.is_core:
        return 0  # only core KPIs roll up (rule 5)
    sql, params = rollup_sql(kpi, periods)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _with_their_years(period_ids: Iterable[int]) -> list[int]:
    ids = set(period_ids)
    years = Period.objects.filter(pk__in=ids).values("year")
    ids |= set(Period.objects.years().filter(year__in=years).values_list("pk", flat=True))
    return sorted(ids)


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
    every period. Each KPI is recomputed in a savepoint: one that fails (logged) gets a marker
    of its own back, so it is tried again by the next sweep and does not hold up the others.
    """
    with transaction.atomic():
        taken = RollupStale.objects.select_for_update(skip_locked=True).order_by("pk")[:limit]
        markers = list(taken.values_list("pk", "kpi_id", "period_id"))
        if not markers:
            return StaleWork(0, 0, 0)
        work = _expand(markers)
        rows, failed = 0, []
        for kpi_id, period_ids in work.items():
            try:
                with transaction.atomic():
                    rows += recompute_kpi(kpi_id=kpi_id, period_ids=period_ids)
            except Exception:
                log.exception("Rollup recompute of KPI %s failed; it stays stale", kpi_id)
                failed.append((kpi_id, period_ids))
        RollupStale.objects.filter(pk__in=[pk for pk, _k, _p in markers]).delete()
        RollupStale.objects.bulk_create(
            RollupStale(kpi_id=k, period_id=p, reason="recompute failed: retry")
            for k, periods in failed
            for p in (periods or [None])
        )
    return StaleWork(len(markers), len(work), rows)


def _expand(markers) -> dict[int, list[int] | None]:
    """Markers -> {kpi id: period ids, or None for all periods}."""
    every_kpi = core_kpi_ids()
    work: dict[int, set[int] | None] = {}
    for _pk, kpi_id, period_id in markers:
        for k in every_kpi if kpi_id is None else [kpi_id]:
            if period_id is None:
                work[k] = None
            elif work.get(k, set()) is not None:
                work.setdefault(k, set()).add(period_id)
    return {k: (None if p is None else sorted(p)) for k, p in work.items()}


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


# --- Full recompute ------------------------------------------------------------------------


def run_start(*, user=None) -> RollupRun:
    """Create a full recompute (one item per core KPI) and queue its tasks after commit."""
    from celery import current_app

    kpi_ids = core_kpi_ids()
    with transaction.atomic():
        run = RollupRun.objects.create(started_by=user, total=len(kpi_ids))
        RollupRunItem.objects.bulk_create(RollupRunItem(run=run, kpi_id=k) for k in kpi_ids)
        task = current_app.tasks["monitoring.tasks.recompute_run_item"]
        for k in kpi_ids:
            # one callback per KPI, robust: a task that cannot be queued (or, run eagerly,
            # raises) is logged and does not keep the other KPIs from running
            transaction.on_commit(_sender(task, run.pk, k), robust=True)
    if not kpi_ids:
        run_finish_if_done(run_id=run.pk)
    return run


def _sender(task, run_id: int, kpi_id: int):
    def send_run_item():
        task.delay(run_id, kpi_id)

    return send_run_item


MAX_ATTEMPTS = 3


def run_item_execute(*, run_id: int, kpi_id: int) -> None:
    """Recompute one KPI of a run; idempotent (a second delivery recomputes and counts once).

    A message redelivered after its worker died does not count as a Celery retry, so the
    item's own attempt count bounds it: past MAX_ATTEMPTS the item is marked failed.
    """
    items = RollupRunItem.objects.filter(run_id=run_id, kpi_id=kpi_id)
    items.update(attempts=models.F("attempts") + 1)
    if items.filter(attempts__gt=MAX_ATTEMPTS).exists():
        run_item_failed(run_id=run_id, kpi_id=kpi_id, error="gave up: too many attempts")
        return
    recompute_kpi(kpi_id=kpi_id)
    items.update(state=RollupRunItem.State.DONE, error="", finished_at=timezone.now())
    run_finish_if_done(run_id=run_id)


def run_item_failed(*, run_id: int, kpi_id: int, error: str) -> None:
    """A task gave up after its retries: the run shows it as failed."""
    RollupRunItem.objects.filter(run_id=run_id, kpi_id=kpi_id).exclude(
        state=RollupRunItem.State.DONE
    ).update(state=RollupRunItem.State.FAILED, error=error[:2000], finished_at=timezone.now())
    run_finish_if_done(run_id=run_id)


def run_finish_if_done(*, run_id: int) -> None:
    items = RollupRunItem.objects.filter(run_id=run_id)
    if items.filter(state=RollupRunItem.State.PENDING).exists():
        return
    failed = items.filter(state=RollupRunItem.State.FAILED).exists()
    RollupRun.objects.filter(pk=run_id, finished_at__isnull=True).update(
        finished_at=timezone.now(),
        status=RollupRun.Status.FAILED if failed else RollupRun.Status.DONE,
    )


@dataclass
class RunProgress:
    run: RollupRun
    done: int
    failed: int
    total: int
    elapsed_s: float
    errors: list[dict]

    @property
    def percent(self) -> int:
        return round(100 * (self.done + self.failed) / self.total) if self.total else 100


def run_progress(run: RollupRun) -> RunProgress:
    return runs_progress([run])[0]


def runs_progress(runs: list[RollupRun]) -> list[RunProgress]:
    """Progress of several runs in two queries, whatever their number."""
    ids = [run.pk for run in runs]
    counts: dict[tuple[int, str], int] = {
        (run_id, state): n
        for run_id, state, n in RollupRunItem.objects.filter(run_id__in=ids)
        .values_list("run_id", "state")
        .annotate(n=models.Count("pk"))
        .values_list("run_id", "state", "n")
    }
    errors: dict[int, list[dict]] = {}
    failed = RollupRunItem.objects.filter(run_id__in=ids, state=RollupRunItem.State.FAILED)
    for item in failed.values("run_id", "kpi_id", "error", "attempts"):
        errors.setdefault(item.pop("run_id"), []).append(item)
    now = timezone.now()
    return [
        RunProgress(
            run,
            counts.get((run.pk, RollupRunItem.State.DONE), 0),
            counts.get((run.pk, RollupRunItem.State.FAILED), 0),
            run.total,
            ((run.finished_at or now) - run.started_at).total_seconds(),
            errors.get(run.pk, []),
        )
        for run in runs
    ]


# --- Audit ---------------------------------------------------------------------------------

ROW_FIELDS = [
    "kpi_id",
    "period_id",
    "level",
    "unit_id",
    "value",
    "numerator",
    "denominator",
    "value_women",
    "value_men",
    "target",
    "target_derived",
    "baseline",
    "clusters_reporting",
    "clusters_complete",
    "clusters_expected",
]


def _rows(kpi_id: int) -> dict[tuple, tuple]:
    return {
        (r[1], r[2], r[3]): r for r in Rollup.objects.filter(kpi_id=kpi_id).values_list(*ROW_FIELDS)
    }


def audit(*, kpi_ids: Iterable[int] | None = None) -> list[str]:
    """Recompute from source without keeping anything and list every stored row that differs."""
    differences = []
    for kpi_id in kpi_ids or core_kpi_ids():
        with transaction.atomic():
            stored = _rows(kpi_id)
            recompute_kpi(kpi_id=kpi_id)
            fresh = _rows(kpi_id)
            transaction.set_rollback(True)  # the audit writes nothing
        for key in sorted(stored.keys() | fresh.keys(), key=str):
            if stored.get(key) != fresh.get(key):
                differences.append(
                    f"kpi {kpi_id} period {key[0]} {key[1]} {key[2]}: "
                    f"stored {stored.get(key)} != source {fresh.get(key)}"
                )
    return differences
