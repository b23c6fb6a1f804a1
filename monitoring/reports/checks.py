"""Data-quality checks of report values (DESIGN.md "Checks at entry"): the KPI's rules run on
every value a report records, and a value that breaks one is flagged, never refused.

`flags_refresh` is the one function that runs them; `report_record_values` calls it for the
values it saves, and every way of saving a value (the report page, the API, the spreadsheet
upload) goes through that service. A flag is recomputed whenever its value changes: one that
still fires keeps its explanation, one that no longer fires goes (its history stays). When a
KPI's rules change, `flags_recheck_kpi` runs them again on the KPI's values in reports still
open (a task queued by the rules' service).

The peer test compares a value with those of alike clusters: same sector family and same
life-cycle stage, same KPI, same period, in reports that were reported (submitted or approved;
drafts are still moving), and only when at least MIN_PEERS of them have a value.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.scopes import clusters_in_scope, may_write_field_data
from core.errors import PermissionDenied
from monitoring.models import MAX_EXPLANATION, Flag, Measurement, Report
from monitoring.reports.notices import flags_explained_notify
from scorecards.models import KPI, MIN_PEERS, KPIChecks
from scorecards.scoring import ratio_value

Rule = Flag.Rule
# MAD x 1.4826 estimates the standard deviation of normally distributed values.
MAD_SCALE = Decimal("1.4826")
FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Finding:
    rule: str
    numbers: dict[str, str]


def _text(number: Decimal, places: Decimal = FOUR_PLACES) -> str:
    return str(number.quantize(places))


def actual(kpi: KPI, values) -> Decimal | None:
    """The number the rules judge: the value, or numerator / denominator x scale for ratios."""
    if kpi.is_ratio:
        return ratio_value(values.numerator, values.denominator, kpi.scale)
    return values.value


def median(numbers: list[Decimal]) -> Decimal:
    ordered = sorted(numbers)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class Spread:
    median: Decimal
    mad: Decimal  # median absolute deviation
    score: Decimal | None  # robust z-score; None when the peers do not spread (MAD 0)


def robust_score(value: Decimal, peers: list[Decimal]) -> Spread:
    """|value - median| / (1.4826 x MAD) of the peers (the value itself not among them)."""
    centre = median(peers)
    mad = median([abs(p - centre) for p in peers])
    score = abs(value - centre) / (MAD_SCALE * mad) if mad else None
    return Spread(centre, mad, score)


def evaluate(
    measurement: Measurement,
    checks: KPIChecks,
    *,
    previous: Decimal | None = None,
    peers: Iterable[Decimal] = (),
) -> list[Finding]:
    """The rules of `checks` the value breaks. `previous`: the cluster's previous approved value
    of the KPI; `peers`: the values of alike clusters for the same period."""
    kpi = measurement.kpi
    now = actual(kpi, measurement)
    found: list[Finding] = []
    if now is None:
        return found  # nothing entered yet: completeness is checked on submit
    value = _text(now)
    if checks.minimum is not None and now < checks.minimum:
        found.append(Finding(Rule.MINIMUM, {"value": value, "minimum": _text(checks.minimum)}))
    if checks.maximum is not None and now > checks.maximum:
        found.append(Finding(Rule.MAXIMUM, {"value": value, "maximum": _text(checks.maximum)}))
    if checks.max_change is not None and previous is not None and kpi.unit != KPI.Unit.YES_NO:
        found.extend(_change(now, previous, checks))
    if (
        kpi.is_ratio
        and checks.numerator_within_denominator
        and measurement.numerator > measurement.denominator
    ):
        numbers = {
            "numerator": _text(measurement.numerator),
            "denominator": _text(measurement.denominator),
        }
        found.append(Finding(Rule.RATIO, numbers))
    women, men = measurement.value_women, measurement.value_men
    if (
        kpi.by_sex
        and checks.split_adds_up
        and women is not None
        and men is not None
        and women + men != now
    ):
        numbers = {
            "women": _text(women),
            "men": _text(men),
            "sum": _text(women + men),
            "value": value,
        }
        found.append(Finding(Rule.SPLIT, numbers))
    if kpi.by_sex or kpi.by_age or kpi.by_firm_size or kpi.by_ownership:
        found.extend(_parts(measurement, checks, now))
    peers = list(peers)
    if checks.peer_outliers and len(peers) >= MIN_PEERS and kpi.unit != KPI.Unit.YES_NO:
        spread = robust_score(now, peers)
        if spread.score is not None and spread.score > checks.outlier_threshold:
            numbers = {
                "value": value,
                "peers": str(len(peers)),
                "median": _text(spread.median),
                "mad": _text(spread.mad),
                "score": _text(spread.score, Decimal("0.01")),
                "threshold": _text(checks.outlier_threshold, Decimal("0.01")),
            }
            found.append(Finding(Rule.OUTLIER, numbers))
    return found


def _parts(measurement: Measurement, checks: KPIChecks, now: Decimal) -> list[Finding]:
    """The dimensions (other than sex) whose parts, as given, do not add up to the value. A
    category left empty counts as nothing: give every part, or the sum falls short."""
    if not checks.split_adds_up:
        return []
    numbers = {}
    for dimension, given in measurement.parts.items():
        if dimension in measurement.kpi.split_dimensions and given:
            total = sum(given.values(), Decimal(0))
            if total != now:
                numbers[dimension] = _text(total)
    if not numbers:
        return []
    return [Finding(Rule.PARTS, {**numbers, "value": _text(now)})]


def _change(now: Decimal, previous: Decimal, checks: KPIChecks) -> list[Finding]:
    percent = checks.max_change_kind == KPIChecks.ChangeKind.PERCENT
    if percent:
        if previous == 0:
            return []  # no percentage of nothing; bounds catch the absurd
        change = (now - previous) / abs(previous) * 100
        shown = _text(change, Decimal("0.1"))
    else:
        change = now - previous
        shown = _text(change)
    if abs(change) <= checks.max_change:
        return []
    numbers = {
        "previous": _text(previous),
        "value": _text(now),
        "change": shown,
        "limit": _text(checks.max_change),
        "kind": checks.max_change_kind,
    }
    return [Finding(Rule.CHANGE, numbers)]


# --- The values the rules compare with --------------------------------------------------------


def _previous_approved(report: Report, kpi_ids: list[int]) -> dict[int, Decimal]:
    """Per KPI, the cluster's latest approved value of a period of the same kind (quarter or
    year) that ended before this report's period. One query."""
    period = report.period
    earlier = Measurement.objects.filter(
        report__cluster_id=report.cluster_id,
        report__state=Report.State.APPROVED,
        report__period__ends_on__lt=period.ends_on,
        kpi_id__in=kpi_ids,
    ).select_related("kpi")
    earlier = (
        earlier.filter(report__period__quarter__gt=0)
        if period.is_quarter
        else earlier.filter(report__period__quarter=0)
    )
    previous: dict[int, Decimal] = {}
    for m in earlier.order_by("kpi_id", "-report__period__ends_on"):
        number = actual(m.kpi, m)
        if m.kpi_id not in previous and number is not None:
            previous[m.kpi_id] = number
    return previous


