"""Writes for the plan: core KPIs, templates (versions, perspectives, CSFs, placed KPIs),
periods, cluster scorecards and their own KPIs. The admin and the API call the same ones."""

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.scopes import (
    clusters_in_scope,
    is_admin,
    may_review,
    may_set_target,
    may_write_field_data,
)
from clusters.models import Cluster
from core.errors import ConflictError, PermissionDenied
from core.services import model_create, model_update
from core.staleness import mark_stale
from scorecards.models import (
    CSF,
    KPI,
    Baseline,
    ClusterScorecard,
    ComponentKPI,
    KPIChecks,
    Level,
    OwnKPI,
    Period,
    Perspective,
    Target,
    Template,
    TemplateKPI,
)

# What defines a KPI: fixed once it has values (a different definition is a new KPI).
KPI_DEFINITION_FIELDS = [
    "code",
    "unit",
    "currency",
    "direction",
    "aggregation",
    "time_aggregation",
    "frequency",
    "by_sex",
    "by_age",
    "by_firm_size",
    "by_ownership",
    "scale",
    "cluster",
]
# What the admin and the API may set on a core KPI (the translated fields included).
CORE_KPI_FIELDS = [
    *(f for f in KPI_DEFINITION_FIELDS if f != "cluster"),
    "name",
    "name_en",
    "name_es",
    "name_pt",
    "description",
    "description_en",
    "description_es",
    "description_pt",
    "results_level",
    "log_source",
    "survey_question",
]
TEMPLATE_FIELDS = [
    "code",
    "name",
    "name_en",
    "name_es",
    "name_pt",
    "description",
    "description_en",
    "description_es",
    "description_pt",
    "source",
    "green_threshold",
    "amber_threshold",
]
TREE_NODE_FIELDS = ["name", "name_en", "name_es", "name_pt", "order"]
PLACEMENT_FIELDS = ["order", "weight"]


