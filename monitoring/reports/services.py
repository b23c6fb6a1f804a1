"""Writes for reports: opening one, recording values, and moving it through its review."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.scopes import clusters_in_scope, may_review, may_write_field_data
from clusters.models import Cluster
from core.cache import unsettled_writes
from core.errors import ConflictError, PermissionDenied
from core.staleness import mark_stale
from monitoring.models import Measurement, MeasurementSplit, Report, ReportTransition
from monitoring.reports.checks import flags_refresh, unexplained_values
from monitoring.reports.comments import comments_open
from monitoring.reports.notices import report_transition_notify
from monitoring.values import MAX_NOTE, clean_values
from scorecards.models import KPI, AgeGroup, ClusterScorecard, Period
from scorecards.selectors import kpis_due

State, Action = Report.State, ReportTransition.Action


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    reviewer: bool  # False: done by whoever enters the values
    needs_comment: bool = False


# The review state machine (DESIGN.md "Reports and their review").
TRANSITIONS: dict[str, Transition] = {
    Action.SUBMIT: Transition(frozenset({State.DRAFT, State.RETURNED}), State.SUBMITTED, False),
    Action.APPROVE: Transition(frozenset({State.SUBMITTED}), State.APPROVED, True),
    Action.RETURN: Transition(frozenset({State.SUBMITTED}), State.RETURNED, True, True),
    Action.REOPEN: Transition(frozenset({State.APPROVED}), State.RETURNED, True, True),
}


def scorecard_for(*, cluster: Cluster, period: Period) -> ClusterScorecard:
    """The scorecard the cluster had at the end of the period."""
    scorecard = (
        ClusterScorecard.objects.filter(cluster=cluster, adopted_on__lte=period.ends_on)
        .filter(Q(until__isnull=True) | Q(until__gte=period.ends_on))
        .select_related("template")
        .first()
    )
    if scorecard is None:
        raise ValidationError(
            _("%(cluster)s had no scorecard at the end of %(period)s.")
            % {"cluster": cluster, "period": period}
        )
    return scorecard


@transaction.atomic
def report_open(*, cluster: Cluster, period: Period) -> Report:
    """The cluster's report for the period, created with an empty value for every KPI due."""
    report = Report.objects.filter(cluster=cluster, period=period).first()
    if report:
        return report
    scorecard = scorecard_for(cluster=cluster, period=period)
    report = Report(cluster=cluster, period=period, scorecard=scorecard)
    report.full_clean()
    due = kpis_due(scorecard=scorecard, period=period)
    with unsettled_writes():  # a draft: readers of approved values never see it
        report.save()
        bulk_create_with_history([Measurement(report=report, kpi=kpi) for kpi in due], Measurement)
    return report


def require_field_writer(user) -> None:
    if not may_write_field_data(user):
        raise PermissionDenied(_("Only BSO staff enter report values."))


def _require_in_scope(user, cluster_id: int) -> None:
    """Callers pass objects from scoped querysets; this keeps a forgotten filter harmless."""
    if not clusters_in_scope(user).filter(pk=cluster_id).exists():
        raise PermissionDenied(_("This cluster is outside your scope."))


@transaction.atomic
def report_start(*, cluster: Cluster, period: Period, user) -> Report:
    """A user starts (or reopens the page of) a cluster's report for a period that has begun."""
    require_field_writer(user)
    _require_in_scope(user, cluster.pk)
    if cluster.status != Cluster.Status.ACTIVE:
        raise ValidationError(
            _("%(cluster)s is inactive: it no longer reports.") % {"cluster": cluster}
        )
    if period.starts_on > timezone.localdate():
        raise ValidationError({"period": _("This period has not started yet.")})
    return report_open(cluster=cluster, period=period)


def _require_editable(report: Report, user) -> None:
    require_field_writer(user)
    _require_in_scope(user, report.cluster_id)
    if not report.is_editable:
        raise ValidationError(
            _("This report is %(state)s: its values can no longer be changed.")
            % {"state": report.get_state_display().lower()}
        )


# What a client may send for one value (with the `revision` it started from; and `splits`).
NUMBER_INPUTS = ("value", "numerator", "denominator", "value_women", "value_men")
INPUT_FIELDS = (*NUMBER_INPUTS, "note")
# What recording a value writes.
SAVED_FIELDS = (*INPUT_FIELDS, "revision", "updated_by", "updated_at")


