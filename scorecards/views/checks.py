"""Pages of the KPIs' data-quality rules: the KPIs whose rules the user sets (administrators:
every KPI; program officers: the own KPIs of the clusters in their scope), and one KPI's rules.
The service (scorecards.services.kpi_checks_set) decides who may set them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.scopes import is_admin, may_review, scope_queryset
from core.errors import PermissionDenied
from scorecards import selectors, services
from scorecards.forms import KPIChecksForm, add_service_error
from scorecards.models import checks_of

PAGE_SIZE = 100


def _settable(user):
    kpis = selectors.kpis_with_checks()
    if is_admin(user):
        return kpis
    if may_review(user):
        return scope_queryset(kpis.filter(cluster__isnull=False), user)
    return kpis.none()


@login_required
def kpi_checks_list(request):
    if not (is_admin(request.user) or may_review(request.user)):
        raise DjangoPermissionDenied(
            _("Administrators and program officers set the data-quality rules of KPIs.")
        )
    page = Paginator(_settable(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(kpi, checks_of(kpi)) for kpi in page]
    return render(request, "scorecards/kpi_checks_list.html", {"page_obj": page, "rows": rows})


@login_required
def kpi_checks_edit(request, pk: int):
    kpi = get_object_or_404(
        scope_queryset(selectors.kpis_with_checks(), request.user, shared_when_null=True), pk=pk
    )
    if not services.may_set_checks(request.user, kpi):
        raise DjangoPermissionDenied(
            _("Administrators set the rules of core KPIs; program officers those of own KPIs.")
        )
    current = checks_of(kpi)
    form = KPIChecksForm(request.POST or None, instance=current, kpi=kpi)
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_checks_set(kpi=kpi, data=form.cleaned_data, user=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The rules of %(kpi)s were saved: they check the values saved from now on.")
                % {"kpi": kpi.name},
            )
            return redirect("kpi-checks", kpi.pk)
    status = 400 if form.errors else 200
    return render(request, "scorecards/kpi_checks.html", {"kpi": kpi, "form": form}, status=status)
