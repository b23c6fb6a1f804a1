"""Writes of surveys: questionnaires and their versions, questions, rounds and responses.

Who may write what is the caller's to check (accounts' scope, in the pages and the API), as for
every room below accounts; these functions keep the rules of the rows themselves: a published
version never changes, a round runs a published version, an answer fits its question, and a
set of responses (a CSV import) is saved whole or not at all.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bsos.models import BSO
from clusters.models import Cluster
from core.services import model_update
from firms.models import Firm
from surveys.answers import parse_answer
from surveys.models import Answer, Choice, Question, Response, Round, Survey, SurveyVersion, Tie

SURVEY_FIELDS = ("code", "titles", "kind", "cluster")
ROUND_FIELDS = ("version", "title", "cluster", "audience", "starts_on", "ends_on")
QUESTION_FIELDS = ("name", "kind", "labels", "hints", "required", "section", "position")


# --- Questionnaires --------------------------------------------------------------------------


@transaction.atomic
def survey_create(*, data: dict[str, Any]) -> Survey:
    """Create a survey and its first version (a draft, without questions)."""
    survey = Survey(**{k: v for k, v in data.items() if k in SURVEY_FIELDS})
    survey.full_clean()
    survey.save()
    SurveyVersion.objects.create(survey=survey, number=1)
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, data: dict[str, Any]) -> Survey:
    """Change a survey's code, title or kind (its questions change in a version)."""
    survey, _changed = model_update(instance=survey, data=data, fields=["code", "titles", "kind"])
    return survey


def _draft(version: SurveyVersion) -> None:
    if not version.is_draft:
        raise ValidationError(
            _("Version %(n)d is published: make a new version to change its questions.")
            % {"n": version.number}
        )


@transaction.atomic
def version_new(*, survey: Survey) -> SurveyVersion:
    """A new draft version holding a copy of the latest version's questions and choices; the
    latest version, if it is a draft, is returned as it is."""
    latest = survey.versions.order_by("-number").first()
    if latest is not None and latest.is_draft:
        return latest
    number = (latest.number if latest else 0) + 1
    version = SurveyVersion.objects.create(
        survey=survey, number=number, sections=dict(latest.sections) if latest else {}
    )
    if latest is not None:
        for question in latest.questions.prefetch_related("choices"):
            choices = list(question.choices.all())
            question.pk = None
            question.version = version
            question.save()
            Choice.objects.bulk_create(
                Choice(question=question, position=c.position, name=c.name, labels=c.labels)
                for c in choices
            )
    return version


@transaction.atomic
def version_publish(*, version: SurveyVersion) -> SurveyVersion:
    """Publish a draft version: rounds may run it, and it no longer changes."""
    _draft(version)
    if not version.questions.exists():
        raise ValidationError(_("A version without questions cannot be published."))
    version.status = SurveyVersion.Status.PUBLISHED
    version.save(update_fields=["status", "updated_at"])
    return version


def _check_choices(kind: str, choices: Sequence[dict]) -> None:
    names = [c["name"] for c in choices]
    if kind in (Question.Kind.ONE_OF, Question.Kind.SEVERAL_OF) and len(names) < 2:
        raise ValidationError({"choices": _("Give at least two choices.")})
    if len(set(names)) != len(names):
        raise ValidationError({"choices": _("Each choice needs a name of its own.")})
    for name in names:
        if not name or " " in name:
            raise ValidationError(
                {"choices": _("A choice's name is one word (letters, digits, underscores).")}
            )


def _check_names(version: SurveyVersion, question: Question) -> None:
    """A section and a question may not share a name: the XLSForm's groups and questions are
    named in one namespace (pyxform refuses the form)."""
    others = version.questions.exclude(pk=question.pk)
    if question.section and others.filter(name=question.section).exists():
        raise ValidationError({"section": _("A question already has this name.")})
    if others.filter(section=question.name).exists():
        raise ValidationError({"name": _("A section already has this name.")})


@transaction.atomic
def question_save(
    *,
    version: SurveyVersion,
    data: dict[str, Any],
    choices: Sequence[dict] = (),
    question: Question | None = None,
) -> Question:
    """Add a question to a draft version (at the end unless a position is given), or change one;
    `choices` ({"name", "labels"}) replace its choices (one of, several of)."""
    _draft(version)
    data = {k: v for k, v in data.items() if k in QUESTION_FIELDS}
    if question is None:
        question = Question(version=version)
        if "position" not in data:
            last = version.questions.aggregate(last=Max("position"))["last"]
            data["position"] = (last or 0) + 1
    for name, value in data.items():
        setattr(question, name, value)
    if not question.has_choices:
        choices = ()
    _check_choices(question.kind, choices)
    _check_names(version, question)
    question.full_clean()
    question.save()
    question.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(question=question, position=i, name=c["name"], labels=c.get("labels") or {})
        for i, c in enumerate(choices, start=1)
    )
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    _draft(question.version)
    question.delete()


