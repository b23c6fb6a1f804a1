"""Writes of competitiveness plans: versions, their studies and actions, the steering
committee's approval, revisions, and the activities of the log linked to actions.

Pages, the API and the admin call these, so the rules live here once:
- BSO staff (and administrators) write the plans of the clusters in their scope
  (accounts.scopes); other roles read.
- A cluster has one plan, in versions. Only the latest version is edited, and only while it is
  a draft: an approved version is frozen (every write refused, saying so); a revision starts
  the next version as a copy of the approved one.
- A version is approved by a decision of the cluster's own steering committee.
- An activity is linked to an action of the latest version, of the same cluster; a revision
  carries the links over to the copied actions. Logging an activity "for this action" creates
  it through the activity log's own service, then links it.
- Studies follow the activity log's attachment rules (core.uploads.attachment_check).
"""

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.scopes import clusters_in_scope, may_write_field_data
from clusters.models import Cluster, Decision
from core.errors import PermissionDenied
from core.services import model_update
from core.uploads import attachment_check
from monitoring.activities.services import activity_create
from monitoring.models.activities import Activity
from plans.models import BUDGET_FIELDS, ActionActivity, Plan, PlanAction, PlanStudy
from scorecards.models import KPI

PLAN_FIELDS = (
    "title",
    "period_start",
    "period_end",
    "diagnostic",
    "strengths",
    "weaknesses",
    "opportunities",
    "threats",
    "benchmark_group",
)
ACTION_FIELDS = ("title", "owner", "starts_on", "ends_on", *BUDGET_FIELDS, "currency", "status")
MAX_STUDIES_PER_PLAN = 20


def require_plan_writer(user, cluster_id: int) -> None:
    """BSO staff (and administrators) write the plans of the clusters in their scope."""
    if not may_write_field_data(user):
        raise PermissionDenied(_("Only the cluster's BSO staff write its competitiveness plan."))
    if not clusters_in_scope(user).filter(pk=cluster_id).exists():
        raise PermissionDenied(_("This cluster is outside your scope."))


def is_latest(plan: Plan) -> bool:
    return not Plan.objects.filter(cluster_id=plan.cluster_id, version__gt=plan.version).exists()


def require_draft(plan: Plan) -> None:
    """Refuse any change to an approved (frozen) version, or to a superseded one."""
    if plan.frozen:
        on = date_format(timezone.localdate(plan.approved_at), "DATE_FORMAT")
        raise ValidationError(
            _(
                "Version %(version)s of this plan was approved by the steering committee on "
                "%(date)s and is frozen: start a revision to change it."
            )
            % {"version": plan.version, "date": on}
        )
    if not is_latest(plan):
        raise ValidationError(_("A newer version of this plan exists: change that one."))


def decisions_of(cluster_id: int):
    """The decisions of the cluster's steering committee, newest meeting first."""
    return (
        Decision.objects.filter(meeting__committee__cluster_id=cluster_id)
        .select_related("meeting")
        .order_by("-meeting__held_on", "-pk")
    )


def _plan_data(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in PLAN_FIELDS}


@transaction.atomic
def plan_create(*, cluster: Cluster, data: dict[str, Any], user) -> Plan:
    """Write the first version of a cluster's plan (a draft)."""
    require_plan_writer(user, cluster.pk)
    if Plan.objects.select_for_update().filter(cluster=cluster).exists():
        raise ValidationError(_("This cluster has a plan already: revise it instead."))
    plan = Plan(cluster=cluster, version=1, created_by=user, **_plan_data(data))
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, data: dict[str, Any], user) -> Plan:
    """Change a draft version's diagnostic, SWOT, dates or peers."""
    require_plan_writer(user, plan.cluster_id)
    require_draft(plan)
    plan, _changed = model_update(instance=plan, data=_plan_data(data), fields=list(PLAN_FIELDS))
    return plan


@transaction.atomic
def plan_approve(*, plan: Plan, decision: Decision, user) -> Plan:
    """Record the steering committee's decision approving this version; it is frozen after."""
    require_plan_writer(user, plan.cluster_id)
    require_draft(plan)
    if decision is None or not decisions_of(plan.cluster_id).filter(pk=decision.pk).exists():
        raise ValidationError(
            {"decision": _("Name a decision of this cluster's steering committee.")}
        )
    if not plan.actions.exists():
        raise ValidationError(_("A plan without actions cannot be approved: add its actions."))
    plan.state = Plan.State.APPROVED
    plan.decision = decision
    plan.approved_at = timezone.now()
    plan.full_clean()
    plan.save(update_fields=["state", "decision", "approved_at", "updated_at"])
    return plan


@transaction.atomic
def plan_revise(*, plan: Plan, user) -> Plan:
    """Start the next version as a draft copy of the approved latest one: its text, studies
    (the same files), actions with their KPIs and the activities linked to them."""
    require_plan_writer(user, plan.cluster_id)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not is_latest(plan):
        raise ValidationError(_("A newer version of this plan exists: revise that one."))
    if not plan.frozen:
        raise ValidationError(_("This version is still a draft: change it, no revision needed."))
    new = Plan(
        cluster_id=plan.cluster_id,
        version=plan.version + 1,
        previous=plan,
        created_by=user,
        **{name: getattr(plan, name) for name in PLAN_FIELDS},
    )
    new.full_clean()
    new.save()
    PlanStudy.objects.bulk_create(
        PlanStudy(
            plan=new,
            file=study.file.name,
            extension=study.extension,
            original_name=study.original_name,
            size=study.size,
            uploaded_by_id=study.uploaded_by_id,
        )
        for study in plan.studies.all()
    )
    old_actions = list(plan.actions.prefetch_related("kpis", "links"))
    copies = PlanAction.objects.bulk_create(
        PlanAction(
            plan=new,
            origin=action,
            **{name: getattr(action, name) for name in ACTION_FIELDS},
        )
        for action in old_actions
    )
    kpi_through = PlanAction.kpis.through
    kpi_through.objects.bulk_create(
        kpi_through(planaction_id=copy.pk, kpi_id=kpi.pk)
        for action, copy in zip(old_actions, copies, strict=True)
        for kpi in action.kpis.all()
    )
    ActionActivity.objects.bulk_create(
        ActionActivity(action=copy, activity_id=link.activity_id, linked_by_id=link.linked_by_id)
        for action, copy in zip(old_actions, copies, strict=True)
        for link in action.links.all()
    )
    return new


