"""Demo scorecards: periods, adopted templates, own KPIs, baselines, targets and reports.

Values are generated, not tabled: each cluster and KPI gets a deterministic level and trend
(seeded by their codes), so every run produces the same numbers. Reports are created only
where none exists, through the same services the pages use, so a second run changes
nothing and what users entered in between is left alone.
"""

import datetime
import random
from decimal import Decimal

from accounts.models import User
from clusters.models import Cluster, Country, SectorFamily
from monitoring.models import Report
from monitoring.reports.services import report_open, report_record_values, report_transition
from scorecards.models import CSF, KPI, Baseline, Level, OwnKPI, Period, Target, Template
from scorecards.services import periods_generate, scorecard_adopt

QUARTERS_OF_HISTORY = 6
YEARS_OF_HISTORY = 2
THAI_FAMILIES = {SectorFamily.NATURAL_RESOURCE, SectorFamily.TRADITIONAL}

# (code suffix, CSF of the Scottish Enterprise template, name en, name es, unit, aggregation,
#  time aggregation, accepted?)
OWN_KPIS = [
    (
        "member-firms",
        "Employment levels / number of companies",
        "Member firms of the cluster initiative",
        "Empresas miembro de la iniciativa",
        "count",
        "sum",
        "last",
        True,
    ),
    (
        "joint-projects",
        "Local connections and networks",
        "Joint projects among member firms",
        "Proyectos conjuntos entre empresas miembro",
        "count",
        "sum",
        "sum",
        True,
    ),
    (
        "new-product-share",
        "R&D and innovation",
        "Share of member firms that launched a new product",
        "Porcentaje de empresas miembro que lanzaron un producto nuevo",
        "percent",
        "ratio",
        "last",
        True,
    ),
    (
        "export-fairs",
        "International connectivity",
        "Member firms at international trade fairs",
        "Empresas miembro en ferias internacionales",
        "count",
        "sum",
        "sum",
        False,
    ),
]


def seed_scorecards(report, *, today: datetime.date) -> None:
    """Give every active cluster a scorecard, targets and a history of reports."""
    periods_generate(first_year=today.year - YEARS_OF_HISTORY, last_year=today.year + 1)
    thai = Template.objects.get(code="thai-food", version=1)
    scottish = Template.objects.get(code="scottish-enterprise", version=1)
    quarters = list(
        Period.objects.quarters()
        .filter(ends_on__lt=today)
        .order_by("-ends_on")[:QUARTERS_OF_HISTORY]
    )[::-1]
    years = list(
        Period.objects.years().filter(ends_on__lt=today).order_by("-year")[:YEARS_OF_HISTORY]
    )
    first_day = min(p.starts_on for p in [*quarters, *years])
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "bso", "officer"])}
    for cluster in Cluster.objects.active().select_related("country"):
        template = thai if cluster.sector_family in THAI_FAMILIES else scottish
        scorecard = scorecard_adopt(cluster=cluster, template=template, on=first_day)
        if template == scottish:
            _own_kpis(report, scorecard)
        kpis = list(KPI.objects.filter(placements__csf__perspective__template=template)) + [
            o.kpi for o in scorecard.own_kpis.select_related("kpi") if o.kpi.status == "accepted"
        ]
        for kpi in kpis:
            _plan(report, cluster, kpi, [*quarters, *years])
        for index, period in enumerate([*quarters, *years]):
            _report(report, cluster, period, users, latest=index == len(quarters) - 1)
    _national_targets(report, years, quarters)


def _own_kpis(report, scorecard) -> None:
    csfs = {c.name_en: c for c in CSF.objects.filter(perspective__template=scorecard.template)}
    cluster = scorecard.cluster
    for suffix, csf, en, es, unit, aggregation, over_time, accepted in OWN_KPIS:
        if not accepted and cluster.code != "cordoba-software":
            continue  # one proposal waiting for an officer, in the demo BSO's scope
        code = f"{cluster.code}-{suffix}"
        kpi = KPI.objects.filter(code=code).first()
        if kpi is None:
            kpi = KPI(
                code=code,
                name=en,
                name_en=en,
                name_es=es,
                unit=unit,
                aggregation=aggregation,
                time_aggregation=over_time,
                cluster=cluster,
                status=KPI.Status.ACCEPTED if accepted else KPI.Status.PROPOSED,
            )
            kpi.full_clean()
            kpi.save()
            OwnKPI.objects.create(scorecard=scorecard, csf=csfs[csf], kpi=kpi)
        report.count(KPI, "created" if kpi._state.adding else "unchanged")


def _level(cluster: Cluster, kpi: KPI) -> tuple[random.Random, Decimal, Decimal]:
    """A deterministic generator, a starting level and a quarterly trend for the pair."""
    rng = random.Random(f"{cluster.code}/{kpi.code}")
    size = max(cluster.number_of_firms, 20)
    if kpi.is_ratio:
        start = Decimal(rng.randint(8, 35))  # percent
    elif kpi.unit == KPI.Unit.NUMBER:
        start = Decimal(rng.randint(12, 36))  # months
    else:
        start = Decimal(max(1, int(size * rng.uniform(0.02, 0.15))))
    trend = Decimal(str(round(rng.uniform(-0.02, 0.08), 3)))
    if kpi.direction == KPI.Direction.LOWER:
        trend = -trend
    return rng, start, trend


