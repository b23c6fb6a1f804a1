"""Pages of surveys: the list, a survey (versions, questions, rounds), its question builder,
XLSForm download and upload, a self-assessment's scores, rounds (responses, results with their
downloads, the response page that works on a phone, the ODK / KoBoToolbox CSV import) and a
response with the same respondent's answers in other rounds (the panel).

Signed-in users only; every survey, round and response comes through the user's scope
(surveys.selectors), so one outside it answers 404. Writing needs a field-data writer (BSO
staff of the cluster, administrators; shared surveys and rounds of no cluster: administrators).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scoped_relations import refuse_unknown_choices
from accounts.scopes import (
    bsos_in_scope,
    clusters_in_scope,
    firms_in_scope,
    is_admin,
    may_write_field_data,
)
from core.exports import FORMATS, export_response
from surveys import selectors, services
from surveys.downloads import XLSX, xlsform_download
from surveys.forms import (
    ImportForm,
    QuestionForm,
    ResponseForm,
    RoundForm,
    SurveyForm,
    XLSFormSurveyForm,
    XLSFormUploadForm,
)
from surveys.imports import responses_import
from surveys.models import Question, Round, Survey, SurveyVersion
from surveys.xlsform import XLSFormRefused, xlsform_read


def _survey(request, pk: int) -> Survey:
    return get_object_or_404(selectors.survey_detail(request.user), pk=pk)


def _writable_survey(request, pk: int) -> Survey:
    survey = _survey(request, pk)
    if not selectors.may_write_survey(request.user, survey):
        raise PermissionDenied(_("Only administrators change the shared surveys."))
    return survey


def _round(request, pk: int) -> Round:
    rounds = selectors.rounds_in_scope(request.user).select_related("version__survey", "cluster")
    return get_object_or_404(rounds, pk=pk)


def _apply_errors(form, error: ValidationError, prefix: str = "") -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        name = f"{prefix}{field}" if f"{prefix}{field}" in form.fields else field
        form.add_error(name if name in form.fields else None, errors)


@login_required
def survey_list(request):
    """Surveys of the user's scope (shared ones and their clusters'), with their rounds."""
    context = {
        "surveys": selectors.survey_list(request.user),
        "rounds": selectors.round_list(request.user)[:50],
        "may_write": may_write_field_data(request.user),
    }
    return render(request, "surveys/survey_list.html", context)


@login_required
def survey_create(request):
    if not may_write_field_data(request.user):
        raise PermissionDenied(_("Only BSO staff and administrators write surveys."))
    form = SurveyForm(request.POST or None, user=request.user)
    if request.method == "POST":
        refuse_unknown_choices(form, SurveyForm.scoped_choices)
        if form.is_valid():
            try:
                survey = services.survey_create(data=form.survey_data())
            except ValidationError as error:
                _apply_errors(form, error, "")
            else:
                messages.success(request, _("The survey was created: add its questions."))
                return redirect(survey)
    status = 400 if form.is_bound else 200
    return render(request, "surveys/survey_form.html", {"form": form}, status=status)


@login_required
def survey_import(request):
    """A new survey from an XLSForm file (pyxform checks it first)."""
    if not may_write_field_data(request.user):
        raise PermissionDenied(_("Only BSO staff and administrators write surveys."))
    form = XLSFormSurveyForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        refuse_unknown_choices(form, XLSFormSurveyForm.scoped_choices)
        if form.is_valid():
            try:
                read = xlsform_read(form.cleaned_data["file"])
                version = services.survey_from_xlsform(
                    read=read, data={"cluster": form.cleaned_data.get("cluster")}
                )
            except XLSFormRefused as refusal:
                form.add_error("file", str(refusal))
            except ValidationError as error:
                form.add_error("file", error.messages)
            else:
                _warn(request, read)
                messages.success(request, _("The survey was imported as a draft version."))
                return redirect(version.survey)
    context = {"form": form, "survey": None}
    status = 400 if form.is_bound else 200
    return render(request, "surveys/xlsform_upload.html", context, status=status)


def _warn(request, read) -> None:
    for warning in read.warnings:
        messages.warning(request, warning)


def _shown_version(survey: Survey, number) -> SurveyVersion | None:
    versions = list(survey.versions.all())
    if number:
        for version in versions:
            if str(version.number) == str(number):
                return version
    return versions[0] if versions else None


@login_required
def survey_detail(request, pk: int):
    """A survey: its versions, the questions of one (`?version=`, the latest by default), its
    rounds, and what the user may do with them."""
    survey = _survey(request, pk)
    version = _shown_version(survey, request.GET.get("version"))
    context = {
        "survey": survey,
        "version": version,
        "questions": selectors.version_questions(version) if version else [],
        "rounds": selectors.round_list(request.user).filter(version__survey=survey),
        "may_write": selectors.may_write_survey(request.user, survey),
        "may_open_round": may_write_field_data(request.user),
    }
    return render(request, "surveys/survey_detail.html", context)


@login_required
def survey_xlsform(request, pk: int):
    """The XLSForm of a version (`?version=`), with a round's choices (`?round=`)."""
    survey = _survey(request, pk)
    content, filename = xlsform_download(
        user=request.user,
        survey=survey,
        version=request.GET.get("version"),
        round_id=request.GET.get("round"),
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def version_import(request, pk: int):
    """A new draft version of a survey from an XLSForm file."""
    survey = _writable_survey(request, pk)
    form = XLSFormUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            read = xlsform_read(form.cleaned_data["file"])
            version = services.survey_from_xlsform(read=read, survey=survey)
        except XLSFormRefused as refusal:
            form.add_error("file", str(refusal))
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            _warn(request, read)
            messages.success(request, _("The XLSForm was read into a draft version."))
            return redirect(f"{survey.get_absolute_url()}?version={version.number}")
    context = {"form": form, "survey": survey}
    status = 400 if form.is_bound else 200
    return render(request, "surveys/xlsform_upload.html", context, status=status)


@login_required
@require_POST
def version_new(request, pk: int):
    survey = _writable_survey(request, pk)
    version = services.version_new(survey=survey)
    messages.success(
        request,
        _("Version %(n)d is a draft: change its questions, then publish it.")
        % {"n": version.number},
    )
    return redirect(f"{survey.get_absolute_url()}?version={version.number}")


@login_required
@require_POST
def version_publish(request, pk: int, number: int):
    survey = _writable_survey(request, pk)
    version = get_object_or_404(survey.versions.all(), number=number)
    try:
        services.version_publish(version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Version %(n)d is published: rounds may run it.") % {"n": number}
        )
    return redirect(f"{survey.get_absolute_url()}?version={number}")


def _draft(request, pk: int, number: int) -> SurveyVersion:
    survey = _writable_survey(request, pk)
    version = get_object_or_404(survey.versions.select_related("survey"), number=number)
    if not version.is_draft:
        raise PermissionDenied(_("A published version does not change: make a new version."))
    return version


@login_required
def question_form(request, pk: int, number: int, question_pk: int | None = None):
    """Add a question to a draft version, or change one."""
    version = _draft(request, pk, number)
    question = None
    if question_pk is not None:
        question = get_object_or_404(version.questions.prefetch_related("choices"), pk=question_pk)
    initial = QuestionForm.initial_of(question) if question else None
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(
                version=version,
                data=form.question_data(),
                choices=form.cleaned_data["choices"],
                question=question,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The question was saved."))
            return redirect(f"{version.survey.get_absolute_url()}?version={version.number}")
    context = {"form": form, "version": version, "survey": version.survey, "question": question}
    status = 400 if form.is_bound else 200
    return render(request, "surveys/question_form.html", context, status=status)


@login_required
@require_POST
def question_delete(request, pk: int, number: int, question_pk: int):
    version = _draft(request, pk, number)
    question = get_object_or_404(version.questions.all(), pk=question_pk)
    services.question_delete(question=question)
    messages.success(request, _("The question was removed."))
    return redirect(f"{version.survey.get_absolute_url()}?version={version.number}")


@login_required
def survey_scores(request, pk: int):
    """A self-assessment's scores per dimension, compared over rounds and with the clusters
    answering each round (hidden under three)."""
    survey = _survey(request, pk)
    columns, rows = selectors.dimension_scores(survey, request.user)
    context = {"survey": survey, "columns": columns, "rows": rows, "min_group": selectors.MIN_GROUP}
    return render(request, "surveys/survey_scores.html", context)


# --- Rounds ----------------------------------------------------------------------------------


@login_required
def round_create(request, pk: int):
    """Open a round of a survey's published version."""
    if not may_write_field_data(request.user):
        raise PermissionDenied(_("Only BSO staff and administrators open rounds."))
    survey = _survey(request, pk)
    form = RoundForm(request.POST or None, survey=survey, user=request.user)
    if request.method == "POST":
        refuse_unknown_choices(form, RoundForm.scoped_choices)
        if form.is_valid():
            try:
                round_ = services.round_create(data=form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The round is open."))
                return redirect(round_)
    status = 400 if form.is_bound else 200
    context = {"form": form, "survey": survey}
    return render(request, "surveys/round_form.html", context, status=status)


@login_required
def round_detail(request, pk: int):
    """A round: its dates and respondents, the responses of the user's scope, and links to
    enter, import, download and read the results."""
    round_ = _round(request, pk)
    context = {
        "round": round_,
        "survey": round_.version.survey,
        "responses": selectors.round_responses(round_, request.user),
        "may_write": may_write_field_data(request.user)
        and (round_.cluster_id is None or selectors.may_write_round(request.user, round_)),
    }
    return render(request, "surveys/round_detail.html", context)


@login_required
def round_results(request, pk: int):
    """Results per question over the responses of the user's scope, with breakdowns; groups
    under three are hidden. `?format=csv|xlsx` downloads the same figures."""
    round_ = _round(request, pk)
    results = selectors.round_results(round_, selectors.responses_in_scope(request.user))
    if request.GET.get("format") in FORMATS:
        return export_response(
            headers=selectors.results_csv_headers(),
            rows=selectors.results_csv_rows(results),
            filename=f"results-{round_.pk}",
            fmt=request.GET["format"],
        )
    context = {
        "round": round_,
        "survey": round_.version.survey,
        "results": results,
        "min_group": selectors.MIN_GROUP,
    }
    return render(request, "surveys/round_results.html", context)


def _require_round_writer(request, round_: Round) -> None:
    allowed = may_write_field_data(request.user) and (
        round_.cluster_id is None or selectors.may_write_round(request.user, round_)
    )
    if not allowed:
        raise PermissionDenied(_("Only BSO staff of the round's cluster record its responses."))


@login_required
def response_new(request, pk: int):
    """Enter one response on a page (laid out for a phone)."""
    round_ = _round(request, pk)
    _require_round_writer(request, round_)
    firms, bsos = selectors.respondent_candidates(round_, request.user)
    respondents = [("firm", f.pk, f.name) for f in firms] + [("bso", b.pk, b.name) for b in bsos]
    partner_firms, partner_bsos = selectors.cooperation_partners(round_, request.user)
    partners = [("firm", f.pk, f.name) for f in partner_firms]
    partners += [("bso", b.pk, b.name) for b in partner_bsos]
    questions = list(selectors.version_questions(round_.version))
    form = ResponseForm(
        request.POST or None,
        round_=round_,
        questions=questions,
        respondents=respondents,
        partners=partners,
        user=request.user,
    )
    if request.method == "POST":
        refuse_unknown_choices(form, ["cluster"] if "cluster" in form.fields else [])
        if form.is_valid():
            data = form.cleaned_data
            firm = bso = None
            key = data.get("respondent") or ""
            if key.startswith("firm_"):
                firm = firms.get(pk=int(key[5:]))
            elif key.startswith("bso_"):
                bso = bsos.get(pk=int(key[4:]))
            item = services.ResponseInput(
                answers=form.answers(),
                firm=firm,
                bso=bso,
                person=data.get("person", ""),
                sex=data.get("sex", ""),
                cluster=data.get("cluster"),
                answered_on=data["answered_on"],
            )
            try:
                response = services.response_record(round_=round_, item=item, user=request.user)
            except ValidationError as error:
                _apply_errors(form, error, "q_")
            else:
                messages.success(request, _("The response was saved."))
                if "another" in request.POST:
                    return redirect("response-new", pk=round_.pk)
                return redirect(response)
    status = 400 if form.is_bound else 200
    context = {"form": form, "round": round_, "survey": round_.version.survey}
    return render(request, "surveys/response_form.html", context, status=status)


@login_required
def response_import(request, pk: int):
    """Import the responses of an ODK / KoBoToolbox CSV export: every row or none."""
    round_ = _round(request, pk)
    _require_round_writer(request, round_)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        result = responses_import(
            file=form.cleaned_data["file"],
            round_=round_,
            clusters=clusters_in_scope(request.user),
            firms=firms_in_scope(request.user),
            bsos=bsos_in_scope(request.user),
            user=request.user,
        )
        if result.ok:
            messages.success(request, _("%(n)d responses were imported.") % {"n": result.saved})
            return redirect(round_)
        errors = result.errors
    refused = bool(errors) or (form.is_bound and not form.is_valid())
    context = {"form": form, "round": round_, "survey": round_.version.survey, "errors": errors}
    return render(request, "surveys/response_import.html", context, status=400 if refused else 200)


@login_required
def response_detail(request, pk: int):
    """A response's answers, and the same respondent's responses in the survey's other rounds
    (the panel, by the registry's id)."""
    response = get_object_or_404(
        selectors.response_list(request.user).select_related("round__version__survey"), pk=pk
    )
    context = {
        "response": response,
        "round": response.round,
        "survey": response.round.version.survey,
        "answers": response.answers.all(),
        "panel": selectors.panel(response, request.user),
        "kinds": Question.Kind,
        "may_delete": selectors.may_write_round(request.user, response.round)
        or (is_admin(request.user)),
    }
    return render(request, "surveys/response_detail.html", context)


@login_required
@require_POST
def response_delete(request, pk: int):
    response = get_object_or_404(selectors.responses_in_scope(request.user), pk=pk)
    round_ = response.round
    _require_round_writer(request, round_)
    services.response_delete(response=response)
    messages.success(request, _("The response was deleted."))
    return redirect(round_)
