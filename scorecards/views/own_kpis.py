"""Pages of a cluster's own KPIs: a BSO proposes one from the cluster's scorecard (and edits
it while it waits); a program
officer accepts or rejects it (with a reason) from the review queue. Both call the services
the API calls (scorecards.services.own_kpi_propose, own_kpi_decide); every object comes
through the user's scope, so an out-of-scope one is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.scopes import clusters_in_scope, may_review, may_write_field_data, scope_queryset
from core.errors import PermissionDenied
from scorecards import selectors, services
from scorecards.forms import OwnKPIDecisionForm, OwnKPIForm, add_service_error
from scorecards.models import KPI


@login_required
def own_kpi_new(request, pk: int):
    cluster = get_object_or_404(clusters_in_scope(request.user).select_related("country"), pk=pk)
    if not may_write_field_data(request.user):
        raise DjangoPermissionDenied(_("Only BSO staff propose a cluster's own KPIs."))
    scorecard = selectors.current_scorecard(cluster_id=cluster.pk)
    if scorecard is None:
        messages.error(request, _("The cluster has adopted no scorecard yet."))
        return redirect("cluster-scorecard", cluster.pk)
    form = OwnKPIForm(request.POST or None, scorecard=scorecard)
    if request.method == "POST" and form.is_valid():
        try:
            kpi = services.own_kpi_propose(
                scorecard=scorecard,
                csf=form.cleaned_data["csf"],
                data=form.service_data(),
                user=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(kpi)s was proposed: a program officer accepts or rejects it.")
                % {"kpi": kpi.name},
            )
            return redirect(reverse("cluster-scorecard", args=[cluster.pk]) + "#own-kpis")
    context = {"cluster": cluster, "scorecard": scorecard, "form": form}
    status = 400 if form.errors else 200
    return render(request, "scorecards/own_kpi_form.html", context, status=status)


@login_required
def own_kpi_edit(request, pk: int):
    """BSO staff edit a proposal of a cluster in their scope while it waits for a decision."""
    kpi = get_object_or_404(
        scope_queryset(KPI.objects.filter(cluster__isnull=False), request.user).select_related(
            "cluster__country"
        ),
        pk=pk,
    )
    if not may_write_field_data(request.user):
        raise DjangoPermissionDenied(_("Only BSO staff edit a cluster's own KPIs."))
    # the form validates a copy: the service compares the KPI as saved with what was typed
    form = OwnKPIForm(request.POST or None, instance=KPI.objects.get(pk=kpi.pk), scorecard=None)
    if request.method == "POST" and form.is_valid():
        try:
            services.own_kpi_edit(kpi=kpi, data=form.service_data(), user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(kpi)s was saved.") % {"kpi": kpi.name})
            return redirect("own-kpi-review", kpi.pk)
    context = {"cluster": kpi.cluster, "kpi": kpi, "form": form}
    status = 400 if form.errors else 200
    return render(request, "scorecards/own_kpi_form.html", context, status=status)


@login_required
def own_kpi_review(request, pk: int):
    """A proposed own KPI, and (for program officers) the form that decides on it."""
    kpis = scope_queryset(
        KPI.objects.filter(cluster__isnull=False).select_related(
            "cluster", "proposed_by", "decided_by", "own_placement__csf__perspective"
        ),
        request.user,
    )
    kpi = get_object_or_404(kpis, pk=pk)
    deciding = may_review(request.user) and kpi.status == KPI.Status.PROPOSED
    form = OwnKPIDecisionForm(request.POST or None) if deciding else None
    if request.method == "POST":
        if form is None:
            raise DjangoPermissionDenied(
                _("Only program officers and administrators accept or reject a proposed KPI.")
            )
        if form.is_valid():
            accept = form.cleaned_data["decision"] == "accept"
            try:
                services.own_kpi_decide(
                    kpi=kpi, accept=accept, user=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_service_error(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                done = _("%(kpi)s was accepted.") if accept else _("%(kpi)s was rejected.")
                messages.success(request, done % {"kpi": kpi.name})
                return redirect("review-queue")
    status = 400 if form is not None and form.errors else 200
    context = {
        "kpi": kpi,
        "form": form,
        "editable": may_write_field_data(request.user) and kpi.status == KPI.Status.PROPOSED,
    }
    return render(request, "scorecards/own_kpi_review.html", context, status=status)
