"""Program pages: the portfolio table (filters, sorting, totals per currency or converted to
one with `?currency=`, downloads, the cumulative disbursement chart), one program's page and its
history, and the forms that write a program: its profile and money, its status, components,
enrolled clusters, strategic committee and disbursements.

Everything comes from programs.selectors, scoped by accounts.scopes.scope_programs: out of scope
answers 404. Program officers (their own programs) and administrators write
(accounts.scopes.may_write_programs), the others get 403 on a form. The forms call the services
the API calls (programs.services), whose errors come back onto the form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scopes import is_admin, may_write_programs, scope_programs
from core.charts import line_chart
from core.exports import FORMATS, export_response
from core.filters import rows_or_none
from core.history.views import history_page, timeline_page
from programs import forms, selectors, services
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
        "may_write": may_write_programs(request.user),
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
        "may_write": may_write_programs(request.user),
        "next_steps": services.TRANSITIONS[program.status],
    }
    return render(request, "programs/program_detail.html", context)


@login_required
def program_history(request, pk: int):
    """Changes of a program in scope and of its parts, newest first: its profile, money, status
    and countries, its components, enrolments, strategic committee and disbursements."""
    program = get_object_or_404(scope_programs(Program.objects.all(), request.user), pk=pk)
    return timeline_page(request, program, parts=selectors.program_history_parts(program))


@login_required
def disbursement_history(request, pk: int):
    in_scope = scope_programs(
        Disbursement.objects.select_related("program"), request.user, program_field="program"
    )
    disbursement = get_object_or_404(in_scope, pk=pk)
    return history_page(request, disbursement, back_url=disbursement.program.get_absolute_url())


# --- writing ------------------------------------------------------------------------------


def _require_writer(request) -> None:
    if not may_write_programs(request.user):
        raise PermissionDenied(_("Only program officers and administrators change programs."))


def _writable(request, pk: int) -> Program:
    """A program the user may change: a writer's role first (403), then the scope (404)."""
    _require_writer(request)
    return get_object_or_404(scope_programs(Program.objects.all(), request.user), pk=pk)


def _saved(form, save):
    """Run the service on a valid form; its errors go back onto the form (None then). An error
    about something the form does not ask (the funder amount of an approval) goes on top."""
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return None
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    return None


def _form_page(request, form, *, program: Program | None, title: str, back: str, intro=""):
    context = {"form": form, "program": program, "title": title, "back": back, "intro": intro}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "programs/form.html", context, status=status)


def _part_url(program: Program, anchor: str) -> str:
    return f"{program.get_absolute_url()}#{anchor}"


@login_required
def program_create(request):
    """A new program, in preparation; the officer who creates it looks after it."""
    _require_writer(request)
    form = forms.ProgramForm(request.POST or None)
    if request.method == "POST":
        officer = None if is_admin(request.user) else request.user
        saved = _saved(form, lambda cleaned: services.program_create(data=cleaned, officer=officer))
        if saved is not None:
            messages.success(request, _("The program was created."))
            return redirect(saved)
    return _form_page(
        request,
        form,
        program=None,
        title=_("New program"),
        back=reverse("program-portfolio"),
        intro=_(
            "A new program starts in preparation; record its approval (with the date it "
            "happened) from its page."
        ),
    )


@login_required
def program_edit(request, pk: int):
    """A program's profile and money (never its status: see program_status)."""
    program = _writable(request, pk)
    form = forms.ProgramForm(request.POST or None, instance=program)
    if request.method == "POST":
        saved = _saved(form, lambda cleaned: services.program_update(program=program, data=cleaned))
        if saved is not None:
            messages.success(request, _("The program was saved."))
            return redirect(saved)
    return _form_page(
        request, form, program=program, title=_("Edit the program"), back=program.get_absolute_url()
    )


