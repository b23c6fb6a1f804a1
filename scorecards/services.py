"""Writes for the plan: periods, template versions, cluster scorecards and their own KPIs."""

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scopes import may_review, may_set_target, may_write_field_data
from clusters.models import Cluster
from core.errors import ConflictError, PermissionDenied
from core.services import model_create, model_update
from core.staleness import mark_stale
from scorecards.models import (
    CSF,
    KPI,
    Baseline,
    ClusterScorecard,
    Level,
    OwnKPI,
    Period,
    Target,
    Template,
)


@transaction.atomic
def periods_generate(*, first_year: int, last_year: int, deadline_days: int = 30) -> int:
    """Create the quarters and years of a range (existing ones are kept); return the new count."""
    if last_year < first_year:
        raise ValidationError({"last_year": _("The last year cannot be before the first.")})
    created: list[int] = []
    for year in range(first_year, last_year + 1):
        for quarter in range(0, 5):
            starts_on, ends_on = Period.bounds(year, quarter)
            period, was_created = Period.objects.get_or_create(
                year=year,
                quarter=quarter,
                defaults={
                    "kind": Period.Kind.YEAR if quarter == 0 else Period.Kind.QUARTER,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "deadline": ends_on + datetime.timedelta(days=deadline_days),
                },
            )
            if was_created:
                created.append(period.pk)
    if created:  # new periods have clusters expected to report: their rollups show coverage
        mark_stale(period_ids=created, reason="periods generated")
    return len(created)


@transaction.atomic
def template_publish(*, template: Template) -> Template:
    """Publish a draft version: from now on it is frozen."""
    if template.status != Template.Status.DRAFT:
        raise ValidationError(_("Only a draft version can be published."))
    template.status = Template.Status.PUBLISHED
    template.published_at = timezone.now()
    template.full_clean()
    template.save(update_fields=["status", "published_at", "updated_at"])
    return template


@transaction.atomic
def template_new_version(*, template: Template) -> Template:
    """Copy a version's tree into a new draft version (same code, next number) to edit."""
    latest = Template.objects.filter(code=template.code).order_by("-version").first()
    draft = Template.objects.get(pk=template.pk)
    draft.pk = None
    draft.version = latest.version + 1
    draft.status = Template.Status.DRAFT
    draft.published_at = None
    draft.save()
    for perspective in template.perspectives.prefetch_related("csfs__kpis"):
        csfs = list(perspective.csfs.all())
        perspective.pk, perspective.template = None, draft
        perspective.save()
        for csf in csfs:
            placements = list(csf.kpis.all())
            csf.pk, csf.perspective = None, perspective
            csf.save()
            for placement in placements:
                placement.pk, placement.csf = None, csf
                placement.save()
    return draft


@transaction.atomic
def scorecard_adopt(
    *, cluster: Cluster, template: Template, on: datetime.date, user=None
) -> ClusterScorecard:
    """Make a published template version the cluster's scorecard from a date on (with
    `user`: if their role may, program officers and administrators).

    The previous scorecard ends the day before; the cluster's accepted own KPIs move along,
    under the CSF of the same name where the new version has one.
    """
    if user is not None and not may_review(user):
        raise PermissionDenied(
            _("Only program officers and administrators adopt a scorecard for a cluster.")
        )
    previous = ClusterScorecard.objects.filter(cluster=cluster, until__isnull=True).first()
    if previous:
        if previous.template_id == template.pk:
            return previous
        previous.until = max(on - datetime.timedelta(days=1), previous.adopted_on)
        previous.full_clean()
        previous.save(update_fields=["until", "updated_at"])
    scorecard = model_create(
        model=ClusterScorecard, data={"cluster": cluster, "template": template, "adopted_on": on}
    )
    # which clusters are expected to report these KPIs changed
    templates = [template.pk] + ([previous.template_id] if previous else [])
    mark_stale(
        kpi_ids=KPI.objects.filter(
            placements__csf__perspective__template__in=templates
        ).values_list("pk", flat=True),
        reason="scorecard adopted",
    )
    if previous:
        csfs = {c.name_en: c for c in CSF.objects.filter(perspective__template=template)}
        for own in previous.own_kpis.select_related("csf"):
            if own.csf.name_en in csfs:
                own.scorecard, own.csf = scorecard, csfs[own.csf.name_en]
                own.save(update_fields=["scorecard", "csf"])
    return scorecard