@transaction.atomic
def report_record_values(
    *, report: Report, rows: dict[int, dict[str, Any]], user, merge: bool = False
) -> list[Measurement]:
    """Record values for several KPIs of a report at once, all or nothing.

    `rows` maps a KPI id to its raw inputs (value, numerator, denominator, value_women,
    value_men, note, splits: {dimension: {category: raw}}) and the `revision` the user
    started from. A row whose measurement changed since that revision is a conflict: nothing
    is saved. Errors are keyed "<kpi id>.<field>" ("<kpi id>.splits.<dimension>.<category>").
    A dimension whose parts are sent has them replaced (empty ones: cleared); one not sent
    keeps its parts, unless the value is emptied (then its parts go with it).

    With `merge`, a row holds only the fields the client sent (and the parts of the
    dimensions it sent); the others keep what the locked row holds, read after the lock, so
    that two clients changing different fields of one value, neither sending a revision,
    both keep their change.
    """
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require_editable(report, user)
    measurements = {
        m.kpi_id: m
        for m in Measurement.objects.select_for_update(of=("self",))
        .filter(report=report, kpi_id__in=list(rows))
        .select_related("kpi", "updated_by")
    }
    _load_parts(measurements.values())
    by_age = any(m.kpi.by_age for m in measurements.values())
    age_groups = list(AgeGroup.objects.filter(active=True)) if by_age else []
    errors: dict[str, list[str]] = {}
    changed: list[tuple[Measurement, dict]] = []
    conflicts: list[Measurement] = []
    for kpi_id, raw in rows.items():
        measurement = measurements.get(int(kpi_id))
        if measurement is None:
            errors[f"{kpi_id}"] = [_("This KPI is not part of the report.")]
            continue
        if merge:
            raw = {**{f: getattr(measurement, f) for f in INPUT_FIELDS}, **raw}
        # a dimension sent replaces its parts; the others keep theirs, while there is a value
        given = any(raw.get(f) not in (None, "") for f in NUMBER_INPUTS)
        kept = measurement.parts if given else {}
        raw = {**raw, "splits": {**kept, **(raw.get("splits") or {})}}
        values, row_errors = clean_values(measurement.kpi, raw, age_groups=age_groups)
        note = "" if raw.get("note") is None else str(raw["note"]).strip()
        if len(note) > MAX_NOTE:
            row_errors["note"] = [_("Keep the note under %(n)s characters.") % {"n": MAX_NOTE}]
        revision = _revision(raw.get("revision"), row_errors)
        for field, messages in row_errors.items():
            errors[f"{kpi_id}.{field}"] = messages
        new = {**values.as_dict(), "note": note}
        if (
            all(getattr(measurement, k) == v for k, v in new.items())
            and measurement.parts == values.splits
        ):
            continue  # unchanged: saving the same file twice changes nothing
        new["parts"] = values.splits
        if revision is not None and revision != measurement.revision:
            conflicts.append(measurement)
        changed.append((measurement, new))
    if errors:
        raise ValidationError(errors)
    if conflicts:
        raise ConflictError(_conflict_message(conflicts))
    # One UPDATE and one history INSERT for all the rows (a batch per few dozen rows on
    # SQLite), not a save() and its history row per value.
    now = timezone.now()
    old_parts = {m.pk: m.parts for m, _new in changed}
    for measurement, new in changed:
        for field, value in new.items():
            setattr(measurement, field, value)
        measurement.revision += 1
        measurement.updated_by = user
        measurement.updated_at = now  # bulk_update does not run auto_now
        measurement._history_user = user
    saved = [m for m, _new in changed]
    if saved:
        with unsettled_writes():  # an editable report's values: not read as approved ones
            bulk_update_with_history(
                saved, Measurement, [*SAVED_FIELDS], default_user=user, default_date=now
            )
            _record_parts(saved, old_parts, user=user, now=now)
    # the KPIs' data-quality rules: a value that breaks one is flagged, not refused
    flags_refresh(report=report, measurements=saved, user=user, now=now)
    return saved


def _load_parts(measurements) -> None:
    """Give the values of KPIs split beyond sex their stored parts, in one query (none when
    no KPI is); the others have none."""
    split = [m for m in measurements if set(m.kpi.split_dimensions) - {"sex"}]
    for m in measurements:
        m.parts = {}
    if not split:
        return
    by_id = {m.pk: m for m in split}
    for row in MeasurementSplit.objects.filter(measurement__in=split):
        by_id[row.measurement_id].parts.setdefault(row.dimension, {})[row.category] = row.value


