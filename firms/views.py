"""Pages of the firm registry: the list (search, filters), a firm's page, create and edit, its
memberships, the spreadsheet import, and likely duplicates with their merge.

Never public: every page needs a signed-in user, and every firm comes through the user's scope
(accounts.scopes.firms_in_scope), so one outside it answers 404. Writing needs a field-data
writer (BSO staff, administrators); the rules are in firms.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.scoped_relations import refuse_unknown_choices
from accounts.scopes import (
    clusters_in_scope,
    firms_in_scope,
    is_admin,
    may_write_field_data,
    scope_firms,
    scope_queryset,
)
from core.exports import FORMATS, export_response
from core.filters import rows_or_none
from core.history.views import history_page
from firms import selectors, services
from firms.filters import FirmListFilter
from firms.forms import FirmForm, FirmImportForm, MembershipForm, MergeForm
from firms.imports import COLUMNS, firms_import

PAGE_SIZE = 50


def _require_writer(request) -> None:
    if not may_write_field_data(request.user):
        raise PermissionDenied(_("Only BSO staff change the firm registry."))


def _firm(request, pk: int, queryset=None):
    queryset = selectors.firm_detail() if queryset is None else queryset
    return get_object_or_404(scope_firms(queryset, request.user), pk=pk)


def _apply_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def firm_list(request):
    """Firms of the user's scope, searched and filtered; a refused filter value answers 400.
    `?format=csv|xlsx` downloads every row under the same filters, in the import's columns."""
    filterset = FirmListFilter(
        request.GET, queryset=scope_firms(selectors.firm_list(), request.user), request=request
    )
    if filterset.is_valid() and request.GET.get("format") in FORMATS:
        return export_response(
            headers=selectors.firm_export_headers(),
            rows=selectors.firm_export_rows(selectors.with_current_clusters(filterset.qs)),
            filename="firms",
            fmt=request.GET["format"],
        )
    page = Paginator(rows_or_none(filterset), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page_obj": page,
        "may_write": may_write_field_data(request.user),
    }
    return render(
        request, "firms/firm_list.html", context, status=200 if filterset.is_valid() else 400
    )


@login_required
def firm_detail(request, pk: int):
    firm = _firm(request, pk)
    in_scope = set(clusters_in_scope(request.user).values_list("pk", flat=True))
    context = {
        "firm": firm,
        "memberships": firm.memberships.all(),
        "editable_clusters": in_scope if not is_admin(request.user) else None,
        "may_write": may_write_field_data(request.user),
    }
    return render(request, "firms/firm_detail.html", context)


@login_required
def firm_history(request, pk: int):
    return history_page(request, _firm(request, pk))


def _firm_form_page(request, form, firm=None, status=200):
    return render(request, "firms/firm_form.html", {"form": form, "firm": firm}, status=status)


@login_required
def firm_create(request):
    _require_writer(request)
    if request.method != "POST":
        return _firm_form_page(request, FirmForm(user=request.user))
    form = FirmForm(request.POST, user=request.user)
    refuse_unknown_choices(form, FirmForm.scoped_choices)
    if form.is_valid():
        data = dict(form.cleaned_data)
        cluster, since = data.pop("cluster", None), data.pop("since", None)
        try:
            firm = services.firm_create(data=data, cluster=cluster, since=since)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The firm was registered."))
            return redirect(firm)
    return _firm_form_page(request, form, status=400)


@login_required
def firm_edit(request, pk: int):
    _require_writer(request)
    firm = _firm(request, pk, selectors.firm_list())
    if request.method != "POST":
        return _firm_form_page(request, FirmForm(instance=firm, user=request.user), firm)
    form = FirmForm(request.POST, instance=firm, user=request.user)
    refuse_unknown_choices(form, FirmForm.scoped_choices)
    if form.is_valid():
        try:
            services.firm_update(firm=firm, data=form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The firm was saved."))
            return redirect(firm)
    return _firm_form_page(request, form, firm, status=400)


@login_required
def membership_form(request, pk: int, membership_pk: int | None = None):
    """Add a membership to a firm, or change one (of a cluster in the user's scope)."""
    _require_writer(request)
    firm = _firm(request, pk, selectors.firm_list())
    membership = None
    if membership_pk is not None:
        memberships = scope_queryset(firm.memberships.select_related("cluster"), request.user)
        membership = get_object_or_404(memberships, pk=membership_pk)
    form = MembershipForm(request.POST or None, instance=membership, user=request.user)
    if request.method == "POST":
        refuse_unknown_choices(form, MembershipForm.scoped_choices)
        if form.is_valid():
            try:
                if membership is None:
                    services.membership_create(data={**form.cleaned_data, "firm": firm})
                else:
                    services.membership_update(membership=membership, data=form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The membership was saved."))
                return redirect(firm)
    context = {"form": form, "firm": firm, "membership": membership}
    status = 400 if form.is_bound else 200
    return render(request, "firms/membership_form.html", context, status=status)


@login_required
def firm_import(request):
    """Register the firms of a spreadsheet, all or none, each problem with its row."""
    _require_writer(request)
    form = FirmImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        result = firms_import(
            file=form.cleaned_data["file"],
            clusters=clusters_in_scope(request.user),
            cluster_required=not is_admin(request.user),
        )
        if result.ok:
            message = _("%(n)d firms were imported.") % {"n": result.saved}
            messages.success(request, message)
            return redirect("firm-list")
        errors = result.errors
    context = {"form": form, "errors": errors, "columns": COLUMNS}
    refused = bool(errors) or (form.is_bound and not form.is_valid())
    return render(request, "firms/firm_import.html", context, status=400 if refused else 200)


@login_required
def duplicates(request):
    """Pairs of firms in the user's scope that are likely one, each with a link to merge it."""
    _require_writer(request)
    pairs = selectors.duplicate_pairs(firms_in_scope(request.user))
    return render(request, "firms/duplicates.html", {"pairs": pairs})


@login_required
def merge(request, first: int, second: int):
    """Merge two firms (both in the user's scope): the one kept takes every link of the other."""
    _require_writer(request)
    one, other = (
        _firm(request, first, selectors.firm_detail()),
        _firm(request, second, selectors.firm_detail()),
    )
    if one.pk == other.pk:
        raise PermissionDenied(_("A firm cannot be merged with itself."))
    form = MergeForm(request.POST or None, first=one, second=other)
    if request.method == "POST" and form.is_valid():
        keep, absorb = (one, other) if form.cleaned_data["keep"] == one.pk else (other, one)
        kept = services.firm_merge(keep=keep, absorb=absorb)
        messages.success(
            request, _("“%(name)s” was merged into this firm.") % {"name": absorb.name}
        )
        return redirect(kept)
    context = {"form": form, "pair": [one, other]}
    return render(request, "firms/merge.html", context)
