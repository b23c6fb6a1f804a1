"""Rollup tests' shared steps (put values in through the services) and a plain-Python reference.

The reference (`reference_rows`) is written from DESIGN.md's rollup rules alone, reading
source rows with the ORM and aggregating in Python with Decimal, so that the SQL engine in
monitoring/rollups.py can be checked against an independent reading of the same contract.
Where DESIGN.md leaves room, the reference chooses:

- a cluster that reported an approved value but is not expected (it became inactive later,
  say) still counts in the value, and in `clusters_expected` too, so coverage never passes
  100%: expected = active clusters whose scorecard includes the KPI, plus those reporting;
- the program level counts a cluster when one of its enrolments overlaps the period;
- a derived target (sum KPIs, no target at the level) is the sum of the targets set for the
  member clusters themselves;
- `clusters_complete` is only given for the year rows of quarterly KPIs (None elsewhere).

`reference_split_rows` reads the parts of split KPIs the same way (women and men, and the
MeasurementSplit rows of the dimensions the KPI asks for): a cluster's year part by part with
the KPI's time aggregation, then the parts of the reporting clusters added up in each unit,
with the clusters that gave each category and those that gave the dimension.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Role, User
from clusters.models import Cluster
from monitoring.models import Measurement, MeasurementSplit, Report, Rollup, RollupSplit
from monitoring.reports.services import report_open, report_record_values, report_transition
from monitoring.rollups.engine import cluster_rows, cluster_split_rows
from monitoring.rollups.selectors import rollup_at
from programs.models import Enrolment
from scorecards.models import (
    CSF,
    KPI,
    Baseline,
    ClusterScorecard,
    Period,
    Perspective,
    Target,
    Template,
    TemplateKPI,
)

# --- Putting data in, the way users do ---------------------------------------------------


def admin_user() -> User:
    """An administrator may enter, submit and review every cluster's report."""
    user = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    return user or User.objects.create_user(username="rollup-admin", role=Role.ADMIN)


def core_kpi(code: str, **fields) -> KPI:
    """A core KPI (no cluster): a count summed over clusters and over time unless told."""
    defaults = {
        "name": code,
        "unit": KPI.Unit.COUNT,
        "aggregation": KPI.Aggregation.SUM,
        "time_aggregation": KPI.TimeAggregation.SUM,
        "frequency": KPI.Frequency.QUARTERLY,
    }
    return KPI.objects.create(code=code, **{**defaults, **fields})


def template_with(code: str, kpis: list[KPI]) -> Template:
    """A published template holding these KPIs under one perspective and CSF."""
    template = Template.objects.create(code=code, name=code, status=Template.Status.PUBLISHED)
    csf = CSF.objects.create(
        perspective=Perspective.objects.create(template=template, name="Perspective"), name="CSF"
    )
    for order, kpi in enumerate(kpis):
        TemplateKPI.objects.create(csf=csf, kpi=kpi, order=order)
    return template


def place_in_template(template: Template, kpis: list[KPI]) -> None:
    """Add core KPIs to an existing template (its first CSF)."""
    csf = CSF.objects.filter(perspective__template=template).order_by("pk").first()
    for kpi in kpis:
        TemplateKPI.objects.create(csf=csf, kpi=kpi, order=99)


def raw_input(kpi: KPI, given) -> dict:
    """Test shorthand -> the raw inputs a form sends: 5, (num, den), or a dict as it is."""
    if isinstance(given, dict):
        return {k: _raw(v) for k, v in given.items()}
    if isinstance(given, tuple):
        return {"numerator": str(given[0]), "denominator": str(given[1])}
    if given is None:
        return {"value": None, "numerator": None, "denominator": None}
    return {"value": str(given)}


def _raw(given):
    """A number as a form sends it; the parts ({dimension: {category: number}}) likewise."""
    if isinstance(given, dict):
        return {k: _raw(v) for k, v in given.items()}
    return None if given is None else str(given)


def filler(kpi: KPI) -> dict:
    """Any valid value, for the KPIs a test does not care about (a report is all or nothing)."""
    if kpi.is_ratio:
        return {"numerator": "1", "denominator": "2"}
    if kpi.by_sex:
        return {"value_women": "1", "value_men": "1"}
    return {"value": "1"}