def _record_parts(saved: list[Measurement], old_parts: dict[int, dict], *, user, now) -> None:
    """Write the parts of the values just saved: new categories added, changed ones updated,
    those no longer given deleted (each change in the parts' history)."""
    stored = {
        (s.measurement_id, s.dimension, s.category): s
        for s in MeasurementSplit.objects.filter(
            measurement__in=[m for m in saved if old_parts[m.pk] or m.parts]
        )
    }
    new, changed = [], []
    for measurement in saved:
        for dimension, given in measurement.parts.items():
            for category, value in given.items():
                split = stored.pop((measurement.pk, dimension, category), None)
                if split is None:
                    new.append(
                        MeasurementSplit(
                            measurement=measurement,
                            dimension=dimension,
                            category=category,
                            value=value,
                        )
                    )
                elif split.value != value:
                    split.value = value
                    changed.append(split)
    for split in stored.values():  # no longer given
        split._history_user = user
        split.delete()
    if new:
        bulk_create_with_history(new, MeasurementSplit, default_user=user, default_date=now)
    if changed:
        bulk_update_with_history(
            changed, MeasurementSplit, ["value"], default_user=user, default_date=now
        )


def _revision(raw, errors: dict) -> int | None:
    """The revision the user started from; None when they did not say (no conflict check)."""
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        errors["revision"] = [_("The form is out of date: reload the report.")]
        return None


def _conflict_message(conflicts: list[Measurement]) -> str:
    first = conflicts[0]
    who = first.updated_by.get_full_name() if first.updated_by else ""
    return _(
        "“%(kpi)s” was changed by %(who)s since you opened the report. "
        "Reload to see the new value; your changes were not saved."
    ) % {"kpi": first.kpi.name, "who": who or _("someone else")}


def _missing_values(report: Report) -> list[str]:
    missing = report.measurements.filter(
        Q(kpi__aggregation=KPI.Aggregation.RATIO, numerator__isnull=True)
        | Q(kpi__aggregation=KPI.Aggregation.RATIO, denominator__isnull=True)
        | (~Q(kpi__aggregation=KPI.Aggregation.RATIO) & Q(value__isnull=True))
    )
    return [m.kpi.name for m in missing.select_related("kpi")]


@transaction.atomic
def report_transition(
    *, report: Report, action: str, user, comment: str = "", values: Iterable[int] = ()
) -> Report:
    """Move a report along the review state machine, recording who, when and why. A return or
    a reopening may name `values` (ids of the report's values) it is about: its comment opens
    a thread on each."""
    rule = TRANSITIONS.get(action)
    if rule is None:
        raise ValidationError({"action": _("Unknown action.")})
    values = list(values or ())
    if values and not rule.needs_comment:
        raise ValidationError({"values": _("Only a return or a reopening names values.")})
    report = Report.objects.select_for_update().get(pk=report.pk)
    allowed = may_review(user) if rule.reviewer else may_write_field_data(user)
    if not allowed:
        raise PermissionDenied(
            _("Your role cannot do this: %(action)s.") % {"action": rule_label(action)}
        )
    _require_in_scope(user, report.cluster_id)
    if report.state not in rule.sources:
        raise ValidationError(
            _("This report is in the “%(state)s” state, so it cannot be %(action)s.")
            % {"state": report.get_state_display().lower(), "action": _past(action)}
        )
    comment = (comment or "").strip()
    if rule.needs_comment and not comment:
        raise ValidationError({"comment": _("Say why: the cluster will see this comment.")})
    if action == Action.SUBMIT and (missing := _missing_values(report)):
        raise ValidationError(
            _("Enter every value before submitting. Missing: %(kpis)s.")
            % {"kpis": "; ".join(missing)}
        )
    if action == Action.SUBMIT and (unexplained := unexplained_values(report)):
        raise ValidationError(
            _("Explain every flagged value before submitting. Unexplained: %(kpis)s.")
            % {"kpis": "; ".join(unexplained)}
        )
    transition = ReportTransition.objects.create(
        report=report,
        action=action,
        from_state=report.state,
        to_state=rule.target,
        by=user,
        comment=comment,
    )
    comments_open(report=report, transition=transition, measurement_ids=values)
    if State.APPROVED in (report.state, rule.target):
        # approving adds the values to the totals, reopening takes them out (rule 1)
        core_kpis = report.measurements.filter(kpi__cluster__isnull=True).values_list(
            "kpi_id", flat=True
        )
        mark_stale(
            kpi_ids=core_kpis,
            period_ids=[report.period_id],
            cluster_id=report.cluster_id,
            reason=f"report {action}",
        )
    report.state = rule.target
    report.save(update_fields=["state", "updated_at"])
    report_transition_notify(report=report, action=action, user=user, comment=comment)
    return report


def rule_label(action: str) -> str:
    return str(ReportTransition.Action(action).label).lower()


def _past(action: str) -> str:
    return {
        Action.SUBMIT: _("submitted"),
        Action.APPROVE: _("approved"),
        Action.RETURN: _("returned"),
        Action.REOPEN: _("reopened"),
    }[action]