@login_required
def program_status(request, pk: int):
    """Move the program to the next step of its cycle, on the date it happened."""
    program = _writable(request, pk)
    form = forms.TransitionForm(request.POST or None, program=program)
    if request.method == "POST":
        saved = _saved(
            form,
            lambda cleaned: services.program_transition(
                program=program, to=cleaned["status"], on=cleaned["on"]
            ),
        )
        if saved is not None:
            messages.success(
                request,
                _("The program is now %(status)s.")
                % {"status": saved.get_status_display().lower()},
            )
            return redirect(saved)
    intro = _("Current status: %(status)s.") % {"status": program.get_status_display()}
    if not services.TRANSITIONS[program.status]:
        intro = _("%(status)s is final: the program takes no further step.") % {
            "status": program.get_status_display()
        }
    return _form_page(
        request,
        form,
        program=program,
        title=_("Change the status"),
        back=program.get_absolute_url(),
        intro=intro,
    )


@login_required
def component_form(request, pk: int, component_pk: int | None = None):
    """Add a component (a sub-program with its budget) or change one."""
    program = _writable(request, pk)
    component = get_object_or_404(program.components, pk=component_pk) if component_pk else None
    form = forms.ComponentForm(request.POST or None, instance=component)
    if request.method == "POST":
        saved = _saved(
            form,
            lambda cleaned: services.component_save(
                program=program, component=component, data=cleaned
            ),
        )
        if saved is not None:
            messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
            return redirect(_part_url(program, "components"))
    title = _("Edit a component") if component else _("Add a component")
    return _form_page(
        request, form, program=program, title=title, back=_part_url(program, "components")
    )


@login_required
def enrolment_form(request, pk: int, enrolment_pk: int | None = None):
    """Enrol a cluster (from a date, until a date or open-ended), or change an enrolment."""
    program = _writable(request, pk)
    enrolment = get_object_or_404(program.enrolments, pk=enrolment_pk) if enrolment_pk else None
    clusters = selectors.enrolment_choices(
        program,
        any_cluster=is_admin(request.user),
        keep=enrolment.cluster_id if enrolment else None,
    )
    form = forms.EnrolmentForm(request.POST or None, instance=enrolment, clusters=clusters)
    if request.method == "POST":
        if enrolment is None:
            save = lambda cleaned: services.enrolment_create(  # noqa: E731
                program=program, data=cleaned, user=request.user
            )
        else:
            save = lambda cleaned: services.enrolment_update(  # noqa: E731
                enrolment=enrolment, data=cleaned, user=request.user
            )
        saved = _saved(form, save)
        if saved is not None:
            messages.success(request, _("The enrolment was saved."))
            return redirect(_part_url(program, "clusters"))
    title = _("Edit an enrolment") if enrolment else _("Enrol a cluster")
    intro = ""
    if not is_admin(request.user):
        intro = _("An officer enrols the active clusters of the program's countries.")
    return _form_page(
        request,
        form,
        program=program,
        title=title,
        back=_part_url(program, "clusters"),
        intro=intro,
    )


@login_required
def strategic_member_form(request, pk: int, member_pk: int | None = None):
    """Seat a member on the strategic committee, or change a seat (its end date ends it)."""
    program = _writable(request, pk)
    member = get_object_or_404(program.committee_members, pk=member_pk) if member_pk else None
    form = forms.StrategicMemberForm(request.POST or None, instance=member)
    if request.method == "POST":
        saved = _saved(
            form,
            lambda cleaned: services.strategic_member_save(
                program=program, member=member, data=cleaned
            ),
        )
        if saved is not None:
            messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
            return redirect(_part_url(program, "committee"))
    title = _("Edit a member") if member else _("Add a member")
    return _form_page(
        request, form, program=program, title=title, back=_part_url(program, "committee")
    )


@login_required
def disbursement_create(request, pk: int):
    """Record a disbursement on the day it was paid out (after the approval)."""
    program = _writable(request, pk)
    form = forms.DisbursementForm(request.POST or None, program=program)
    if request.method == "POST":
        saved = _saved(
            form, lambda cleaned: services.program_disburse(program=program, data=cleaned)
        )
        if saved is not None:
            messages.success(request, _("The disbursement was recorded."))
            return redirect(_part_url(program, "disbursements"))
    return _form_page(
        request,
        form,
        program=program,
        title=_("Record a disbursement"),
        back=_part_url(program, "disbursements"),
    )


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
