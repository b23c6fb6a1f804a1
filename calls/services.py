"""Writes and rules of calls for proposals: the call's cycle, applications and their
eligibility, evaluators' declarations and scores, the ranking, and the selection that enrols.

The ranking (DESIGN.md "The program cycle"): an evaluator's total for an application is the
sum over criteria of score / highest score x weight (0 to 100); the application's score is the
mean of its evaluators' totals, rounded to two decimals, once every evaluator of the call has
scored every criterion. Ties (equal to two decimals) are broken by the higher mean score on the
heaviest criterion (the first listed when several share the heaviest weight), then by the
earlier submission.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scopes import clusters_in_scope
from bsos.models import ClusterSupport
from calls.models import Application, ApplicationDocument, Call, Criterion, Declaration, Score
from clusters.models import LifecycleStage
from clusters.services import cluster_create
from core.services import model_create, model_update
from core.uploads import attachment_check
from firms.selectors import firm_count_of_cluster
from programs.services import enrolment_create

State = Call.State
AppState = Application.State
CENT = Decimal("0.01")

TRANSITIONS: dict[str, str] = {State.DRAFT: State.PUBLISHED, State.PUBLISHED: State.CLOSED}
CALL_FIELDS = [
    "program",
    "title",
    "text",
    "deadline",
    "budget",
    "scale_max",
    "min_firms",
    "local_institution_required",
    "min_cofinancing",
    "evaluators",
]
APPLICATION_FIELDS = [
    "cluster",
    "new_cluster_name",
    "new_cluster_country",
    "new_cluster_sector",
    "new_cluster_sector_family",
    "new_cluster_type",
    "new_cluster_origin",
    "declared_firms",
    "local_institutions",
    "cofinancing",
    "answers",
]
NEW_CLUSTER_FIELDS = [
    "new_cluster_name",
    "new_cluster_country",
    "new_cluster_sector",
    "new_cluster_sector_family",
    "new_cluster_type",
    "new_cluster_origin",
]
MAX_DOCUMENTS = 20


def _allowed(data: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    return {name: value for name, value in data.items() if name in fields}


# --- The call ---------------------------------------------------------------------------------


def _check_evaluators(data: dict[str, Any], program) -> None:
    """Evaluators are officers of the call's program."""
    evaluators = data.get("evaluators") or []
    if any(
        user.role != Role.PROGRAM_OFFICER or not user.programs.filter(pk=program.pk).exists()
        for user in evaluators
    ):
        raise ValidationError({"evaluators": _("Evaluators are officers of the program.")})


@transaction.atomic
def call_create(*, data: dict[str, Any], criteria: list[dict[str, Any]] | None = None) -> Call:
    """Open a call in draft, with its criteria (name, weight, description)."""
    data = _allowed(data, CALL_FIELDS)
    if data.get("program") is not None:
        _check_evaluators(data, data["program"])
    call = model_create(model=Call, data=data)
    if criteria is not None:
        criteria_set(call=call, criteria=criteria)
    return call


@transaction.atomic
def call_update(
    *, call: Call, data: dict[str, Any], criteria: list[dict[str, Any]] | None = None
) -> Call:
    """Change a draft call; once published its rules are public and stay as they are."""
    if call.state != State.DRAFT:
        raise ValidationError(_("Only a draft call can be changed."))
    data = _allowed(data, CALL_FIELDS)
    _check_evaluators(data, data.get("program") or call.program)
    call, _changed = model_update(instance=call, data=data, fields=CALL_FIELDS)
    if criteria is not None:
        criteria_set(call=call, criteria=criteria)
    return call


def criteria_set(*, call: Call, criteria: list[dict[str, Any]]) -> None:
    """Replace a draft call's criteria."""
    call.criteria.all().delete()
    for position, item in enumerate(criteria):
        model_create(
            model=Criterion,
            data={
                "call": call,
                "name": item["name"],
                "weight": item["weight"],
                "description": item.get("description", ""),
                "position": position,
            },
        )


def publish_problems(call: Call) -> list[str]:
    """Why this call cannot be published yet; empty when it can."""
    problems = []
    weights = [c.weight for c in call.criteria.all()]
    if not weights:
        problems.append(_("Give the call at least one criterion."))
    elif sum(weights) != 100:
        problems.append(
            _("The criteria's weights add up to %(total)s; they must add up to 100.")
            % {"total": sum(weights)}
        )
    if not call.evaluators.exists():
        problems.append(_("Name at least one evaluator."))
    if call.deadline <= timezone.now():
        problems.append(_("The deadline has passed."))
    return problems