def _value_at(cluster: Cluster, kpi: KPI, step: int) -> dict[str, str]:
    rng, start, trend = _level(cluster, kpi)
    level = start * (1 + trend * step)
    if kpi.unit == KPI.Unit.YES_NO:
        return {"value": "1" if rng.random() < 0.3 + 0.15 * step else "0"}
    if kpi.is_ratio:
        denominator = max(cluster.number_of_firms, 40)
        numerator = (level / 100 * denominator).quantize(Decimal(1))
        return {"numerator": str(max(numerator, 0)), "denominator": str(denominator)}
    value = max(level.quantize(Decimal(1)), Decimal(0))
    if kpi.by_sex:
        women = (value * Decimal("0.45")).quantize(Decimal(1))
        return {"value_women": str(women), "value_men": str(value - women)}
    return {"value": str(value)}


def _plan(report, cluster: Cluster, kpi: KPI, periods: list[Period]) -> None:
    """A baseline from the year before, and cluster targets that are ambitious but reachable."""
    if kpi.unit == KPI.Unit.YES_NO:
        targets = {p: Decimal(1) for p in periods}
    else:
        _rng, start, trend = _level(cluster, kpi)
        uplift = Decimal("0.9") if kpi.direction == KPI.Direction.LOWER else Decimal("1.15")
        targets = {
            p: (start * (1 + abs(trend) * i) * uplift).quantize(Decimal(1))
            for i, p in enumerate(periods)
        }
        baseline = _value_at(cluster, kpi, -4)
        if not Baseline.objects.filter(cluster=cluster, kpi=kpi).exists():
            values = {
                k: Decimal(v)
                for k, v in baseline.items()
                if k in ("value", "numerator", "denominator")
            }
            if kpi.by_sex:
                values = {
                    "value": Decimal(baseline["value_women"]) + Decimal(baseline["value_men"])
                }
            Baseline.objects.create(cluster=cluster, kpi=kpi, year=periods[0].year - 1, **values)
            report.count(Baseline, "created")
        else:
            report.count(Baseline, "unchanged")
    wanted = [
        Target(kpi=kpi, period=period, level=Level.CLUSTER, cluster=cluster, value=value)
        for period, value in targets.items()
        if (kpi.frequency == KPI.Frequency.QUARTERLY) == period.is_quarter
    ]
    existing = Target.objects.filter(kpi=kpi, level=Level.CLUSTER, cluster=cluster).count()
    Target.objects.bulk_create(wanted, ignore_conflicts=True)  # existing targets are kept
    created = (
        Target.objects.filter(kpi=kpi, level=Level.CLUSTER, cluster=cluster).count() - existing
    )
    for _ in range(created):
        report.count(Target, "created")
    for _ in range(len(wanted) - created):
        report.count(Target, "unchanged")


def _report(report, cluster: Cluster, period: Period, users: dict, *, latest: bool) -> None:
    """Open, fill and move a report to a believable state, unless it already exists."""
    if Report.objects.filter(cluster=cluster, period=period).exists():
        report.count(Report, "unchanged")
        return
    in_bso_scope = cluster.code in {"mendoza-wine", "rafaela-machinery", "cordoba-software"}
    if latest and cluster.code == "cordoba-software":
        return  # not started: shows as missing in coverage and in the BSO's reminders
    opened = report_open(cluster=cluster, period=period)
    writer = users["bso"] if in_bso_scope else users["admin"]
    step = period.year * 4 + period.quarter
    rows = {
        m.kpi_id: _value_at(cluster, m.kpi, step % 12)
        for m in opened.measurements.select_related("kpi")
    }
    if latest and in_bso_scope:
        rows = dict(list(rows.items())[: len(rows) // 2])  # half-filled draft to finish
    report_record_values(report=opened, rows=rows, user=writer)
    report.count(Report, "created")
    if latest and in_bso_scope:
        return
    report_transition(report=opened, action="submit", user=writer)
    officer_clusters = users["officer"].programs.filter(enrolments__cluster=cluster).exists()
    reviewer = users["officer"] if officer_clusters else users["admin"]
    if latest and officer_clusters:
        return  # waiting in the officer's review queue
    if latest and cluster.code == "rafaela-machinery":
        return
    if latest and cluster.code == "arequipa-alpaca":
        report_transition(
            report=opened,
            action="return",
            user=reviewer,
            comment="The staff turnover denominator looks like last year's headcount.",
        )
        return
    report_transition(report=opened, action="approve", user=reviewer)


def _national_targets(report, years: list[Period], quarters: list[Period]) -> None:
    """Argentina's ministry set national targets for two sum KPIs (others are derived)."""
    argentina = Country.objects.filter(code="AR").first()
    if argentina is None:
        return
    for code, value in [("thai-lean", 60), ("thai-skills-participants", 900)]:
        kpi = KPI.objects.get(code=code)
        for period in quarters:
            _t, created = Target.objects.get_or_create(
                kpi=kpi,
                period=period,
                level=Level.COUNTRY,
                country=argentina,
                defaults={"value": Decimal(value)},
            )
            report.count(Target, "created" if created else "unchanged")
