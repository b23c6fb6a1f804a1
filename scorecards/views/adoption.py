"""A cluster adopts a scorecard template version from a date on: program officers in scope
and administrators, through scorecards.services.scorecard_adopt (as the API does). An
out-of-scope cluster answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.scopes import clusters_in_scope, may_review
from core.errors import PermissionDenied
from scorecards import selectors
from scorecards.forms import AdoptionForm, add_service_error
from scorecards.services import scorecard_adopt


@login_required
def scorecard_adopt_page(request, pk: int):
    cluster = get_object_or_404(clusters_in_scope(request.user).select_related("country"), pk=pk)
    if not may_review(request.user):
        raise DjangoPermissionDenied(
            _("Only program officers and administrators adopt a scorecard for a cluster.")
        )
    current = selectors.current_scorecard(cluster_id=cluster.pk)
    form = AdoptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scorecard = scorecard_adopt(
                cluster=cluster,
                template=form.cleaned_data["template"],
                on=form.cleaned_data["adopted_on"],
                user=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(cluster)s measures itself with %(template)s from %(date)s on.")
                % {
                    "cluster": cluster.name,
                    "template": scorecard.template.name,
                    "date": scorecard.adopted_on,
                },
            )
            return redirect("cluster-scorecard", cluster.pk)
    context = {"cluster": cluster, "current": current, "form": form}
    status = 400 if form.errors else 200
    return render(request, "scorecards/adopt.html", context, status=status)