@transaction.atomic
def call_transition(*, call: Call, to: str) -> Call:
    """Publish a draft call (its criteria and rules become public) or close a published one."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if TRANSITIONS.get(call.state) != to:
        raise ValidationError(
            _("A %(state)s call cannot become %(to)s.")
            % {"state": call.get_state_display().lower(), "to": State(to).label.lower()}
        )
    if to == State.PUBLISHED:
        problems = publish_problems(call)
        if problems:
            raise ValidationError(problems)
        call.published_at = timezone.now()
    call.state = to
    call.save(update_fields=["state", "published_at", "updated_at"])
    return call


@transaction.atomic
def call_decide(*, call: Call) -> Call:
    """Close the selection: submitted applications not selected become not selected."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.state != State.CLOSED:
        raise ValidationError(_("Only a closed call can be decided."))
    call.applications.filter(state=AppState.SUBMITTED).update(state=AppState.NOT_SELECTED)
    call.state = State.DECIDED
    call.save(update_fields=["state", "updated_at"])
    return call


# --- Applications -----------------------------------------------------------------------------


def _check_open(call: Call) -> None:
    if call.state != State.PUBLISHED or call.deadline <= timezone.now():
        raise ValidationError(_("The call is not open for applications."))


def _check_applicant(*, data: dict[str, Any], user) -> None:
    cluster = data.get("cluster")
    if cluster is not None:
        if not clusters_in_scope(user).filter(pk=cluster.pk).exists():
            raise ValidationError({"cluster": _("Apply for a cluster your BSO supports.")})
        return
    missing = [name for name in NEW_CLUSTER_FIELDS if not data.get(name)]
    if missing:
        raise ValidationError(
            {
                name: _("Choose an existing cluster, or describe the new initiative.")
                for name in missing
            }
        )


@transaction.atomic
def application_create(*, call: Call, data: dict[str, Any], user) -> Application:
    """BSO staff start an application (a draft) for a cluster their BSO supports or a new one."""
    if user.role != Role.BSO_STAFF or not user.bso_id:
        raise PermissionDenied(_("Applications are sent by BSO staff."))
    _check_open(call)
    data = _allowed(data, APPLICATION_FIELDS)
    _check_applicant(data=data, user=user)
    return model_create(
        model=Application, data={**data, "call": call, "bso": user.bso, "created_by": user}
    )


@transaction.atomic
def application_update(*, application: Application, data: dict[str, Any], user) -> Application:
    """Change a draft application while the call is open."""
    if application.state != AppState.DRAFT:
        raise ValidationError(_("A submitted application cannot be changed."))
    _check_open(application.call)
    data = _allowed(data, APPLICATION_FIELDS)
    merged = {name: getattr(application, name) for name in APPLICATION_FIELDS} | data
    _check_applicant(data=merged, user=user)
    application, _changed = model_update(instance=application, data=data, fields=APPLICATION_FIELDS)
    return application


def firm_count_for(application: Application) -> tuple[int, str]:
    """The firms the eligibility rule counts, and where they were counted: the firm registry's
    current memberships when the cluster exists and the registry holds it, else the declared
    number."""
    if application.cluster_id:
        counted = firm_count_of_cluster(application.cluster_id)
        if counted:
            return counted, "registry"
    return application.declared_firms, "declared"


def _percent(share) -> Decimal:
    return (Decimal(share) * 100).quantize(CENT, ROUND_HALF_UP)


def eligibility(application: Application) -> list[str]:
    """The call's eligibility rules this application breaks, one clear reason each."""
    call = application.call
    reasons = []
    firms, source = firm_count_for(application)
    if firms < call.min_firms:
        where = _("counted in the firm registry") if source == "registry" else _("declared")
        reasons.append(
            _("Too few firms: %(firms)s %(where)s, the call asks for at least %(min)s.")
            % {"firms": firms, "where": where, "min": call.min_firms}
        )
    if call.local_institution_required and not application.local_institutions.strip():
        reasons.append(_("No local institution takes part: the call asks for at least one."))
    if application.cofinancing < call.min_cofinancing:
        reasons.append(
            _("Co-financing too low: %(share)s%% offered, the call asks for at least %(min)s%%.")
            % {
                "share": _percent(application.cofinancing),
                "min": _percent(call.min_cofinancing),
            }
        )
    return reasons