@transaction.atomic
def own_kpi_propose(*, scorecard: ClusterScorecard, csf: CSF, data: dict[str, Any], user) -> KPI:
    """A cluster proposes one of its own (participatory) KPIs under a CSF of its scorecard."""
    if not may_write_field_data(user):
        raise PermissionDenied(_("Only BSO staff propose a cluster's own KPIs."))
    kpi = model_create(
        model=KPI,
        data={
            **data,
            "cluster": scorecard.cluster,
            "status": KPI.Status.PROPOSED,
            "proposed_by": user,
        },
    )
    placement = OwnKPI(scorecard=scorecard, csf=csf, kpi=kpi)
    placement.full_clean()
    placement.save()
    return kpi


@transaction.atomic
def own_kpi_decide(*, kpi: KPI, accept: bool, user, reason: str = "") -> KPI:
    """A program officer (or an administrator) accepts or rejects a proposed own KPI; a
    rejection says why (the cluster reads the reason on its scorecard)."""
    if not may_review(user):
        raise PermissionDenied(
            _("Only program officers and administrators accept or reject a cluster's own KPIs.")
        )
    if kpi.cluster_id is None or kpi.status != KPI.Status.PROPOSED:
        raise ValidationError(_("Only a proposed cluster KPI can be accepted or rejected."))
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Say why the KPI is rejected: the cluster reads it.")})
    kpi.status = KPI.Status.ACCEPTED if accept else KPI.Status.REJECTED
    kpi.decided_by, kpi.decided_at, kpi.decision_reason = user, timezone.now(), reason
    kpi.full_clean()
    kpi.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    return kpi


@dataclass(frozen=True)
class TargetCell:
    """One cell of a targets grid: a KPI's target for a period; None removes it."""

    kpi: KPI
    period: Period
    value: Decimal | None


@dataclass
class TargetsSaved:
    """What a save of many targets did, and the (KPI, period) rollups it made stale."""

    created: int = 0
    changed: int = 0
    removed: int = 0
    stale: list[tuple[KPI, Period]] = dataclasses.field(default_factory=list)

    @property
    def count(self) -> int:
        return self.created + self.changed + self.removed


TARGET_RELATIONS = ["kpi", "period", "cluster", "country", "region", "program", "set_by"]


def _level_units(level: str, unit) -> dict[str, Any]:
    units = dict.fromkeys(("cluster", "country", "region", "program"))
    if level != Level.GLOBAL:
        units[level] = unit
    return units


