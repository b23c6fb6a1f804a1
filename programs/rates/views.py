"""Exchange-rate pages: the table (everyone signed in reads it, and downloads it as CSV or XLSX)
and its spreadsheet import (administrators only: another user gets 404, as on the users'
pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scopes import is_admin
from core.exports import FORMATS, export_response
from programs.rates import selectors, services
from programs.rates.forms import ExchangeRateImportForm

PAGE_SIZE = 100


@login_required
def exchange_rate_list(request):
    """The rate table, by pair and newest first; `?format=csv|xlsx` downloads it."""
    rates = selectors.exchange_rate_list()
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return export_response(
            headers=[str(label) for _key, label in services.IMPORT_COLUMNS],
            rows=(
                [r.base_currency, r.quote_currency, r.date, r.rate, r.source]
                for r in rates.iterator()
            ),
            filename=f"exchange-rates-{timezone.localdate():%Y-%m-%d}",
            fmt=fmt,
        )
    context = {
        "page_obj": Paginator(rates, PAGE_SIZE).get_page(request.GET.get("page")),
        "may_import": is_admin(request.user),
    }
    return render(request, "programs/exchange_rate_list.html", context)


def _admins_only(request) -> None:
    if not is_admin(request.user):
        raise Http404


@login_required
def exchange_rate_import(request):
    """Upload a spreadsheet of rates: every row is recorded, or none (the problems by row)."""
    _admins_only(request)
    posted = request.method == "POST"
    form = ExchangeRateImportForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    context = {"form": form, "errors": [], "keys": services.IMPORT_KEYS}
    if posted and form.is_valid():
        result = services.exchange_rates_import(file=form.cleaned_data["file"])
        if result.ok:
            messages.success(
                request, _("%(count)d exchange rates were imported.") % {"count": result.saved}
            )
            return redirect("exchange-rate-list")
        context["errors"] = result.errors
    status = 400 if posted else 200
    return render(request, "programs/exchange_rate_import.html", context, status=status)


@login_required
def exchange_rate_template(request):
    """The import's template: a CSV of the column keys and one example row."""
    _admins_only(request)
    lines = [",".join(services.IMPORT_KEYS), "EUR,USD,2024-01-02,1.0950,ECB reference rate"]
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="exchange-rates-template.csv"'
    return response