@transaction.atomic
def application_submit(*, application: Application) -> Application:
    """Submit a draft application before the deadline; an ineligible one is refused with
    the reason of each rule it breaks and stays a draft."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.state != AppState.DRAFT:
        raise ValidationError(_("This application was already submitted."))
    _check_open(application.call)
    reasons = eligibility(application)
    if reasons:
        raise ValidationError(reasons)
    application.state = AppState.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["state", "submitted_at", "updated_at"])
    return application


@transaction.atomic
def document_add(*, application: Application, file, user=None) -> ApplicationDocument:
    """Attach a document to a draft application (the activity attachments' rules)."""
    if application.state != AppState.DRAFT:
        raise ValidationError(_("A submitted application cannot be changed."))
    if application.documents.count() >= MAX_DOCUMENTS:
        raise ValidationError(
            {"file": _("An application holds at most %(n)s documents.") % {"n": MAX_DOCUMENTS}}
        )
    name = getattr(file, "name", "") or ""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    attachment_check(name=name, size=size, file=file)
    document = ApplicationDocument(application=application, name=name[:200], size=size)
    document.file.save(name, file, save=False)
    document.save()
    return document


# --- Evaluation -------------------------------------------------------------------------------


def _check_evaluator(*, application: Application, user) -> None:
    call = Call.objects.get(pk=application.call_id)  # its state as it is now
    if not call.evaluators.filter(pk=user.pk).exists():
        raise PermissionDenied(_("Only the call's evaluators score its applications."))
    if call.state != State.CLOSED:
        raise ValidationError(_("Applications are scored once the call is closed."))
    if application.state != AppState.SUBMITTED:
        raise ValidationError(_("Only submitted applications are scored."))


@transaction.atomic
def declare_no_conflict(*, application: Application, user) -> Declaration:
    """The evaluator declares no conflict of interest with this application."""
    _check_evaluator(application=application, user=user)
    declaration, _created = Declaration.objects.get_or_create(
        application=application, evaluator=user
    )
    return declaration


@transaction.atomic
def scores_save(*, application: Application, user, scores: dict[int, tuple[Any, str]]) -> None:
    """Record (or change) the evaluator's score and comment on each criterion:
    scores = {criterion id: (value, comment)}. Every criterion needs both."""
    _check_evaluator(application=application, user=user)
    if not Declaration.objects.filter(application=application, evaluator=user).exists():
        raise ValidationError(_("Declare that you have no conflict of interest first."))
    call = application.call
    errors = {}
    for criterion in call.criteria.all():
        value, comment = scores.get(criterion.pk, (None, ""))
        try:
            value = Decimal(str(value))
        except (ArithmeticError, ValueError):
            value = None
        if value is None or not value.is_finite() or not 0 <= value <= call.scale_max:
            errors[f"criterion_{criterion.pk}"] = _("Give a score from 0 to %(max)s.") % {
                "max": call.scale_max
            }
        elif not (comment or "").strip():
            errors[f"comment_{criterion.pk}"] = _("Say why, in a comment.")
        else:
            Score.objects.update_or_create(
                application=application,
                evaluator=user,
                criterion=criterion,
                defaults={"value": value, "comment": comment.strip()},
            )
    if errors:
        raise ValidationError(errors)


def fully_scored(application: Application) -> bool:
    """Has every evaluator of the call scored every criterion of this application?"""
    call = application.call
    expected = call.evaluators.count() * call.criteria.count()
    return expected > 0 and application.scores.count() == expected


def visible_scores(*, application: Application, user) -> list[Score]:
    """The scores this user may read: their own always; everybody's once every evaluator has
    scored the application (so no evaluator is led by another's)."""
    scores = application.scores.select_related("criterion", "evaluator")
    if fully_scored(application):
        return list(scores)
    return list(scores.filter(evaluator=user.pk))


# --- Ranking and selection --------------------------------------------------------------------


@dataclass
class Ranked:
    application: Application
    score: Decimal | None  # None until every evaluator has scored it
    by_evaluator: dict[int, Decimal] = field(default_factory=dict)
    heaviest: Decimal | None = None  # mean score on the heaviest criterion
    rank: int | None = None
    tie_note: str = ""


def ranking(call: Call) -> list[Ranked]:
    """Submitted (and decided) applications, best first; those not fully scored last."""
    criteria = list(call.criteria.all())
    evaluators = list(call.evaluators.values_list("pk", flat=True))
    heaviest = max(criteria, key=lambda c: (c.weight, -c.position, -c.pk), default=None)
    applications = list(
        call.applications.exclude(state=AppState.DRAFT)
        .select_related("cluster", "bso")
        .prefetch_related("scores")
    )
    weights = {c.pk: Decimal(c.weight) for c in criteria}
    scale = Decimal(call.scale_max)
    rows = []
    for application in applications:
        totals: dict[int, Decimal] = {}
        on_heaviest = []
        by_pair = {(s.evaluator_id, s.criterion_id): s.value for s in application.scores.all()}
        for evaluator in evaluators:
            values = [by_pair.get((evaluator, c.pk)) for c in criteria]
            if criteria and None not in values:
                totals[evaluator] = sum(
                    v / scale * weights[c.pk] for v, c in zip(values, criteria, strict=True)
                )
                on_heaviest.append(by_pair[(evaluator, heaviest.pk)])
        complete = bool(evaluators) and len(totals) == len(evaluators)
        row = Ranked(application=application, score=None)
        if complete:
            row.by_evaluator = {k: v.quantize(CENT, ROUND_HALF_UP) for k, v in totals.items()}
            row.score = (sum(totals.values()) / len(totals)).quantize(CENT, ROUND_HALF_UP)
            row.heaviest = (sum(on_heaviest) / len(on_heaviest)).quantize(CENT, ROUND_HALF_UP)
        rows.append(row)
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)

    def order(row: Ranked):
        a = row.application
        return (
            row.score is None,
            -(row.score or 0),
            -(row.heaviest or 0),
            a.submitted_at or far,
            a.pk,
        )

    rows.sort(key=order)
    rank = 0
    for index, row in enumerate(rows):
        if row.score is None:
            continue
        rank += 1
        row.rank = rank
        tied = [
            other
            for other in rows
            if other is not row and other.score is not None and other.score == row.score
        ]
        if tied and heaviest is not None:
            before = [o for o in tied if rows.index(o) < index]
            if before:
                if any(o.heaviest != row.heaviest for o in before):
                    row.tie_note = _(
                        "Tied at %(score)s: placed after on the heaviest criterion (%(name)s)."
                    ) % {"score": row.score, "name": heaviest.name}
                else:
                    row.tie_note = _(
                        "Tied at %(score)s, also on the heaviest criterion: placed after as "
                        "submitted later."
                    ) % {"score": row.score}
            else:
                row.tie_note = _(
                    "Tied at %(score)s: placed first on the heaviest criterion (%(name)s) or "
                    "as submitted earlier."
                ) % {"score": row.score, "name": heaviest.name}
    return rows