# --- Studies ----------------------------------------------------------------------------------


@transaction.atomic
def study_add(*, plan: Plan, file, user) -> PlanStudy:
    """Attach a study to a draft version's diagnostic (the activity log's attachment rules)."""
    require_plan_writer(user, plan.cluster_id)
    require_draft(plan)
    if plan.studies.count() >= MAX_STUDIES_PER_PLAN:
        message = _("A plan holds at most %(n)d studies.")
        raise ValidationError({"file": message % {"n": MAX_STUDIES_PER_PLAN}})
    name = (getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(0)
    extension = attachment_check(name=name, size=size, file=file)
    study = PlanStudy(plan=plan, extension=extension, original_name=name, size=size)
    study.uploaded_by = user
    study.file.save(name, File(file), save=False)
    try:
        study.full_clean()
        study.save()
    except Exception:
        default_storage.delete(study.file.name)
        raise
    return study


@transaction.atomic
def study_delete(*, study: PlanStudy, user) -> None:
    """Remove a study from a draft version; its file goes with the last version holding it."""
    require_plan_writer(user, study.plan.cluster_id)
    require_draft(study.plan)
    name = study.file.name
    study.delete()
    if not PlanStudy.objects.filter(file=name).exists():
        transaction.on_commit(lambda: default_storage.delete(name))


# --- Actions ----------------------------------------------------------------------------------


def _check_kpis(kpis) -> None:
    if any(kpi.cluster_id is not None for kpi in kpis):
        raise ValidationError(
            {"kpis": _("Link the core KPIs an action should move (own KPIs are not rolled up).")}
        )


def _action_data(data: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if k in ACTION_FIELDS}
    if isinstance(data.get("currency"), str):
        data["currency"] = data["currency"].strip().upper()
    return data


@transaction.atomic
def action_create(*, plan: Plan, data: dict[str, Any], user) -> PlanAction:
    """Add an action to a draft version, with the KPIs it should move."""
    require_plan_writer(user, plan.cluster_id)
    require_draft(plan)
    kpis = list(data.get("kpis") or [])
    _check_kpis(kpis)
    action = PlanAction(plan=plan, **_action_data(data))
    action.full_clean()
    action.save()
    action.kpis.set(kpis)
    return action


@transaction.atomic
def action_update(*, action: PlanAction, data: dict[str, Any], user) -> PlanAction:
    """Change an action of a draft version."""
    require_plan_writer(user, action.plan.cluster_id)
    require_draft(action.plan)
    fields = list(ACTION_FIELDS)
    data = {**_action_data(data), **({"kpis": data["kpis"]} if "kpis" in data else {})}
    if "kpis" in data:
        _check_kpis(data["kpis"])
        fields.append("kpis")
    action, _changed = model_update(instance=action, data=data, fields=fields)
    return action


@transaction.atomic
def action_delete(*, action: PlanAction, user) -> None:
    """Remove an action from a draft version."""
    require_plan_writer(user, action.plan.cluster_id)
    require_draft(action.plan)
    action.delete()


# --- Activities done for an action ------------------------------------------------------------


def _require_linkable(action: PlanAction, user) -> None:
    require_plan_writer(user, action.plan.cluster_id)
    if not is_latest(action.plan):
        raise ValidationError(_("Link activities to the actions of the plan's latest version."))


@transaction.atomic
def action_activity_link(*, action: PlanAction, activity: Activity, user) -> ActionActivity:
    """Say that an activity of the log was done for this action (of the same cluster). Linking
    is no change of the plan: it is allowed on an approved version."""
    _require_linkable(action, user)
    if activity.cluster_id != action.plan.cluster_id:
        raise ValidationError({"activity": _("The activity must be of the plan's cluster.")})
    if ActionActivity.objects.filter(action=action, activity=activity).exists():
        raise ValidationError({"activity": _("This activity is linked to the action already.")})
    return ActionActivity.objects.create(action=action, activity=activity, linked_by=user)


@transaction.atomic
def action_activity_unlink(*, link: ActionActivity, user) -> None:
    _require_linkable(link.action, user)
    link.delete()


@transaction.atomic
def action_activity_log(*, action: PlanAction, data: dict[str, Any], user) -> Activity:
    """Log an activity for this action: through the activity log's service (its rules, in the
    plan's cluster), then linked to the action."""
    _require_linkable(action, user)
    activity = activity_create(data={**data, "cluster": action.plan.cluster}, user=user)
    action_activity_link(action=action, activity=activity, user=user)
    return activity


def kpis_offered():
    """The KPIs an action may name: the core KPIs, by code."""
    return KPI.objects.filter(cluster__isnull=True).order_by("code")
