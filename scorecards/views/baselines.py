"""A cluster's baselines, one row per KPI of its scorecard, saved at once by
scorecards.services.baselines_set (BSO staff and program officers in scope, administrators;
the API's baseline_set keeps the same rule). An out-of-scope cluster answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.scopes import clusters_in_scope
from core.errors import ConflictError, PermissionDenied
from scorecards import selectors
from scorecards.grids import BaselineGridForm
from scorecards.services import baselines_set, may_set_baselines


@login_required
def baseline_grid(request, pk: int):
    cluster = get_object_or_404(clusters_in_scope(request.user).select_related("country"), pk=pk)
    if not may_set_baselines(request.user):
        raise DjangoPermissionDenied(_("Your role cannot set baselines."))
    scorecard = selectors.current_scorecard(cluster_id=cluster.pk)
    kpis = selectors.scorecard_kpis(scorecard=scorecard) if scorecard else []
    baselines = list(selectors.baselines_of(cluster_id=cluster.pk, kpis=kpis))
    form = BaselineGridForm(request.POST or None, kpis=kpis, baselines=baselines)
    if request.method == "POST" and form.is_valid():
        try:
            changed = baselines_set(cluster=cluster, cells=form.cells(), user=request.user)
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
        except (PermissionDenied, ConflictError) as error:
            form.add_error(None, str(error))
        else:
            if changed:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d baseline saved. Totals of %(kpis)s were marked stale, to be "
                        "recomputed in the background.",
                        "%(n)d baselines saved. Totals of %(kpis)s were marked stale, to be "
                        "recomputed in the background.",
                        len(changed),
                    )
                    % {"n": len(changed), "kpis": ", ".join(kpi.name for kpi in changed)},
                )
            else:
                messages.info(request, _("Nothing changed: no baseline was saved."))
            return redirect("baseline-grid", cluster.pk)
    context = {"cluster": cluster, "scorecard": scorecard, "form": form}
    status = 400 if form.errors else 200
    return render(request, "scorecards/baseline_grid.html", context, status=status)