def record(report: Report, values: dict, *, fill: bool = False) -> None:
    """Record values ({KPI or code: shorthand}); with `fill`, every empty value gets one."""
    by_code = {(k if isinstance(k, str) else k.code): v for k, v in values.items()}
    rows = {}
    for m in report.measurements.select_related("kpi"):
        if m.kpi.code in by_code:
            rows[m.kpi_id] = raw_input(m.kpi, by_code.pop(m.kpi.code))
        elif fill and m.value is None and m.numerator is None:
            rows[m.kpi_id] = filler(m.kpi)
    assert not by_code, f"not in the report: {sorted(by_code)}"
    report_record_values(report=report, rows=rows, user=admin_user())


STEPS = {
    Report.State.DRAFT: [],
    Report.State.SUBMITTED: ["submit"],
    Report.State.RETURNED: ["submit", "return"],
    Report.State.APPROVED: ["submit", "approve"],
}


def move(report: Report, *actions: str) -> Report:
    for action in actions:
        report = report_transition(
            report=report, action=action, user=admin_user(), comment=f"test {action}"
        )
    return report


def report_with(
    cluster: Cluster, period: Period, values: dict | None = None, *, state: str = "approved"
) -> Report:
    """The cluster's report for the period with these values (the rest filled), in `state`."""
    report = report_open(cluster=cluster, period=period)
    if report.state == Report.State.APPROVED:
        report = move(report, "reopen")
    if report.state == Report.State.SUBMITTED:
        report = move(report, "return")
    record(report, values or {}, fill=True)
    return move(report, *STEPS[state])


def periods(year: int = 2025) -> dict[str, Period]:
    """{"q1".."q4", "year"} of a year (the periods must exist)."""
    found = {f"q{p.quarter}": p for p in Period.objects.quarters().filter(year=year)}
    return {**found, "year": Period.objects.years().get(year=year)}


def enrol(cluster: Cluster, program, start=datetime.date(2020, 1, 1), until=None) -> Enrolment:
    return Enrolment.objects.create(
        program=program, cluster=cluster, enrolled_from=start, enrolled_until=until
    )


# --- Reading rollups -------------------------------------------------------------------------


def rollup(kpi: KPI, period: Period, level: str, unit_id: int) -> Rollup:
    found = rollup_or_none(kpi, period, level, unit_id)
    if found is None:
        raise Rollup.DoesNotExist(f"no rollup {kpi.code} {period} {level} {unit_id}")
    return found


def rollup_or_none(kpi: KPI, period: Period, level: str, unit_id: int) -> Rollup | None:
    """The row as readers get it: stored, or computed on read at cluster level."""
    return rollup_at(kpi_id=kpi.pk, period_id=period.pk, level=level, unit_id=unit_id)


FIELDS = [
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

Key = tuple[int, int, str, int]  # kpi, period, level, unit


def stored_rows(kpi_ids=None) -> dict[Key, dict]:
    """Every rollup row (of these KPIs) as readers get them, keyed and without timestamp: the
    stored totals, and the cluster rows the engine computes on read."""
    rows = Rollup.objects.all() if kpi_ids is None else Rollup.objects.filter(kpi_id__in=kpi_ids)
    found = {
        (r["kpi_id"], r["period_id"], r["level"], r["unit_id"]): {f: r[f] for f in FIELDS}
        for r in rows.values("kpi_id", "period_id", "level", "unit_id", *FIELDS)
    }
    for r in cluster_rows(
        period_ids=Period.objects.values_list("pk", flat=True),
        cluster_ids=Cluster.objects.values_list("pk", flat=True),
        kpi_ids=kpi_ids,
    ):
        found[(r.kpi_id, r.period_id, r.level, r.unit_id)] = {f: getattr(r, f) for f in FIELDS}
    return found


def differences(actual: dict[Key, dict], expected: dict[Key, dict], *, places=4) -> list[str]:
    """Rows that differ, numbers compared to `places` decimals give or take one unit: stored
    values are rounded to 4 places (by the database, or on SQLite from a float sum), while the
    reference computes exactly."""
    tolerance = Decimal(1).scaleb(-places)
    found = []
    for key in sorted(actual.keys() | expected.keys(), key=str):
        mine, theirs = actual.get(key), expected.get(key)
        if mine is None or theirs is None:
            found.append(f"{key}: stored {mine} != expected {theirs}")
            continue
        for field in FIELDS:
            a, b = mine[field], theirs[field]
            if isinstance(a, Decimal) and isinstance(b, Decimal):
                same = abs(a - b) <= tolerance
            else:
                same = a == b
            if not same:
                found.append(f"{key} {field}: stored {a} != expected {b}")
    return found


# --- The reference: DESIGN.md's rules in plain Python ----------------------------------------


@dataclass
class ClusterValue:
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    women: Decimal | None
    men: Decimal | None
    complete: bool = True
    parts: dict = None  # (dimension, category) -> the part given


def _dec(v) -> Decimal | None:
    return None if v is None else Decimal(v)


def _sum(values) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _mean(values) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) / len(present) if present else None


