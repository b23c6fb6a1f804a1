"""The rules of logging an activity, checked for many activities at once with a fixed number of
queries: the user's scope, the model's field checks and constraints, the BSO's support of the
cluster on the date, the action item's cluster, the component's enrolment, one activity per
steering committee meeting (monitoring.activities.meetings).

monitoring.activities.services calls `activities_refusals` for one activity (the page, the
API) and for a whole spreadsheet (the import), so that every path applies the same rules.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scopes import clusters_in_scope, may_write_field_data
from bsos.models import ClusterSupport
from clusters.models import ActionItem
from core.constraints import full_clean
from core.errors import PermissionDenied
from firms.models import Membership
from monitoring.activities.meetings import steering_meeting_refusals
from monitoring.models.activities import Activity
from programs.models import Component, Enrolment

# The foreign keys whose rows are looked up for all activities at once.
RELATIONS = ("cluster", "bso", "action_item", "component", "created_by")


def _covers(spans: list[tuple[datetime.date, datetime.date | None]], on: datetime.date) -> bool:
    """Does one of the spans [start, end] (end open when None) hold the date? (core.dates)"""
    return any(start <= on and (end is None or end >= on) for start, end in spans)


@dataclass
class _Facts:
    """What the rules need from the database about a set of activities, read once for all."""

    in_scope: set[int]  # cluster ids in the user's scope
    existing: dict[str, set]  # foreign key name -> the ids that exist
    supports: dict[tuple[int, int], list] = field(default_factory=dict)  # (bso, cluster)
    item_cluster: dict[int, int] = field(default_factory=dict)  # action item -> its cluster
    component_program: dict[int, int] = field(default_factory=dict)
    enrolments: dict[tuple[int, int], list] = field(default_factory=dict)  # (program, cluster)
    members: set[tuple[int, int]] = field(default_factory=set)  # (firm, cluster) ever members


def _ids(activities: Sequence[Activity], attname: str) -> set:
    return {value for a in activities if (value := getattr(a, attname)) is not None}


def _facts(activities: Sequence[Activity], user) -> _Facts:
    """A fixed number of queries, whatever the number of activities."""
    clusters = _ids(activities, "cluster_id")
    in_scope = set(clusters_in_scope(user).filter(pk__in=clusters).values_list("pk", flat=True))
    existing = {}
    for relation in RELATIONS:
        model_field = Activity._meta.get_field(relation)
        ids = _ids(activities, model_field.attname)
        target = model_field.remote_field
        # What ForeignKey.validate() asks of each row, asked of all rows at once.
        found = target.model._base_manager.filter(**{f"{target.field_name}__in": ids})
        found = found.complex_filter(model_field.get_limit_choices_to())
        existing[relation] = set(found.values_list(target.field_name, flat=True)) if ids else set()
    facts = _Facts(in_scope=in_scope, existing=existing)
    bsos = _ids(activities, "bso_id")
    if bsos and clusters:
        spans = ClusterSupport.objects.filter(bso_id__in=bsos, cluster_id__in=clusters)
        for bso_id, cluster_id, since, until in spans.values_list(
            "bso_id", "cluster_id", "since", "until"
        ):
            facts.supports.setdefault((bso_id, cluster_id), []).append((since, until))
    if items := existing["action_item"]:
        facts.item_cluster = dict(
            ActionItem.objects.filter(pk__in=items).values_list("pk", "committee__cluster_id")
        )
    if components := existing["component"]:
        facts.component_program = dict(
            Component.objects.filter(pk__in=components).values_list("pk", "program_id")
        )
        enrolled = Enrolment.objects.filter(
            program_id__in=set(facts.component_program.values()), cluster_id__in=clusters
        )
        for program_id, cluster_id, start, end in enrolled.values_list(
            "program_id", "cluster_id", "enrolled_from", "enrolled_until"
        ):
            facts.enrolments.setdefault((program_id, cluster_id), []).append((start, end))
    firms = {firm.pk for a in activities for firm in (getattr(a, "participants", None) or [])}
    if firms and clusters:
        members = Membership.objects.filter(firm_id__in=firms, cluster_id__in=clusters)
        facts.members = set(members.values_list("firm_id", "cluster_id"))
    return facts


def _rule_errors(
    activity: Activity, user, facts: _Facts, today: datetime.date
) -> dict[str, list[str]]:
    """Rules that span fields and need the database (read into `facts`); full_clean() does
    the rest."""
    errors: dict[str, list[str]] = {}
    if activity.date and activity.date > today:
        errors["date"] = [_("Log an activity once it has happened: this date is in the future.")]
    is_bso_staff = user.role == Role.BSO_STAFF and not user.is_superuser
    if is_bso_staff and activity.bso_id != user.bso_id:
        errors["bso"] = [_("You log activities for your own BSO.")]
    elif activity.bso_id and activity.cluster_id and activity.date:
        spans = facts.supports.get((activity.bso_id, activity.cluster_id), [])
        if not _covers(spans, activity.date):
            errors["bso"] = [_("This BSO did not support the cluster on the activity's date.")]
    item_cluster = facts.item_cluster.get(activity.action_item_id)
    if activity.action_item_id and activity.cluster_id and item_cluster != activity.cluster_id:
        errors["action_item"] = [_("The action item must belong to the same cluster.")]
    if activity.component_id and activity.cluster_id and activity.date:
        program_id = facts.component_program.get(activity.component_id)
        if not _covers(facts.enrolments.get((program_id, activity.cluster_id), []), activity.date):
            errors["component"] = [
                _("The component's program did not enrol the cluster on the activity's date.")
            ]
    participants = getattr(activity, "participants", None) or []
    strangers = [f for f in participants if (f.pk, activity.cluster_id) not in facts.members]
    if activity.cluster_id and strangers:
        errors["participant_firms"] = [
            _("Not members of the activity's cluster: %(firms)s.")
            % {"firms": ", ".join(sorted(str(firm) for firm in strangers))}
        ]
    return errors


def activities_refusals(
    *, activities: Sequence[Activity], user
) -> dict[int, ValidationError | PermissionDenied]:
    """Why each activity may not be saved, by its index (none: all may): the scope, the model's
    field checks and constraints, then the rules across fields. Reads the database a fixed
    number of times, whatever the number of activities; writes nothing."""
    if not may_write_field_data(user):
        raise PermissionDenied(_("Only BSO staff log activities."))
    facts = _facts(activities, user)
    today = timezone.localdate()
    refusals: dict[int, ValidationError | PermissionDenied] = {}
    for index, activity in enumerate(activities):
        if activity.cluster_id is not None and activity.cluster_id not in facts.in_scope:
            refusals[index] = PermissionDenied(_("This cluster is outside your scope."))
            continue
        known = frozenset(
            relation
            for relation in RELATIONS
            if getattr(activity, f"{relation}_id") in facts.existing[relation]
        )
        # Every error at once: the model's checks and the rules across fields, so that a form
        # never shows one more error only after the others are fixed.
        errors: dict[str, list] = {}
        try:
            full_clean(activity, known_relations=known)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, messages in _rule_errors(activity, user, facts, today).items():
            errors.setdefault(name, []).extend(messages)
        if errors:
            refusals[index] = ValidationError(errors)
    for index, error in steering_meeting_refusals(activities).items():
        refusals.setdefault(index, error)
    return refusals
