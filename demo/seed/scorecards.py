"""Demo scorecards: periods, adopted templates, own KPIs, baselines, targets and reports.

Values are generated, not tabled: each cluster and KPI gets a deterministic level and trend
(seeded by their codes), so every run produces the same numbers. Reports are created only
where none exists, through the same services the pages use, so a second run changes
nothing and what users entered in between is left alone.
"""

import datetime
import random
from decimal import Decimal

from accounts.models import Role, User
from bsos.models import ClusterSupport
from clusters.models import Cluster, Country
from demo import data
from monitoring.models import Report
from monitoring.reports.services import report_open, report_record_values, report_transition
from notifications.services import notifications_quiet
from programs.models import Enrolment
from scorecards.models import CSF, KPI, Baseline, Level, OwnKPI, Period, Target, Template
from scorecards.services import periods_generate, scorecard_adopt

QUARTERS_OF_HISTORY = 6
YEARS_OF_HISTORY = 2
# Every cluster of a country adopts the same scorecard, so that the national dashboard (which
# adds up the template's core KPIs) counts all of them. The Thai food cluster scorecard, whose
# 26 KPIs roll up, is adopted everywhere but in these countries, whose clusters take the
# Scottish Enterprise one: perspectives and CSFs only, each cluster choosing its own KPIs
# (which stay on its scorecard and never roll up).
SCOTTISH_COUNTRIES = {"CR", "TT"}
# The cluster (in the demo BSO's scope and the demo officer's programs) that proposed its own
# KPIs although it uses the Thai scorecard: one proposal waits for the officer to accept.
OWN_KPI_CLUSTER = "cordoba-software"

# (code suffix, CSF of the Scottish Enterprise template, CSF of the Thai food template, name en,
#  name es, unit, aggregation, time aggregation, accepted?)
OWN_KPIS = [
    (
        "member-firms",
        "Employment levels / number of companies",
        "Supply chain integration",
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
        "Communication and knowledge sharing",
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
        "Increased innovation levels in businesses",
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
        "Detailed market knowledge",
        "Member firms at international trade fairs",
        "Empresas miembro en ferias internacionales",
        "count",
        "sum",
        "sum",
        False,
    ),
]
# Their Portuguese names, by suffix.
OWN_KPI_NAMES_PT = {
    "member-firms": "Empresas membros da iniciativa",
    "joint-projects": "Projetos conjuntos entre empresas membros",
    "new-product-share": "Porcentagem de empresas membros que lançaram um produto novo",
    "export-fairs": "Empresas membros em feiras internacionais",
}


def seed_scorecards(report, *, today: datetime.date) -> None:
    """Give every active cluster a scorecard, targets and a history of reports."""
    periods_generate(first_year=today.year - YEARS_OF_HISTORY, last_year=today.year + 1)
    thai = Template.objects.get(code="thai-food", version=1)
    scottish = Template.objects.get(code="scottish-enterprise", version=1)
    years = list(
        Period.objects.years().filter(ends_on__lt=today).order_by("-year")[:YEARS_OF_HISTORY]
    )
    quarters = _quarters(today, latest_year=years[0].year if years else today.year)
    first_day = min(p.starts_on for p in [*quarters, *years])
    authors = _Authors()
    for cluster in Cluster.objects.active().select_related("country"):
        template = scottish if cluster.country.code in SCOTTISH_COUNTRIES else thai
        scorecard = scorecard_adopt(cluster=cluster, template=template, on=first_day)
        if template == scottish or cluster.code == OWN_KPI_CLUSTER:
            _own_kpis(report, scorecard)
        kpis = list(KPI.objects.filter(placements__csf__perspective__template=template)) + [
            o.kpi for o in scorecard.own_kpis.select_related("kpi") if o.kpi.status == "accepted"
        ]
        _plan(report, cluster, kpis, [*quarters, *years])
        for index, period in enumerate([*quarters, *years]):
            _report(report, cluster, period, authors, latest=index == len(quarters) - 1)
    _national_targets(report, years, quarters)


def _quarters(today: datetime.date, *, latest_year: int) -> list[Period]:
    """The quarters over before today, oldest first: QUARTERS_OF_HISTORY of them, and at least
    every quarter of the latest year that is over, so that the year the dashboards open on (the
    latest complete one) has its four quarters and reads as complete, not as a partial sum."""
    over = Period.objects.quarters().filter(ends_on__lt=today).order_by("-ends_on")
    since_latest_year = over.filter(year__gte=latest_year).count()
    return list(over[: max(QUARTERS_OF_HISTORY, since_latest_year)])[::-1]


class _Authors:
    """Who writes and who reviews each cluster's seeded reports, as the roles would: the demo
    BSO in its scope and otherwise staff of the cluster's lead BSO; the demo officer for its
    programs' clusters, another program's officer for that program's, and the administrator
    for clusters in no program (no other role may review them)."""

    def __init__(self) -> None:
        demo = {row.role: row.username for row in data.DEMO_USERS}
        self.users = {u.username: u for u in User.objects.filter(role__in=Role.values)}
        self.demo_bso = self.users[demo[Role.BSO_STAFF]]
        self.demo_officer = self.users[demo[Role.PROGRAM_OFFICER]]
        self.admin = self.users[demo[Role.ADMIN]]
        self.leads = {
            s.cluster_id: s.bso.code
            for s in ClusterSupport.objects.current()
            .filter(role=ClusterSupport.Role.LEAD)
            .select_related("bso")
        }
        self.demo_bso_clusters = set(
            self.demo_bso.bso.supports.current().values_list("cluster_id", flat=True)
        )
        # The first officer listed whose programs enrolled the cluster reviews it.
        self.reviewers: dict[int, User] = {}
        for officer in [
            self.demo_officer,
            *(self.users[username] for username, *_rest in data.OTHER_OFFICERS),
        ]:
            enrolled = Enrolment.objects.filter(program__in=officer.programs.all())
            for cluster_id in enrolled.values_list("cluster_id", flat=True):
                self.reviewers.setdefault(cluster_id, officer)

    def in_demo_bso_scope(self, cluster: Cluster) -> bool:
        return cluster.pk in self.demo_bso_clusters

    def writer(self, cluster: Cluster) -> User:
        if self.in_demo_bso_scope(cluster):
            return self.demo_bso
        return self.users[data.staff_username(self.leads[cluster.pk])]

    def reviewer(self, cluster: Cluster) -> User:
        return self.reviewers.get(cluster.pk, self.admin)