@transaction.atomic
def targets_set(*, level: str, unit, cells: list[TargetCell], user) -> TargetsSaved:
    """Set, change or remove many targets of one unit (a cluster, a country, a region, a
    program) at once, if the user's role may set targets there: one transaction, a fixed
    number of queries whatever the number of cells. Cells whose value did not change are not
    written and make nothing stale. Errors name their cell as "<kpi id>-<period id>"."""
    if not may_set_target(user, level=level, unit=unit):
        raise PermissionDenied(_("Your role cannot set targets at this level for this unit."))
    units = _level_units(level, unit)
    existing = {
        (t.kpi_id, t.period_id): t
        for t in Target.objects.select_for_update().filter(
            level=level,
            kpi__in={cell.kpi.pk for cell in cells},
            period__in={cell.period.pk for cell in cells},
            **units,
        )
    }
    saved, errors = TargetsSaved(), {}
    new, changed, removed = [], [], []
    for cell in cells:
        key = f"{cell.kpi.pk}-{cell.period.pk}"
        target = existing.get((cell.kpi.pk, cell.period.pk))
        if cell.value is None:
            if target is not None:
                removed.append(target)
                saved.stale.append((cell.kpi, cell.period))
            continue
        if not cell.kpi.is_core and (level != Level.CLUSTER or cell.kpi.cluster_id != unit.pk):
            errors[key] = [_("A cluster's own KPI has targets for its own cluster only.")]
            continue
        if target is not None and target.value == cell.value:
            continue
        if target is None:
            target = Target(kpi=cell.kpi, period=cell.period, level=level, **units)
            new.append(target)
        else:
            changed.append(target)
            target.updated_at = timezone.now()  # bulk_update skips auto_now
        target.value, target.set_by = cell.value, user
        try:
            # the value's own rules (digits) without a query per cell: the relations come
            # from rows already read, uniqueness from this function's lookup above
            target.clean_fields(exclude=TARGET_RELATIONS)
        except ValidationError as error:
            errors[key] = error.messages
        saved.stale.append((cell.kpi, cell.period))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():  # someone else's target saved in between: no 500
            Target.objects.bulk_create(new)
    except IntegrityError:
        raise ConflictError(
            _("Someone saved targets here at the same time. Reload the page and try again.")
        ) from None
    Target.objects.bulk_update(changed, ["value", "set_by", "updated_at"])
    Target.objects.filter(pk__in=[t.pk for t in removed]).delete()
    saved.created, saved.changed, saved.removed = len(new), len(changed), len(removed)
    if saved.stale:
        mark_stale(pairs=[(k.pk, p.pk) for k, p in saved.stale], reason="targets set")
    return saved


def target_set(*, kpi: KPI, period: Period, level: str, unit, value, user) -> Target:
    """Set (or change) a KPI's target for a period at one level, if the user's role may."""
    own_elsewhere = not kpi.is_core and (level != Level.CLUSTER or kpi.cluster_id != unit.pk)
    if own_elsewhere and may_set_target(user, level=level, unit=unit):
        raise ValidationError(
            {"level": _("A cluster's own KPI has targets for its own cluster only.")}
        )
    try:
        targets_set(level=level, unit=unit, cells=[TargetCell(kpi, period, value)], user=user)
    except ValidationError as error:
        raise ValidationError({"value": error.messages}) from None
    return Target.objects.get(kpi=kpi, period=period, level=level, **_level_units(level, unit))


def may_set_baselines(user) -> bool:
    """BSO staff (who report the values) and program officers (who review them) set a
    cluster's baselines; administrators too."""
    return may_write_field_data(user) or may_review(user)


@dataclass(frozen=True)
class BaselineCell:
    """One row of a baselines grid: a KPI and its baseline fields (year, value or numerator
    and denominator, note); a row with every field empty removes the baseline."""

    kpi: KPI
    data: dict[str, Any]


