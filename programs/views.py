"""Program pages: the portfolio table (filters, sorting, totals per currency or converted to
one with `?currency=`, downloads, the cumulative disbursement chart) and one program's page.
Everything comes from programs.selectors, scoped by accounts.scopes.scope_programs; out of
scope answers 404."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scopes import scope_programs
from core.charts import line_chart
from core.exports import FORMATS, export_response
from core.filters import rows_or_none
from core.history.views import history_page
from programs import selectors
from programs.exports import portfolio_headers, portfolio_lines
from programs.filters import PortfolioFilter
from programs.models import Disbursement, Program
from programs.rates import selectors as rates_selectors
from programs.rates.forms import ConversionForm

PAGE_SIZE = 100

# (sort key of ProgramFilter.sort, column heading); the other columns do not sort
SORTABLE_COLUMNS = [
    ("country", gettext_lazy("Country")),
    ("program", gettext_lazy("Program")),
    ("approval", gettext_lazy("Approval date")),
    ("total", gettext_lazy("Total amount")),
    ("funder", gettext_lazy("Funder amount")),
    ("disbursed", gettext_lazy("Disbursed")),
    ("rate", gettext_lazy("Disbursement rate")),
]


@login_required
def portfolio(request):
    """The portfolio in the user's scope; `?format=csv|xlsx` downloads the same rows. A filter
    value the FilterSet refuses shows its error on the page (400), with no rows and no download."""
    in_scope = scope_programs(selectors.portfolio_rows(), request.user)
    filterset = PortfolioFilter(request.GET, queryset=in_scope)
    valid = filterset.is_valid()
    programs = rows_or_none(filterset)
    fmt = request.GET.get("format")
    if valid and fmt in FORMATS:
        return export_response(
            headers=portfolio_headers(),
            rows=portfolio_lines(programs),
            filename=f"programs-{timezone.localdate():%Y-%m-%d}",
            fmt=fmt,
        )
    totals = selectors.portfolio_totals(programs)
    conversion = ConversionForm(request.GET, currencies=rates_selectors.conversion_currencies())
    converted = None
    if valid and conversion.is_valid() and conversion.cleaned_data["currency"]:
        converted = selectors.portfolio_in_currency(
            programs, conversion.cleaned_data["currency"], today=timezone.localdate()
        )
    context = {
        "page_obj": Paginator(programs, PAGE_SIZE).get_page(request.GET.get("page")),
        "totals": totals,
        "curves": _curves(selectors.cumulative_disbursements(programs, totals)),
        "columns": _columns(request.GET.get("sort", "")),
        "filter": filterset,
        "conversion": conversion,
        "converted": converted,
        "carried": [
            (name, value)
            for name, values in request.GET.lists()
            if name not in ("currency", "page", "format")
            for value in values
        ],
    }
    valid = valid and not conversion.errors
    return render(request, "programs/portfolio.html", context, status=200 if valid else 400)


@login_required
def program_detail(request, pk: int):
    """One program in scope: money, components, disbursements, clusters, committee."""
    program = get_object_or_404(scope_programs(selectors.program_detail(), request.user), pk=pk)
    curves = selectors.cumulative_disbursements(Program.objects.filter(pk=program.pk))
    context = {
        "program": program,
        "curves": _curves(curves),
        "today": timezone.localdate(),
    }
    return render(request, "programs/program_detail.html", context)


@login_required
def program_history(request, pk: int):
    """Changes of a program in scope: its profile, money, status and countries."""
    program = get_object_or_404(scope_programs(Program.objects.all(), request.user), pk=pk)
    return history_page(request, program)


@login_required
def disbursement_history(request, pk: int):
    in_scope = scope_programs(
        Disbursement.objects.select_related("program"), request.user, program_field="program"
    )
    disbursement = get_object_or_404(in_scope, pk=pk)
    return history_page(request, disbursement, back_url=disbursement.program.get_absolute_url())


def _curves(curves: dict) -> list[dict]:
    """One chart per currency (amounts in different currencies never share an axis)."""
    return [
        {
            "currency": currency,
            "points": points,
            "svg": line_chart(
                [(p.label, p.cumulative) for p in points],
                title=_("Cumulative disbursements in %(currency)s") % {"currency": currency},
                width=480,
                height=160,
                from_zero=True,  # an amount: the height of the line compares
            ),
        }
        for currency, points in curves.items()
    ]


def _columns(current: str) -> list[dict]:
    """Sortable headings: a click sorts ascending, a second click descending."""
    columns = []
    for key, label in SORTABLE_COLUMNS:
        direction = {key: "ascending", f"-{key}": "descending"}.get(current)
        columns.append(
            {
                "key": key,
                "label": label,
                "sort": f"-{key}" if current == key else key,
                "direction": direction,
            }
        )
    return columns