@transaction.atomic
def version_fill(
    *, version: SurveyVersion, questions: Sequence[dict], sections: dict[str, dict]
) -> SurveyVersion:
    """Replace a draft version's questions (an XLSForm import): each {"name", "kind", "labels",
    "hints", "required", "section", "choices": [{"name", "labels"}]}."""
    _draft(version)
    version.questions.all().delete()
    version.sections = sections
    version.save(update_fields=["sections", "updated_at"])
    for position, item in enumerate(questions, start=1):
        data = {k: v for k, v in item.items() if k != "choices"}
        question_save(
            version=version,
            data={**data, "position": position},
            choices=item.get("choices", ()),
        )
    return version


# --- Rounds ----------------------------------------------------------------------------------


def _check_round(round_: Round) -> None:
    if round_.version_id and round_.version.is_draft:
        raise ValidationError({"version": _("A round runs a published version.")})


@transaction.atomic
def round_create(*, data: dict[str, Any]) -> Round:
    """Open a round of a published version over a span of dates."""
    round_ = Round(**{k: v for k, v in data.items() if k in ROUND_FIELDS})
    round_.full_clean()
    _check_round(round_)
    round_.save()
    return round_


@transaction.atomic
def round_update(*, round_: Round, data: dict[str, Any]) -> Round:
    """Change a round's title and dates (its version, cluster and respondents stay)."""
    round_, _changed = model_update(
        instance=round_, data=data, fields=["title", "starts_on", "ends_on"]
    )
    return round_


# --- Responses -------------------------------------------------------------------------------


@dataclass
class ResponseInput:
    """One response to record: its respondent (a firm, an organisation, or a person's name), the
    cluster it counts in (the round's when the round has one), and answers by question name."""

    answers: dict[str, Any]
    firm: Firm | None = None
    bso: BSO | None = None
    person: str = ""
    sex: str = ""
    cluster: Cluster | None = None
    answered_on: datetime.date | None = None
    external_id: str = ""


@dataclass
class Built:
    response: Response
    answers: list[tuple[Answer, list[Tie]]] = field(default_factory=list)


def _questions(round_: Round) -> list[Question]:
    return list(round_.version.questions.prefetch_related("choices"))


def response_build(
    *, round_: Round, item: ResponseInput, questions: list[Question], source: str, user=None
) -> Built:
    """The response and its answers, unsaved; ValidationError names each field (respondent
    fields, or the question's name) with what is wrong. Makes no query of its own but the
    model's uniqueness checks."""
    errors: dict[str, list[str]] = {}
    cluster = round_.cluster or item.cluster
    if round_.cluster_id and item.cluster and item.cluster.pk != round_.cluster_id:
        errors.setdefault("cluster", []).append(
            _("This round asks the respondents of its cluster.")
        )
    if cluster is None:
        errors.setdefault("cluster", []).append(_("Name the cluster the respondent belongs to."))
    if item.firm and item.bso:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _("A respondent is a firm or an organisation, not both.")
        )
    response = Response(
        round=round_,
        cluster=cluster,
        firm=item.firm,
        bso=item.bso,
        person=(item.person or "").strip(),
        sex=item.sex or "",
        answered_on=item.answered_on or timezone.localdate(),
        source=source,
        external_id=(item.external_id or "").strip(),
        entered_by=user if getattr(user, "is_authenticated", False) else None,
    )
    built = Built(response=response)
    known = {q.name for q in questions}
    for name in item.answers:
        if name not in known:
            errors.setdefault(name, []).append(_("No question of this survey has this name."))
    for question in questions:
        raw = item.answers.get(question.name)
        try:
            parsed = parse_answer(question, raw, [c.name for c in question.choices.all()])
        except ValueError as error:
            errors.setdefault(question.name, []).append(str(error))
            continue
        if parsed is None:
            if question.required:
                errors.setdefault(question.name, []).append(_("This question must be answered."))
            continue
        answer = Answer(
            response=response,
            question=question,
            text=parsed.text,
            number=parsed.number,
            choices=parsed.choices,
        )
        ties = [
            Tie(
                answer=answer,
                firm_id=pk if kind == "firm" else None,
                bso_id=pk if kind == "bso" else None,
            )
            for kind, pk in parsed.partners
        ]
        built.answers.append((answer, ties))
    if not errors:
        try:
            response.full_clean(exclude=["entered_by"])
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return built