@transaction.atomic
def baselines_set(*, cluster: Cluster, cells: list[BaselineCell], user) -> list[KPI]:
    """Set, change or remove many baselines of one cluster at once, in a fixed number of
    queries; returns the KPIs whose baseline changed (their rollups are marked stale).
    Errors name their field as "<kpi id>-<field>"."""
    if not may_set_baselines(user):
        raise PermissionDenied(_("Your role cannot set baselines."))
    existing = {
        b.kpi_id: b
        for b in Baseline.objects.select_for_update().filter(
            cluster=cluster, kpi__in=[cell.kpi.pk for cell in cells]
        )
    }
    new, changed, removed, errors = [], [], [], {}
    fields = ["year", "value", "numerator", "denominator", "note"]
    for cell in cells:
        baseline = existing.get(cell.kpi.pk)
        if all(v in (None, "") for v in cell.data.values()):
            if baseline is not None:
                removed.append(baseline)
            continue
        if baseline is None:
            baseline = Baseline(cluster=cluster, kpi=cell.kpi)
        before = [getattr(baseline, name) for name in fields]
        for name, value in cell.data.items():
            setattr(baseline, name, "" if name == "note" and value is None else value)
        if baseline.pk and before == [getattr(baseline, name) for name in fields]:
            continue
        try:
            _baseline_check(baseline)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors[f"{cell.kpi.pk}-{name}"] = messages
            continue
        if baseline.pk:
            baseline.updated_at = timezone.now()  # bulk_update skips auto_now
            changed.append(baseline)
        else:
            new.append(baseline)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            Baseline.objects.bulk_create(new)
    except IntegrityError:
        raise ConflictError(
            _("Someone saved baselines here at the same time. Reload the page and try again.")
        ) from None
    Baseline.objects.bulk_update(changed, [*fields, "updated_at"])
    Baseline.objects.filter(pk__in=[b.pk for b in removed]).delete()
    kpis = [b.kpi for b in (*new, *changed, *removed)]
    if kpis:
        mark_stale(kpi_ids=[kpi.pk for kpi in kpis], reason="baselines set")
    return kpis


def _baseline_check(baseline: Baseline) -> None:
    """A baseline's own rules without a query: its fields, a year, the value the KPI takes
    (numerator and denominator for ratio KPIs), a denominator that is not zero (the
    database's constraint too)."""
    baseline.clean_fields(exclude=["cluster", "kpi"])
    errors = {}
    if baseline.kpi.is_ratio:
        for name in ("numerator", "denominator"):
            if getattr(baseline, name) is None:
                errors[name] = [_("A ratio KPI's baseline needs a numerator and a denominator.")]
        if baseline.denominator == 0:
            errors["denominator"] = [_("The denominator cannot be zero.")]
    elif baseline.value is None:
        errors["value"] = [_("Give the baseline value.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def baseline_set(*, cluster: Cluster, kpi: KPI, data: dict[str, Any], user=None) -> Baseline:
    """Set a cluster's baseline for a KPI (one per cluster and KPI); with `user`, if their
    role may."""
    if user is not None and not may_set_baselines(user):
        raise PermissionDenied(_("Your role cannot set baselines."))
    baseline = Baseline.objects.filter(cluster=cluster, kpi=kpi).first() or Baseline(
        cluster=cluster, kpi=kpi
    )
    for name, value in data.items():
        setattr(baseline, name, value)
    baseline.full_clean()
    baseline.save()
    mark_stale(kpi_ids=[kpi.pk], reason="baseline set")
    return baseline


@transaction.atomic
def baseline_delete(*, baseline: Baseline, user) -> None:
    if not may_set_baselines(user):
        raise PermissionDenied(_("Your role cannot set baselines."))
    mark_stale(kpi_ids=[baseline.kpi_id], reason="baseline removed")
    baseline.delete()


@transaction.atomic
def target_delete(*, target: Target, unit, user) -> None:
    """Remove a target, if the user's role may set it."""
    if not may_set_target(user, level=target.level, unit=unit):
        raise PermissionDenied(_("Your role cannot set targets at this level for this unit."))
    mark_stale(kpi_ids=[target.kpi_id], period_ids=[target.period_id], reason="target removed")
    target.delete()


@transaction.atomic
def own_kpi_edit(*, kpi: KPI, data: dict[str, Any], user) -> KPI:
    """Edit a cluster's own KPI while it is still a proposal."""
    if not may_write_field_data(user):
        raise PermissionDenied(_("Only BSO staff edit a cluster's own KPIs."))
    if kpi.is_core or kpi.status != KPI.Status.PROPOSED:
        raise ValidationError(_("Only a cluster KPI that is still proposed can be edited."))
    kpi, _changed = model_update(instance=kpi, data=data, fields=list(data))
    return kpi