@transaction.atomic
def application_select(*, application: Application, reason: str, user, on=None) -> Application:
    """Select a fully scored application, with a reason: the cluster (created first when the
    application is for a new initiative, led by the applicant BSO) is enrolled in the call's
    program from `on` (today by default)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    call = Call.objects.get(pk=application.call_id)
    if call.state != State.CLOSED:
        raise ValidationError(_("Applications are selected while the call is closed."))
    if application.state != AppState.SUBMITTED:
        raise ValidationError(_("Only a submitted application can be selected."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason of the selection.")})
    if not fully_scored(application):
        raise ValidationError(_("Every evaluator must score the application first."))
    on = on or timezone.localdate()
    cluster = application.cluster
    if cluster is None:
        cluster = cluster_create(
            data={
                "name": application.new_cluster_name,
                "country": application.new_cluster_country,
                "sector": application.new_cluster_sector,
                "sector_family": application.new_cluster_sector_family,
                "cluster_type": application.new_cluster_type,
                "initiative_origin": application.new_cluster_origin,
                "lifecycle_stage": LifecycleStage.EMERGING,
                "number_of_firms": application.declared_firms,
            }
        )
        support = ClusterSupport(
            bso=application.bso, cluster=cluster, role=ClusterSupport.Role.LEAD, since=on
        )
        support.full_clean()
        support.save()
    enrolment_create(
        program=call.program, data={"cluster": cluster, "enrolled_from": on}, user=user
    )
    application.cluster = cluster
    application.state = AppState.SELECTED
    application.selection_reason = reason.strip()
    application.save(update_fields=["cluster", "state", "selection_reason", "updated_at"])
    return application


def results_headers() -> list[str]:
    return [
        _("Rank"),
        _("Applicant"),
        _("BSO"),
        _("Submitted"),
        _("Score"),
        _("Heaviest criterion"),
        _("Tie"),
        _("State"),
        _("Reason"),
    ]


def results_rows(call: Call):
    for row in ranking(call):
        a = row.application
        yield [
            row.rank,
            a.applicant_name,
            a.bso.name,
            a.submitted_at,
            row.score,
            row.heaviest,
            row.tie_note,
            a.get_state_display(),
            a.selection_reason,
        ]