def _peer_values(report: Report, kpi_ids: list[int]) -> dict[int, list[Decimal]]:
    """Per KPI, the values of alike clusters (same sector family and life-cycle stage, not this
    cluster) for the same period, in reported (submitted or approved) reports. One query."""
    cluster = report.cluster
    peers = (
        Measurement.objects.filter(
            report__period_id=report.period_id,
            report__state__in=[Report.State.SUBMITTED, Report.State.APPROVED],
            report__cluster__sector_family=cluster.sector_family,
            report__cluster__lifecycle_stage=cluster.lifecycle_stage,
            kpi_id__in=kpi_ids,
        )
        .exclude(report__cluster_id=cluster.pk)
        .select_related("kpi")
    )
    values: dict[int, list[Decimal]] = defaultdict(list)
    for m in peers:
        number = actual(m.kpi, m)
        if number is not None:
            values[m.kpi_id].append(number)
    return values


def findings_for(report: Report, measurements: list[Measurement]) -> dict[int, list[Finding]]:
    """The rules each of the report's values breaks, keyed by measurement id; a few queries
    whatever the number of values."""
    kpi_ids = [m.kpi_id for m in measurements]
    stored = {c.kpi_id: c for c in KPIChecks.objects.filter(kpi_id__in=kpi_ids)}
    rules = {m.kpi_id: stored.get(m.kpi_id) or checks_of_default(m.kpi) for m in measurements}
    with_change = [k for k, c in rules.items() if c.max_change is not None]
    with_peers = [k for k, c in rules.items() if c.peer_outliers]
    previous = _previous_approved(report, with_change) if with_change else {}
    peers = _peer_values(report, with_peers) if with_peers else {}
    return {
        m.pk: evaluate(
            m, rules[m.kpi_id], previous=previous.get(m.kpi_id), peers=peers.get(m.kpi_id, ())
        )
        for m in measurements
    }


def checks_of_default(kpi: KPI) -> KPIChecks:
    """The defaults, for a KPI without rules of its own (no query: the row was looked up)."""
    return KPIChecks(kpi=kpi)


# --- Writes -----------------------------------------------------------------------------------


def flags_refresh(
    *, report: Report, measurements: list[Measurement], user, now: datetime.datetime
) -> None:
    """Recompute the flags of values just saved (inside the saving transaction): new ones are
    raised, those still firing keep their explanation (their numbers follow the value), those
    no longer firing are deleted."""
    if not measurements:
        return
    found = findings_for(report, measurements)
    existing: dict[tuple[int, str], Flag] = {
        (f.measurement_id, f.rule): f
        for f in Flag.objects.filter(measurement__in=[m.pk for m in measurements])
    }
    new, changed = [], []
    for m in measurements:
        for finding in found[m.pk]:
            flag = existing.pop((m.pk, finding.rule), None)
            if flag is None:
                new.append(
                    Flag(
                        measurement=m,
                        rule=finding.rule,
                        numbers=finding.numbers,
                        raised_by=user,
                        raised_at=now,
                    )
                )
            elif flag.numbers != finding.numbers:
                flag.numbers = finding.numbers
                flag.raised_by, flag.raised_at = user, now
                changed.append(flag)
    for flag in existing.values():  # no longer fires: its explanation goes with it
        flag._history_user = user
        flag.delete()
    if new:
        bulk_create_with_history(new, Flag, default_user=user, default_date=now)
    if changed:
        bulk_update_with_history(
            changed,
            Flag,
            ["numbers", "raised_by", "raised_at"],
            default_user=user,
            default_date=now,
        )