def _partners_exist(builts: Sequence[Built]) -> dict[int, dict[str, list[str]]]:
    """Index of a built response -> errors for partners that are not in the registry (two
    queries for all of them)."""
    firm_ids = {t.firm_id for b in builts for _a, ties in b.answers for t in ties if t.firm_id}
    bso_ids = {t.bso_id for b in builts for _a, ties in b.answers for t in ties if t.bso_id}
    firms = set(Firm.objects.filter(pk__in=firm_ids).values_list("pk", flat=True))
    bsos = set(BSO.objects.filter(pk__in=bso_ids).values_list("pk", flat=True))
    errors: dict[int, dict[str, list[str]]] = {}
    for index, built in enumerate(builts):
        for answer, ties in built.answers:
            missing = [f"firm_{t.firm_id}" for t in ties if t.firm_id and t.firm_id not in firms]
            missing += [f"bso_{t.bso_id}" for t in ties if t.bso_id and t.bso_id not in bsos]
            if missing:
                errors.setdefault(index, {}).setdefault(answer.question.name, []).append(
                    _("Not in the registry: %(ids)s.") % {"ids": ", ".join(missing)}
                )
    return errors


def _save(builts: Sequence[Built]) -> list[Response]:
    responses = Response.objects.bulk_create([b.response for b in builts])
    answers = []
    for built, response in zip(builts, responses, strict=True):
        for answer, _ties in built.answers:
            answer.response = response
            answers.append(answer)
    Answer.objects.bulk_create(answers)
    ties = []
    for built in builts:
        for answer, answer_ties in built.answers:
            for tie in answer_ties:
                tie.answer = answer
                ties.append(tie)
    Tie.objects.bulk_create(ties)
    return responses


def _duplicates(items: Sequence[ResponseInput]) -> dict[int, dict[str, list[str]]]:
    """Two rows of one upload naming the same firm, organisation or submission."""
    seen: dict[tuple, int] = {}
    errors: dict[int, dict[str, list[str]]] = {}
    for index, item in enumerate(items):
        keys = []
        if item.firm:
            keys.append(("firm", item.firm.pk))
        if item.bso:
            keys.append(("bso", item.bso.pk, item.cluster.pk if item.cluster else None))
        if item.external_id:
            keys.append(("external_id", item.external_id))
        for key in keys:
            if key in seen:
                errors.setdefault(index, {}).setdefault(NON_FIELD_ERRORS, []).append(
                    _("The same respondent or submission as in another row of the file.")
                )
            seen.setdefault(key, index)
    return errors


@transaction.atomic
def responses_create(
    *, round_: Round, items: Sequence[ResponseInput], source: str, user=None, save: bool = True
) -> tuple[list[Response], dict[int, dict[str, list[str]]]]:
    """Record every response or none: (saved responses, {}) or ([], index -> field -> errors).
    With save=False only check them (an import whose rows already have other problems)."""
    questions = _questions(round_)
    builts: list[Built] = []
    errors = _duplicates(items)
    for index, item in enumerate(items):
        try:
            builts.append(
                response_build(
                    round_=round_, item=item, questions=questions, source=source, user=user
                )
            )
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(index, {}).setdefault(key, []).extend(messages)
    if not errors:
        errors = _partners_exist(builts)
    if errors or not save:
        return [], errors
    return _save(builts), {}


def response_record(
    *, round_: Round, item: ResponseInput, source: str = Response.Source.PAGE, user=None
) -> Response:
    """Record one response (a page, the API); ValidationError names what is wrong."""
    saved, errors = responses_create(round_=round_, items=[item], source=source, user=user)
    if errors:
        raise ValidationError(errors[0])
    return saved[0]


@transaction.atomic
def response_delete(*, response: Response) -> None:
    response.delete()


# --- XLSForm ---------------------------------------------------------------------------------


@transaction.atomic
def survey_from_xlsform(*, read, survey: Survey | None = None, data: dict | None = None):
    """The questions of a read XLSForm (surveys.xlsform.xlsform_read) as a new draft version of
    `survey`, or as a new survey (its code and title from the form unless `data` gives them).
    Returns the draft version."""
    if survey is None:
        fields = {"code": read.code, "titles": {"en": read.title or read.code}}
        fields.update({k: v for k, v in (data or {}).items() if v not in (None, "", {})})
        survey = survey_create(data=fields)
    version = version_new(survey=survey)
    try:
        return version_fill(version=version, questions=read.questions, sections=read.sections)
    except ValidationError as error:
        raise ValidationError(_xlsform_errors(error, read)) from None


def _xlsform_errors(error: ValidationError, read) -> list[str]:
    if not hasattr(error, "error_dict"):
        return error.messages
    return [f"{key}: {' '.join(messages)}" for key, messages in error.message_dict.items()]