def _over_time(how: str, quarters: list[ClusterValue]) -> ClusterValue:
    """A cluster's year from its own approved quarters (in quarter order)."""
    complete = len(quarters) == 4
    if how == KPI.TimeAggregation.LAST:
        last = quarters[-1]
        return ClusterValue(
            last.value, last.numerator, last.denominator, last.women, last.men, complete, last.parts
        )
    combine = _sum if how == KPI.TimeAggregation.SUM else _mean
    keys = {key for q in quarters for key in q.parts or {}}
    return ClusterValue(
        combine(q.value for q in quarters),
        combine(q.numerator for q in quarters),
        combine(q.denominator for q in quarters),
        combine(q.women for q in quarters),
        combine(q.men for q in quarters),
        complete,
        {key: combine((q.parts or {}).get(key) for q in quarters) for key in keys},
    )


def _across_clusters(kpi: KPI, values: list[ClusterValue]) -> Decimal | None:
    if not values:
        return None
    plain = [v.value for v in values]
    match kpi.aggregation:
        case KPI.Aggregation.SUM:
            return _sum(plain)
        case KPI.Aggregation.MEAN:
            return _mean(plain)
        case KPI.Aggregation.MIN:
            return min(plain)
        case KPI.Aggregation.MAX:
            return max(plain)
        case KPI.Aggregation.SHARE_YES:
            return Decimal(sum(1 for v in plain if v == 1)) / len(plain)
        case KPI.Aggregation.RATIO:
            numerator = _sum(v.numerator for v in values)
            denominator = _sum(v.denominator for v in values)
            return numerator * kpi.scale / denominator if denominator else None
    raise AssertionError(kpi.aggregation)


def _approved_values(kpi: KPI) -> dict[tuple[int, int], ClusterValue]:
    """(cluster, period) -> the approved value entered for the KPI (rule 1)."""
    found = {}
    rows = Measurement.objects.filter(kpi=kpi, report__state=Report.State.APPROVED).values(
        "id",
        "report__cluster_id",
        "report__period_id",
        "value",
        "numerator",
        "denominator",
        "value_women",
        "value_men",
    )
    dimensions = kpi.split_dimensions
    parts = defaultdict(dict)
    for s in MeasurementSplit.objects.filter(
        measurement__kpi=kpi, measurement__report__state=Report.State.APPROVED
    ).values("measurement_id", "dimension", "category", "value"):
        if s["dimension"] in dimensions:
            parts[s["measurement_id"]][(s["dimension"], s["category"])] = Decimal(s["value"])
    for m in rows:
        entered = m["value"] is not None or (
            m["numerator"] is not None and m["denominator"] is not None
        )
        if entered:
            given = dict(parts[m["id"]])
            if kpi.by_sex:
                for category in ("women", "men"):
                    if m[f"value_{category}"] is not None:
                        given[("sex", category)] = Decimal(m[f"value_{category}"])
            found[(m["report__cluster_id"], m["report__period_id"])] = ClusterValue(
                _dec(m["value"]),
                _dec(m["numerator"]),
                _dec(m["denominator"]),
                _dec(m["value_women"]),
                _dec(m["value_men"]),
                parts=given,
            )
    return found