def flags_recheck_kpi(*, kpi_id: int) -> int:
    """A KPI's rules changed: re-check its values in reports still open (draft or returned), one
    report at a time under its lock; submitted and approved values keep the flags they were
    judged with. Returns how many values were checked (safe to run twice)."""
    editable = [Report.State.DRAFT, Report.State.RETURNED]
    report_ids = sorted(
        set(
            Measurement.objects.filter(kpi_id=kpi_id, report__state__in=editable).values_list(
                "report_id", flat=True
            )
        )
    )
    now, checked = timezone.now(), 0
    for report_id in report_ids:
        with transaction.atomic():
            report = (
                Report.objects.select_for_update(of=("self",))
                .select_related("cluster", "period")
                .filter(pk=report_id, state__in=editable)
                .first()
            )
            if report is None:  # submitted meanwhile: judged as it was sent
                continue
            values = list(
                Measurement.objects.filter(report=report, kpi_id=kpi_id).select_related("kpi")
            )
            flags_refresh(report=report, measurements=values, user=None, now=now)
            checked += len(values)
    return checked


def _require_explainer(user, report: Report) -> None:
    if not may_write_field_data(user):
        raise PermissionDenied(_("Only BSO staff explain the flags of report values."))
    if not clusters_in_scope(user).filter(pk=report.cluster_id).exists():
        raise PermissionDenied(_("This cluster is outside your scope."))
    if not report.is_editable:
        raise ValidationError(
            _("This report is %(state)s: its values can no longer be changed.")
            % {"state": report.get_state_display().lower()}
        )


def _clean_explanation(text) -> str:
    text = "" if text is None else str(text).strip()
    if len(text) > MAX_EXPLANATION:
        raise ValidationError(
            {
                "explanation": _("Keep the explanation under %(n)s characters.")
                % {"n": MAX_EXPLANATION}
            }
        )
    return text


def _explain(flag: Flag, text: str, user, now: datetime.datetime) -> None:
    flag.explanation = text
    flag.explained_by = user if text else None
    flag.explained_at = now if text else None
    flag._history_user = user
    flag.full_clean()
    flag.save()


def _locked(report_id: int) -> Report:
    """The report, locked while its flags change, with what its notice names."""
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("cluster", "period")
        .get(pk=report_id)
    )


@transaction.atomic
def flag_explain(*, measurement: Measurement, rule: str, explanation: str, user) -> Flag:
    """Say why a flagged value is right anyway (an empty text withdraws the explanation); the
    cluster's program officers hear of an explanation given."""
    report = _locked(measurement.report_id)
    _require_explainer(user, report)
    text = _clean_explanation(explanation)
    flag = (
        Flag.objects.filter(measurement=measurement, rule=rule)
        .select_related("measurement__kpi")
        .first()
    )
    if flag is None:
        raise ValidationError({"rule": _("This value has no such flag.")})
    before = flag.explanation
    _explain(flag, text, user, timezone.now())
    if text and text != before:
        flags_explained_notify(report=report, flags=[flag], user=user)
    return flag


@transaction.atomic
def flags_explain(*, report: Report, explanations: dict[tuple[int, str], str], user) -> int:
    """The report page's explanations, keyed by (KPI id, rule): those of flags that still fire
    are saved, the others (the value changed and cleared them) ignored. Returns how many
    changed."""
    report = _locked(report.pk)
    flags = Flag.objects.filter(measurement__report=report).select_related("measurement__kpi")
    now, changed, explained = timezone.now(), 0, []
    texts = {key: _clean_explanation(text) for key, text in explanations.items()}
    for flag in flags.order_by("measurement__kpi__code", "rule"):
        text = texts.get((flag.measurement.kpi_id, flag.rule))
        if text is None or text == flag.explanation:
            continue
        if not changed:
            _require_explainer(user, report)
        _explain(flag, text, user, now)
        changed += 1
        if text:
            explained.append(flag)
    flags_explained_notify(report=report, flags=explained, user=user)
    return changed


def unexplained_values(report: Report) -> list[str]:
    """The KPIs (names) whose value carries a flag without an explanation."""
    flags = (
        Flag.objects.filter(measurement__report=report, explanation="")
        .select_related("measurement__kpi")
        .order_by("measurement__kpi__code", "rule")
    )
    return list(dict.fromkeys(f.measurement.kpi.name for f in flags))
