"""Knowledge exchange pages: BSO staff write case studies and exchange visits of the clusters in
their scope (/exchange/...); anyone reads the published ones (/knowledge/...), with a search.

Views parse input, call one service or selector and render; the rules are in
public.exchange.services, what is public in public.exchange.selectors. Outside the scope (or
unpublished, on the public pages) answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scopes import clusters_in_scope, may_write_field_data
from core.errors import PermissionDenied
from core.uploads import ATTACHMENT_TYPES
from public.exchange import selectors, services
from public.exchange.forms import CaseStudyForm, ImageForm, VisitForm
from public.exchange.models import CaseStudyImage

PAGE_SIZE = 20


def _writer(request) -> None:
    if not may_write_field_data(request.user):
        raise Http404


# --- BSO staff ----------------------------------------------------------------------------------


@login_required
def exchange_home(request):
    """The case studies and visits of the user's clusters, published or not."""
    context = {
        "case_studies": selectors.case_studies_in_scope(request.user)[:100],
        "visits": selectors.visits_in_scope(request.user)[:100],
        "may_write": may_write_field_data(request.user),
    }
    return render(request, "public/exchange/home.html", context)


def _case_study_form(request, case_study=None):
    form = CaseStudyForm(request.POST or None, instance=case_study, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case_study = services.case_study_save(
                data=data,
                topics=data["topics"],
                kpis=data["kpis"],
                user=request.user,
                case_study=case_study,
            )
            services.case_study_publish(
                case_study=case_study, published=data["published"], user=request.user
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("The case study is saved."))
            return redirect("case-study-edit", pk=case_study.pk)
    context = {
        "form": form,
        "case_study": case_study,
        "image_form": ImageForm() if case_study else None,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "public/exchange/case_study_form.html", context, status=status)


@login_required
def case_study_new(request):
    _writer(request)
    return _case_study_form(request)


@login_required
def case_study_edit(request, pk: int):
    _writer(request)
    case_study = get_object_or_404(selectors.case_studies_in_scope(request.user), pk=pk)
    return _case_study_form(request, case_study)


@login_required
@require_POST
def case_study_image_add(request, pk: int):
    _writer(request)
    case_study = get_object_or_404(selectors.case_studies_in_scope(request.user), pk=pk)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.case_study_image_add(
                case_study=case_study,
                file=form.cleaned_data["file"],
                alt_text=form.cleaned_data["alt_text"],
                caption=form.cleaned_data["caption"],
                user=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The image is added."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("case-study-edit", pk=case_study.pk)


def _visit_form(request, visit=None):
    form = VisitForm(request.POST or None, instance=visit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_save(data=data, user=request.user, visit=visit)
            services.visit_publish(visit=visit, published=data["published"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            form.add_error("visitor", _("The visiting or the host cluster must be in your scope."))
        else:
            messages.success(request, _("The exchange visit is saved."))
            return redirect("exchange-visit-edit", pk=visit.pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "visit": visit}
    return render(request, "public/exchange/visit_form.html", context, status=status)


@login_required
def visit_new(request):
    _writer(request)
    return _visit_form(request)


@login_required
def visit_edit(request, pk: int):
    _writer(request)
    visit = get_object_or_404(selectors.visits_in_scope(request.user), pk=pk)
    return _visit_form(request, visit)


@login_required
@require_POST
def visit_log(request, pk: int):
    """Log the visit as an activity of each of its clusters in scope that has none yet."""
    _writer(request)
    visit = get_object_or_404(selectors.visits_in_scope(request.user), pk=pk)
    try:
        logged = services.visit_log_activities(visit=visit, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        if logged:
            messages.success(
                request,
                _("Logged as an activity of: %(clusters)s.")
                % {"clusters": ", ".join(a.cluster.name for a in logged)},
            )
        else:
            messages.info(request, _("Nothing left to log: each cluster has its activity."))
    return redirect("exchange-visit-edit", pk=visit.pk)


# --- Anyone -------------------------------------------------------------------------------------


def knowledge_index(request):
    """Published case studies and exchange visits, searchable (`q`) and by topic."""
    search = request.GET.get("q", "")[:200]
    topic = request.GET.get("topic", "")[:40]
    case_studies = selectors.published_case_studies(search=search, topic=topic)
    visits = selectors.published_visits(search=search) if not topic else None
    context = {
        "search": search,
        "topic": topic,
        "topics": selectors.topic_list(),
        "case_studies": Paginator(case_studies, PAGE_SIZE).get_page(request.GET.get("page")),
        "visits": visits[: selectors.PUBLIC_INDEX_SIZE] if visits is not None else [],
    }
    return render(request, "public/exchange/index.html", context)


def case_study_detail(request, pk: int):
    case_study = get_object_or_404(selectors.published_case_study(pk))
    return render(request, "public/exchange/case_study.html", {"case_study": case_study})


def visit_detail(request, pk: int):
    visit = get_object_or_404(selectors.visit_list().published(), pk=pk)
    return render(request, "public/exchange/visit.html", {"visit": visit})


def case_study_image(request, pk: int):
    """An image of a published case study, or of one in the user's scope."""
    image = get_object_or_404(CaseStudyImage.objects.select_related("case_study"), pk=pk)
    case_study = image.case_study
    if not case_study.published and not (
        clusters_in_scope(request.user).filter(pk=case_study.cluster_id).exists()
    ):
        raise Http404
    response = FileResponse(image.file.open("rb"), content_type=ATTACHMENT_TYPES[image.extension])
    response["X-Content-Type-Options"] = "nosniff"
    return response