def _templates_of(kpi: KPI) -> set[int]:
    return set(
        TemplateKPI.objects.filter(kpi=kpi).values_list("csf__perspective__template_id", flat=True)
    )


def _scorecard_template(cluster_id: int, on: datetime.date, scorecards) -> int | None:
    for s in scorecards.get(cluster_id, []):
        if s.adopted_on <= on and (s.until is None or s.until >= on):
            return s.template_id
    return None


SplitKey = tuple[int, int, str, int, str, str]  # kpi, period, level, unit, dimension, category
SPLIT_FIELDS = ["value", "clusters", "clusters_split"]


def stored_split_rows(kpi_ids=None) -> dict[SplitKey, dict]:
    """Every split row (of these KPIs) as readers get them: stored totals and cluster rows."""
    rows = RollupSplit.objects.all()
    if kpi_ids is not None:
        rows = rows.filter(kpi_id__in=kpi_ids)
    keys = ["kpi_id", "period_id", "level", "unit_id", "dimension", "category"]
    found = {
        tuple(r[k] for k in keys): {f: r[f] for f in SPLIT_FIELDS}
        for r in rows.values(*keys, *SPLIT_FIELDS)
    }
    for r in cluster_split_rows(
        period_ids=Period.objects.values_list("pk", flat=True), kpi_ids=kpi_ids
    ):
        found[tuple(getattr(r, k) for k in keys)] = {f: getattr(r, f) for f in SPLIT_FIELDS}
    return found


def split_differences(actual: dict, expected: dict) -> list[str]:
    """Split rows that differ (values to 4 places, give or take one unit)."""
    found = []
    for key in sorted(actual.keys() | expected.keys(), key=str):
        mine, theirs = actual.get(key), expected.get(key)
        if mine is None or theirs is None:
            found.append(f"{key}: stored {mine} != expected {theirs}")
            continue
        if abs(Decimal(mine["value"]) - theirs["value"]) > Decimal("0.0001"):
            found.append(f"{key} value: stored {mine['value']} != expected {theirs['value']}")
        for field in ("clusters", "clusters_split"):
            if mine[field] != theirs[field]:
                found.append(f"{key} {field}: stored {mine[field]} != expected {theirs[field]}")
    return found


def reference_split_rows(kpi_ids=None) -> dict[SplitKey, dict]:
    """What the split rows must be for these core KPIs (all when None), cluster rows included."""
    splits: dict[SplitKey, dict] = {}
    reference_rows(kpi_ids, splits=splits)
    return splits


def _split_rows(kpi, period, level, unit, reported: list[ClusterValue]) -> dict:
    """The unit's split rows from its reporting clusters' parts."""
    rows = {}
    keys = sorted({key for v in reported for key in v.parts or {}})
    for dimension, category in keys:
        given = [
            v.parts[(dimension, category)] for v in reported if (dimension, category) in v.parts
        ]
        given = [g for g in given if g is not None]
        if not given:
            continue
        split = sum(
            1
            for v in reported
            if any(d == dimension and p is not None for (d, _c), p in (v.parts or {}).items())
        )
        rows[(kpi.pk, period.pk, level, unit, dimension, category)] = {
            "value": sum(given, Decimal(0)),
            "clusters": len(given),
            "clusters_split": split,
        }
    return rows


def reference_rows(kpi_ids=None, *, splits: dict | None = None) -> dict[Key, dict]:
    """What the rollup table must hold for these core KPIs (all when None); the split rows go
    into `splits` when given."""
    kpis = KPI.objects.filter(cluster__isnull=True)
    if kpi_ids is not None:
        kpis = kpis.filter(pk__in=kpi_ids)
    clusters = {c.pk: c for c in Cluster.objects.all()}
    regions_of_country = defaultdict(set)
    for cluster in clusters.values():
        for region_id in cluster.country.regions.values_list("pk", flat=True):
            regions_of_country[cluster.country_id].add(region_id)
    enrolments = list(Enrolment.objects.all())
    scorecards = defaultdict(list)
    for s in ClusterScorecard.objects.all():
        scorecards[s.cluster_id].append(s)
    all_periods = list(Period.objects.all())
    rows: dict[Key, dict] = {}
    for kpi in kpis:
        rows |= _reference_kpi(
            kpi, all_periods, clusters, regions_of_country, enrolments, scorecards, splits
        )
    return rows