def _allowed(data: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    return {name: value for name, value in data.items() if name in fields}


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
            bulk_create_with_history(new, Target, default_user=user)
    except IntegrityError:
        raise ConflictError(
            _("Someone saved targets here at the same time. Reload the page and try again.")
        ) from None
    bulk_update_with_history(changed, Target, ["value", "set_by", "updated_at"], default_user=user)
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
            {"kpi": _("A cluster's own KPI has targets for its own cluster only.")}
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
        if not cell.kpi.is_core and cell.kpi.cluster_id != cluster.pk:
            errors[f"{cell.kpi.pk}-kpi"] = [
                _("A cluster's own KPI has a baseline for that cluster only.")
            ]
            continue
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
            bulk_create_with_history(new, Baseline, default_user=user)
    except IntegrityError:
        raise ConflictError(
            _("Someone saved baselines here at the same time. Reload the page and try again.")
        ) from None
    bulk_update_with_history(changed, Baseline, [*fields, "updated_at"], default_user=user)
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
    if not kpi.is_core and kpi.cluster_id != cluster.pk:
        message = _("A cluster's own KPI has a baseline for that cluster only.")
        raise ValidationError({"kpi": message})
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


def kpi_definition_is_fixed(kpi: KPI) -> bool:
    """Once a KPI has values its definition (KPI_DEFINITION_FIELDS) no longer changes."""
    return kpi.pk is not None and kpi.measurements.exists()


@transaction.atomic
def kpi_create(*, data: dict[str, Any]) -> KPI:
    """Create a core KPI (one that templates place and that rolls up)."""
    return model_create(
        model=KPI, data={**_allowed(data, CORE_KPI_FIELDS), "status": KPI.Status.ACCEPTED}
    )


@transaction.atomic
def kpi_update(*, kpi: KPI, data: dict[str, Any]) -> KPI:
    """Change a core KPI; its definition only while it has no values."""
    if not kpi.is_core:
        raise ValidationError(_("A cluster's own KPI is edited by its cluster while proposed."))
    kpi = KPI.objects.select_for_update().get(pk=kpi.pk)
    data = _allowed(data, CORE_KPI_FIELDS)
    redefined = sorted(f for f in KPI_DEFINITION_FIELDS if f in data and data[f] != getattr(kpi, f))
    if redefined and kpi_definition_is_fixed(kpi):
        message = _("This KPI has values: its definition is fixed (create a new KPI instead).")
        raise ValidationError(dict.fromkeys(redefined, message))
    kpi, changed = model_update(instance=kpi, data=data, fields=list(data))
    if changed and redefined:
        mark_stale(kpi_ids=[kpi.pk], reason="KPI redefined")
    return kpi


def _require_draft(template: Template) -> None:
    """A published (or retired) version is frozen: it changes by a new version, never in place."""
    if template.is_frozen:
        raise ValidationError(
            _("Version %(version)s of this template is %(status)s: create a new version to edit.")
            % {"version": template.version, "status": template.get_status_display()}
        )


@transaction.atomic
def template_create(*, data: dict[str, Any]) -> Template:
    """Start a template: version 1 of a new code (or the next version of an existing code), as a
    draft to fill with perspectives, CSFs and KPIs, then publish."""
    data = _allowed(data, TEMPLATE_FIELDS)
    latest = (
        Template.objects.select_for_update().filter(code=data.get("code")).order_by("-version")
    ).first()
    version = latest.version + 1 if latest else 1
    return model_create(
        model=Template, data={**data, "version": version, "status": Template.Status.DRAFT}
    )


@transaction.atomic
def template_update(*, template: Template, data: dict[str, Any]) -> Template:
    """Change a draft version's description and thresholds (its code stays)."""
    template = Template.objects.select_for_update().get(pk=template.pk)
    _require_draft(template)
    fields = [f for f in TEMPLATE_FIELDS if f != "code"]
    template, _changed = model_update(instance=template, data=_allowed(data, fields), fields=fields)
    return template


@transaction.atomic
def perspective_create(*, template: Template, data: dict[str, Any]) -> Perspective:
    """Add a perspective to a draft template version."""
    _require_draft(Template.objects.select_for_update().get(pk=template.pk))
    return model_create(
        model=Perspective, data={**_allowed(data, TREE_NODE_FIELDS), "template": template}
    )


@transaction.atomic
def perspective_update(*, perspective: Perspective, data: dict[str, Any]) -> Perspective:
    """Rename or reorder a perspective of a draft template version."""
    _require_draft(Template.objects.select_for_update().get(pk=perspective.template_id))
    perspective = Perspective.objects.select_for_update().get(pk=perspective.pk)
    perspective, _changed = model_update(
        instance=perspective, data=_allowed(data, TREE_NODE_FIELDS), fields=TREE_NODE_FIELDS
    )
    return perspective


def _csf_template(csf: CSF) -> Template:
    """The template version a CSF belongs to, locked while its tree changes."""
    template_id = Perspective.objects.values_list("template_id", flat=True).get(
        pk=csf.perspective_id
    )
    return Template.objects.select_for_update().get(pk=template_id)


@transaction.atomic
def csf_create(*, perspective: Perspective, data: dict[str, Any]) -> CSF:
    """Add a critical success factor under a perspective of a draft template version."""
    _require_draft(Template.objects.select_for_update().get(pk=perspective.template_id))
    return model_create(
        model=CSF, data={**_allowed(data, TREE_NODE_FIELDS), "perspective": perspective}
    )


@transaction.atomic
def csf_update(*, csf: CSF, data: dict[str, Any]) -> CSF:
    """Rename or reorder a CSF of a draft template version."""
    _require_draft(_csf_template(csf))
    csf = CSF.objects.select_for_update().get(pk=csf.pk)
    csf, _changed = model_update(
        instance=csf, data=_allowed(data, TREE_NODE_FIELDS), fields=TREE_NODE_FIELDS
    )
    return csf


@transaction.atomic
def template_kpi_place(*, csf: CSF, kpi: KPI, data: dict[str, Any]) -> TemplateKPI:
    """Place a core KPI under a CSF of a draft template version (order, weight)."""
    _require_draft(_csf_template(csf))
    if not kpi.is_core:
        raise ValidationError({"kpi": _("Only core KPIs are placed in a template.")})
    return model_create(
        model=TemplateKPI, data={**_allowed(data, PLACEMENT_FIELDS), "csf": csf, "kpi": kpi}
    )


@transaction.atomic
def template_kpi_update(*, placement: TemplateKPI, data: dict[str, Any]) -> TemplateKPI:
    """Change a placed KPI's order or weight in a draft template version."""
    _require_draft(_csf_template(placement.csf))
    placement = TemplateKPI.objects.select_for_update().get(pk=placement.pk)
    placement, _changed = model_update(
        instance=placement, data=_allowed(data, PLACEMENT_FIELDS), fields=PLACEMENT_FIELDS
    )
    return placement


@transaction.atomic
def template_kpi_remove(*, placement: TemplateKPI) -> None:
    """Take a KPI out of a draft template version."""
    _require_draft(_csf_template(placement.csf))
    placement.delete()


# --- The KPIs that measure a program component's outputs -------------------------------------


@transaction.atomic
def component_kpi_link(*, component, kpi: KPI) -> ComponentKPI:
    """Say that a core KPI measures a program component's outputs (its program-level targets
    count in the component's share of targets achieved)."""
    return model_create(model=ComponentKPI, data={"component": component, "kpi": kpi})


@transaction.atomic
def component_kpi_unlink(*, link: ComponentKPI) -> None:
    link.delete()


# --- Data-quality rules of KPIs (DESIGN.md "Checks at entry") ---------------------------------

CHECK_FIELDS = [
    "minimum",
    "maximum",
    "max_change",
    "max_change_kind",
    "numerator_within_denominator",
    "split_adds_up",
    "peer_outliers",
    "outlier_threshold",
]


def may_set_checks(user, kpi: KPI) -> bool:
    """Administrators set the rules of core KPIs; program officers those of the own KPIs of
    clusters in their scope (administrators too)."""
    if is_admin(user):
        return True
    return (
        not kpi.is_core
        and may_review(user)
        and clusters_in_scope(user).filter(pk=kpi.cluster_id).exists()
    )


@transaction.atomic
def kpi_checks_set(*, kpi: KPI, data: dict[str, Any], user) -> KPIChecks:
    """Set a KPI's data-quality rules; they judge the values saved from now on, and the KPI's
    values in reports still open are checked again once this commits."""
    if not may_set_checks(user, kpi):
        raise PermissionDenied(
            _("Administrators set the rules of core KPIs; program officers those of own KPIs.")
        )
    checks = KPIChecks.objects.select_for_update().filter(kpi=kpi).first() or KPIChecks(kpi=kpi)
    for name, value in _allowed(data, CHECK_FIELDS).items():
        setattr(checks, name, value)
    checks.updated_by = user
    checks._history_user = user
    checks.full_clean()
    checks.save()
    transaction.on_commit(lambda: _queue_flags_recheck(kpi.pk), robust=True)
    return checks


def _queue_flags_recheck(kpi_id: int) -> None:
    # The values of reports still open are judged again by the new rules (monitoring, to the
    # right of this app: its task is named, not imported, as core.staleness does).
    current_app.tasks["monitoring.tasks.recheck_kpi_flags"].delay(kpi_id)
