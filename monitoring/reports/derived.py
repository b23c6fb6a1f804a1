"""KPI values derived from the activity log: the one rule, and the report page's pre-fill.

A KPI whose `log_source` is set (scorecards.KPI.LogSource) can take its value for a period from
the cluster's activities dated inside the period:

- people trained: women and men taking part in training activities (`TRAINING_TYPES`), their
  total, or one sex;
- joint actions: the number of activities of any joint-action kind (`JOINT_ACTION_TYPES`);
- the firms' share of the cost: numerator the firms' own contribution, denominator the total
  cost (program fund + firms + other public funds + credit), for a ratio KPI; a percent KPI
  gets the percentage.

Everything is summed by the database over the Activity table alone (no join), so every
activity counts once, whatever it is linked to. Costs are never added across currencies: when
the period's activities are in more than one currency, the cost share is not derived.
Nothing is derived for a period in which the cluster logged no activity at all: an empty log
more likely means "not logged" than "nothing happened".

Two sources read the cluster's collaboration network over the period's dates
(monitoring.networks): the share of member firms with at least one tie (a percent KPI gets the
percentage, a ratio KPI the firms with a tie over the member firms), and the network's density
(a percent KPI). Nothing is derived for a period in which the cluster had no member firm.

A KPI with the survey source takes its value from its `survey_question`, answered by the
cluster in the latest round of that questionnaire version that ended inside the period
(surveys.selectors.question_figure): a yes/no question gives the share answering yes (a percent
KPI the percentage, a ratio KPI yes over answered), a rating or number question the mean
answer (a number KPI). Blanks are not in the denominator, and nothing is derived when fewer
than 3 of the cluster's respondents answered. Its values carry `source`, "derived from survey
X, round Y", which the report page shows beside them.

Derived values are suggestions: the report page pre-fills empty inputs with them, marked as
derived, and the user saves (or corrects) them through the ordinary report_record_values.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    Q,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from clusters.models import Cluster
from monitoring.models.activities import COST_FIELDS, JOINT_ACTION_TYPES, TRAINING_TYPES, Activity
from monitoring.networks.figures import Figures
from monitoring.networks.selectors import Span, cluster_networks
from monitoring.reports.forms import ReportEntry, plain
from monitoring.values import FOUR_PLACES
from scorecards.models import KPI, Period
from surveys.models import Question
from surveys.selectors import question_figure

Source = KPI.LogSource
ZERO = Decimal("0")
NETWORK_SOURCES = frozenset({Source.NETWORK_FIRMS_TIED, Source.NETWORK_DENSITY})
# Sources read elsewhere than the activity log.
NOT_THE_LOG = NETWORK_SOURCES | {Source.SURVEY}


def log_totals(*, cluster: Cluster, period: Period) -> dict:
    """The period's totals from the cluster's activity log, in one grouped query (by currency,
    so that costs stay apart; the counts are summed across the groups)."""
    training = Q(type__in=TRAINING_TYPES)

    def int_sum(name, condition=None):
        return Coalesce(Sum(name, filter=condition), Value(0), output_field=IntegerField())

    def money_sum(name):
        return Coalesce(Sum(name), Value(ZERO), output_field=DecimalField())

    rows = (
        Activity.objects.filter(
            cluster=cluster, date__gte=period.starts_on, date__lte=period.ends_on
        )
        .values("currency")
        .annotate(
            activities=Count("pk"),
            joint_actions=Count("pk", filter=Q(type__in=JOINT_ACTION_TYPES)),
            training_women=int_sum("women", training),
            training_men=int_sum("men", training),
            **{name: money_sum(name) for name in COST_FIELDS},
        )
        .order_by("currency")
    )
    totals = {"activities": 0, "joint_actions": 0, "training_women": 0, "training_men": 0}
    costs = {}
    for row in rows:
        for key in totals:
            totals[key] += row[key]
        costs[row["currency"]] = {name: row[name] for name in COST_FIELDS}
    totals["costs"] = costs
    return totals


def _count_values(kpi: KPI, number: int, women: int | None = None, men: int | None = None):
    if kpi.is_ratio or kpi.unit not in (KPI.Unit.COUNT, KPI.Unit.NUMBER):
        return None
    if kpi.by_sex and women is not None:
        return {"value_women": Decimal(women), "value_men": Decimal(men), "value": Decimal(number)}
    return {"value": Decimal(number)}


def _cost_share_values(kpi: KPI, costs: dict) -> dict | None:
    if len(costs) != 1:
        return None  # no activity, or amounts in several currencies: not comparable
    (amounts,) = costs.values()
    total = sum(amounts.values(), start=ZERO)
    if total <= 0:
        return None
    firms = amounts["cost_firms"]
    if kpi.is_ratio:
        return {"numerator": firms, "denominator": total}
    if kpi.unit == KPI.Unit.PERCENT:
        return {"value": (firms * 100 / total).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)}
    return None


def _values_for(kpi: KPI, totals: dict) -> dict | None:
    women, men = totals["training_women"], totals["training_men"]
    if kpi.log_source == Source.TRAINING_PARTICIPANTS:
        return _count_values(kpi, women + men, women, men)
    if kpi.log_source == Source.TRAINING_WOMEN:
        return _count_values(kpi, women)
    if kpi.log_source == Source.TRAINING_MEN:
        return _count_values(kpi, men)
    if kpi.log_source == Source.JOINT_ACTIONS:
        return _count_values(kpi, totals["joint_actions"])
    if kpi.log_source == Source.FIRMS_COST_SHARE:
        return _cost_share_values(kpi, totals["costs"])
    return None


def _network_values(kpi: KPI, figures: Figures) -> dict | None:
    if not figures.member_firms:
        return None
    if kpi.log_source == Source.NETWORK_FIRMS_TIED:
        if kpi.is_ratio:
            return {
                "numerator": Decimal(figures.firms_with_tie),
                "denominator": Decimal(figures.member_firms),
            }
        share = figures.share_with_tie
    else:
        share = figures.density
    if kpi.is_ratio or kpi.unit != KPI.Unit.PERCENT or share is None:
        return None
    return {"value": (share * 100).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)}


def _network_figures(cluster: Cluster, period: Period) -> Figures:
    span = Span(str(period), str(period), period.starts_on, period.ends_on)
    (row,) = cluster_networks(cluster, [span])
    return row.figures


def _survey_values(kpi: KPI, cluster: Cluster, period: Period) -> dict | None:
    question = kpi.survey_question
    if question is None:
        return None
    found = question_figure(
        question, cluster_id=cluster.pk, starts_on=period.starts_on, ends_on=period.ends_on
    )
    if found is None:
        return None
    round_, summary = found
    values = None
    if question.kind == Question.Kind.YES_NO:
        if kpi.is_ratio:
            values = {"numerator": Decimal(summary.yes), "denominator": Decimal(summary.answered)}
        elif kpi.unit == KPI.Unit.PERCENT:
            share = Decimal(summary.yes) * 100 / Decimal(summary.answered)
            values = {"value": share.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)}
    elif summary.mean is not None and not kpi.is_ratio and kpi.unit == KPI.Unit.NUMBER:
        values = {"value": summary.mean}
    if values is None:
        return None
    source = _("derived from survey %(survey)s, round %(round)s") % {
        "survey": round_.version.survey.title,
        "round": round_.title,
    }
    return {**values, "source": source}


def derived_values(
    cluster: Cluster, period: Period, *, kpis: list[KPI] | None = None
) -> dict[int, dict[str, Decimal]]:
    """KPI id -> the value fields derived from the activity log for the cluster and period.

    `kpis` are the KPIs to derive (default: the core KPIs and the cluster's own with a
    `log_source`); a KPI whose unit does not fit its source (a currency KPI fed by a count...)
    gets nothing."""
    if kpis is None:
        kpis = list(
            KPI.objects.select_related("survey_question")
            .exclude(log_source="")
            .filter(Q(cluster__isnull=True) | Q(cluster=cluster))
        )
    derived = {}
    network = [kpi for kpi in kpis if kpi.log_source in NETWORK_SOURCES]
    if network:
        figures = _network_figures(cluster, period)
        for kpi in network:
            if values := _network_values(kpi, figures):
                derived[kpi.pk] = values
    from_surveys = [kpi for kpi in kpis if kpi.log_source == Source.SURVEY]
    prefetch_related_objects(from_surveys, "survey_question")  # one query, not one per KPI
    for kpi in from_surveys:
        if values := _survey_values(kpi, cluster, period):
            derived[kpi.pk] = values
    log = [kpi for kpi in kpis if kpi.log_source and kpi.log_source not in NOT_THE_LOG]
    if not log:
        return derived
    totals = log_totals(cluster=cluster, period=period)
    if not totals["activities"]:
        return derived
    for kpi in log:
        if values := _values_for(kpi, totals):
            derived[kpi.pk] = values
    return derived


def prefill_report_entry(entry: ReportEntry) -> None:
    """Put derived values into the empty inputs of a report page (marking their rows), so the
    user reviews them and saves them like any typed value. Rows with a stored value keep it."""
    rows = [row for row in entry.rows if row.measurement is not None and row.kpi.log_source]
    for row in rows:
        row.derived = False
    if not rows:
        return
    report = entry.report
    derived = derived_values(report.cluster, report.period, kpis=[row.kpi for row in rows])
    for row in rows:
        values = derived.get(row.kpi.pk)
        if not values or any(getattr(row.measurement, f.name) is not None for f in row.fields):
            continue
        for field in row.fields:
            if field.name in values:
                field.value = plain(values[field.name])
        row.derived = True
        row.derived_label = values.get("source") or (
            _("derived from the collaboration network")
            if row.kpi.log_source in NETWORK_SOURCES
            else _("derived from the activity log")
        )