def _reference_kpi(
    kpi, all_periods, clusters, regions_of_country, enrolments, scorecards, splits=None
):
    quarterly = kpi.frequency == KPI.Frequency.QUARTERLY
    approved = _approved_values(kpi)
    templates = _templates_of(kpi)
    targets = {
        (t.period_id, t.level, t.cluster_id or t.country_id or t.region_id or t.program_id or 0): (
            t.value
        )
        for t in Target.objects.filter(kpi=kpi)
    }
    baselines = {}
    for b in Baseline.objects.filter(kpi=kpi):
        if kpi.is_ratio:
            baselines[b.cluster_id] = (
                b.numerator * kpi.scale / b.denominator
                if b.numerator is not None and b.denominator and b.denominator > 0
                else None
            )
        else:
            baselines[b.cluster_id] = b.value
    rows = {}
    for period in all_periods:
        if period.is_quarter and not quarterly:
            continue  # annual KPIs are reported for years only
        # each cluster's value for the period: time first
        values: dict[int, ClusterValue] = {}
        if period.is_quarter or not quarterly:
            for (cluster_id, period_id), v in approved.items():
                if period_id == period.pk:
                    values[cluster_id] = v
        else:
            quarters = sorted(
                (p for p in all_periods if p.is_quarter and p.year == period.year),
                key=lambda p: p.quarter,
            )
            for cluster_id in clusters:
                mine = [
                    approved[(cluster_id, q.pk)] for q in quarters if (cluster_id, q.pk) in approved
                ]
                if mine:
                    values[cluster_id] = _over_time(kpi.time_aggregation, mine)
        expected = {
            c.pk
            for c in clusters.values()
            if c.status == Cluster.Status.ACTIVE
            and _scorecard_template(c.pk, period.ends_on, scorecards) in templates
        }
        members: dict[tuple[str, int], set[int]] = defaultdict(set)
        for cluster_id in expected | set(values):
            cluster = clusters[cluster_id]
            members[("cluster", cluster_id)].add(cluster_id)
            members[("country", cluster.country_id)].add(cluster_id)
            for region_id in regions_of_country[cluster.country_id]:
                members[("region", region_id)].add(cluster_id)
            for e in enrolments:
                if (
                    e.cluster_id == cluster_id
                    and e.enrolled_from <= period.ends_on
                    and (e.enrolled_until is None or e.enrolled_until >= period.starts_on)
                ):
                    members[("program", e.program_id)].add(cluster_id)
            members[("global", 0)].add(cluster_id)
        for (level, unit), cluster_ids in members.items():
            reported = [values[c] for c in sorted(cluster_ids) if c in values]
            target = targets.get((period.pk, level, unit))
            derived = False
            if target is None and level != "cluster" and kpi.aggregation == KPI.Aggregation.SUM:
                below = [
                    targets[(period.pk, "cluster", c)]
                    for c in cluster_ids
                    if (period.pk, "cluster", c) in targets
                ]
                if below:
                    target, derived = sum(below, Decimal(0)), True
            if splits is not None:
                splits |= _split_rows(kpi, period, level, unit, reported)
            year_from_quarters = quarterly and not period.is_quarter
            rows[(kpi.pk, period.pk, level, unit)] = {
                "value": _across_clusters(kpi, reported),
                "numerator": _sum(v.numerator for v in reported),
                "denominator": _sum(v.denominator for v in reported),
                "value_women": _sum(v.women for v in reported),
                "value_men": _sum(v.men for v in reported),
                "target": target,
                "target_derived": derived,
                "baseline": baselines.get(unit) if level == "cluster" else None,
                "clusters_reporting": len(reported),
                "clusters_complete": (
                    sum(1 for v in reported if v.complete) if year_from_quarters else None
                ),
                "clusters_expected": len(cluster_ids),
            }
    return rows
