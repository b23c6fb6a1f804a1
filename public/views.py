"""Publication pages: a cluster's choice to publish its results (BSO staff and administrators,
in scope), and the program's IATI file to download (anyone who reads the program).

Views parse input, call one service and render; the rules are in public.services, and what is
published in public.selectors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.scopes import clusters_in_scope, may_write_field_data, scope_programs
from core.history.views import history_page
from programs.models import Program
from public import iati, selectors, services
from public.forms import PublicationForm
from public.models import Publication

XML = "application/xml"


def iati_response(program: Program) -> HttpResponse:
    """The IATI file as a download named after its identifier."""
    response = HttpResponse(iati.activity_file(program), content_type=f"{XML}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="iati-{program.code}.xml"'
    return response


@login_required
def program_iati(request, pk: int):
    program = get_object_or_404(scope_programs(Program.objects.all(), request.user), pk=pk)
    return iati_response(program)


@login_required
def cluster_publication(request, pk: int):
    """Publish the cluster's results (naming the steering committee's decision), stop, and
    choose the KPIs kept unpublished."""
    cluster = get_object_or_404(clusters_in_scope(request.user).select_related("country"), pk=pk)
    if not may_write_field_data(request.user):
        raise PermissionDenied(_("Only the cluster's BSO staff publish its results."))
    publication = selectors.publication_of(cluster)
    form = PublicationForm(request.POST or None, cluster=cluster, publication=publication)
    if form.is_valid():
        try:
            services.publication_set(cluster=cluster, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.cleaned_data["published"]:
                messages.success(request, _("The cluster's results are published."))
            else:
                messages.success(request, _("The cluster's results are not published."))
            return redirect("cluster-publication", pk=cluster.pk)
    context = {"cluster": cluster, "publication": publication, "form": form}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "public/publication.html", context, status=status)


@login_required
def cluster_publication_history(request, pk: int):
    """Who switched the cluster's publication on and off, naming which decision, and when."""
    cluster = get_object_or_404(clusters_in_scope(request.user), pk=pk)
    publication = get_object_or_404(Publication, cluster=cluster)
    return history_page(
        request, publication, back_url=reverse("cluster-publication", args=[cluster.pk])
    )