def _own_kpis(report, scorecard) -> None:
    csfs = {c.name_en: c for c in CSF.objects.filter(perspective__template=scorecard.template)}
    cluster = scorecard.cluster
    scottish = scorecard.template.code == "scottish-enterprise"
    for suffix, scottish_csf, thai_csf, en, es, unit, aggregation, over_time, accepted in OWN_KPIS:
        if not accepted and cluster.code != OWN_KPI_CLUSTER:
            continue  # one proposal waiting for the demo officer, in the demo BSO's scope
        code = f"{cluster.code}-{suffix}"
        kpi = KPI.objects.filter(code=code).first()
        report.count(KPI, "unchanged" if kpi else "created")
        if kpi is None:
            kpi = KPI(
                code=code,
                name=en,
                name_en=en,
                name_es=es,
                name_pt=OWN_KPI_NAMES_PT[suffix],
                unit=unit,
                aggregation=aggregation,
                time_aggregation=over_time,
                cluster=cluster,
                status=KPI.Status.ACCEPTED if accepted else KPI.Status.PROPOSED,
            )
            kpi.full_clean()
            kpi.save()
            csf = csfs[scottish_csf if scottish else thai_csf]
            OwnKPI.objects.create(scorecard=scorecard, csf=csf, kpi=kpi)


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


def _plan(report, cluster: Cluster, kpis: list[KPI], periods: list[Period]) -> None:
    """A baseline from the year before, and cluster targets that are ambitious but reachable,
    for each KPI of the cluster: what is missing is written in one insert per table, what
    exists is kept."""
    has_baseline = set(Baseline.objects.filter(cluster=cluster).values_list("kpi_id", flat=True))
    has_target = set(
        Target.objects.filter(level=Level.CLUSTER, cluster=cluster).values_list(
            "kpi_id", "period_id"
        )
    )
    baselines, targets = [], []
    for kpi in kpis:
        if kpi.unit == KPI.Unit.YES_NO:
            values = {p: Decimal(1) for p in periods}
        else:
            values = _targets(cluster, kpi, periods)
            if kpi.pk in has_baseline:
                report.count(Baseline, "unchanged")
            else:
                baselines.append(_baseline(cluster, kpi, year=periods[0].year - 1))
                report.count(Baseline, "created")
        for period, value in values.items():
            if (kpi.frequency == KPI.Frequency.QUARTERLY) != period.is_quarter:
                continue
            if (kpi.pk, period.pk) in has_target:
                report.count(Target, "unchanged")
                continue
            targets.append(
                Target(kpi=kpi, period=period, level=Level.CLUSTER, cluster=cluster, value=value)
            )
            report.count(Target, "created")
    Baseline.objects.bulk_create(baselines)
    Target.objects.bulk_create(targets)


def _targets(cluster: Cluster, kpi: KPI, periods: list[Period]) -> dict[Period, Decimal]:
    _rng, start, trend = _level(cluster, kpi)
    uplift = Decimal("0.9") if kpi.direction == KPI.Direction.LOWER else Decimal("1.15")
    return {
        p: (start * (1 + abs(trend) * i) * uplift).quantize(Decimal(1))
        for i, p in enumerate(periods)
    }


def _baseline(cluster: Cluster, kpi: KPI, *, year: int) -> Baseline:
    """The value four quarters before the first period's, as the cluster's baseline."""
    baseline = _value_at(cluster, kpi, -4)
    values = {
        k: Decimal(v) for k, v in baseline.items() if k in ("value", "numerator", "denominator")
    }
    if kpi.by_sex:
        values = {"value": Decimal(baseline["value_women"]) + Decimal(baseline["value_men"])}
    return Baseline(cluster=cluster, kpi=kpi, year=year, **values)


def _report(report, cluster: Cluster, period: Period, authors: _Authors, *, latest: bool):
    """(See _report_moved.) The notifications of its moves reach the inboxes, unread for the
    latest quarter, and nobody is e-mailed."""
    with notifications_quiet(read=not latest):
        _report_moved(report, cluster, period, authors, latest=latest)


def _report_moved(
    report, cluster: Cluster, period: Period, authors: _Authors, *, latest: bool
) -> None:
    """Open, fill and move a report to a believable state, unless it already exists. In the
    latest quarter the demo BSO's clusters have work left (a half-filled draft, one report
    not started) and the demo officer's other clusters wait in its review queue."""
    if Report.objects.filter(cluster=cluster, period=period).exists():
        report.count(Report, "unchanged")
        return
    in_bso_scope = authors.in_demo_bso_scope(cluster)
    if latest and cluster.code == OWN_KPI_CLUSTER:
        return  # not started: shows as missing in coverage and in the BSO's reminders
    opened = report_open(cluster=cluster, period=period)
    writer, reviewer = authors.writer(cluster), authors.reviewer(cluster)
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
    if latest and reviewer == authors.demo_officer:
        return  # waiting in the demo officer's review queue
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
