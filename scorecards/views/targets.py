"""The targets grid: a KPI's targets for the periods of a year, for one unit the user may set
targets for (DESIGN.md "Who may do what": program officers their clusters and programs,
ministries their country, regional bodies their region, administrators all of them and the
global level above the regions, DESIGN.md rule 2), saved at once by
scorecards.services.targets_set (the API's target_set is the same function for one cell).
A unit outside the user's reach answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.scopes import may_set_target, target_units
from core.errors import ConflictError, PermissionDenied
from scorecards import selectors
from scorecards.grids import TargetGridForm
from scorecards.models import Level, Template
from scorecards.services import targets_set

LEVELS = [Level.CLUSTER, Level.PROGRAM, Level.COUNTRY, Level.REGION, Level.GLOBAL]
GLOBAL = "global"  # the `unit` parameter of the global level: it has no unit to name
STALE_LISTED = 12  # the message names this many (KPI, period) pairs, then counts the rest


def _places(user) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Per level the user may set targets at: (level, its name, [(value, unit name)])."""
    places = []
    for level in LEVELS:
        if level == Level.GLOBAL:
            if may_set_target(user, level=level, unit=None):
                places.append((level, Level(level).label, [(GLOBAL, _("All clusters (global)"))]))
            continue
        units = target_units(user, level)
        if units is None:
            continue
        options = [(f"{level}-{unit.pk}", unit.name) for unit in units.order_by("name")]
        if options:
            places.append((level, Level(level).label, options))
    return places


def _chosen_unit(user, raw: str):
    """(level, unit) of a `unit` parameter such as "cluster-12" (the global level: "global",
    its unit None), or 404."""
    if raw == GLOBAL and may_set_target(user, level=Level.GLOBAL, unit=None):
        return Level.GLOBAL, None
    level, _sep, pk = raw.partition("-")
    units = target_units(user, level) if level in LEVELS else None
    if units is None or not pk.isdigit():
        raise Http404(_("No such place."))
    return level, get_object_or_404(units, pk=pk)


def _rows(level: str, unit, template: Template | None):
    """The grid's KPIs: a cluster's scorecard (template and accepted own KPIs); elsewhere the
    chosen template's core KPIs (only they roll up)."""
    if level == Level.CLUSTER:
        scorecard = selectors.current_scorecard(cluster_id=unit.pk)
        return (
            (scorecard.template, selectors.scorecard_kpis(scorecard=scorecard))
            if (scorecard)
            else (None, [])
        )
    if template is None:
        return None, []
    return template, selectors.template_kpis(template_id=template.pk)


def _stale_message(saved) -> str:
    names = [f"{kpi.name} · {period.label}" for kpi, period in saved.stale[:STALE_LISTED]]
    more = len(saved.stale) - len(names)
    text = _("Totals marked stale, to be recomputed in the background: %(pairs)s.") % {
        "pairs": "; ".join(names)
    }
    if more:
        text += " " + ngettext("And %(n)d more.", "And %(n)d more.", more) % {"n": more}
    return text


@login_required
def target_grid(request):
    places = _places(request.user)
    if not places:
        raise DjangoPermissionDenied(_("Your role sets no targets."))
    years = selectors.period_years()
    templates = list(Template.objects.published().order_by("code", "-version"))
    context = {"places": places, "years": years, "templates": templates, "form": None}
    raw_unit = request.GET.get("unit", "")
    if not raw_unit:
        return render(request, "scorecards/target_grid.html", context)
    level, unit = _chosen_unit(request.user, raw_unit)
    raw_year = request.GET.get("year", "")
    today_year = timezone.localdate().year
    year = int(raw_year) if raw_year.isdigit() and int(raw_year) in years else None
    if year is None:
        year = today_year if today_year in years else (years[-1] if years else None)
    raw_template = request.GET.get("template", "")
    template = next((t for t in templates if str(t.pk) == raw_template), None)
    template = template or (templates[0] if templates else None)
    template, kpis = _rows(level, unit, template)
    periods = selectors.periods_of_year(year=year) if year else []
    unit_field = None if level == Level.GLOBAL else level
    targets = selectors.targets_of(
        level=level, unit_field=unit_field, unit_id=unit and unit.pk, kpis=kpis, periods=periods
    )
    form = TargetGridForm(request.POST or None, kpis=kpis, periods=periods, targets=targets)
    context.update(
        {
            "level": level,
            "unit": unit,
            "unit_name": unit.name if unit is not None else _("All clusters (global)"),
            "unit_value": raw_unit,
            "year": year,
            "template": template,
            "periods": periods,
            "form": form,
        }
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = targets_set(level=level, unit=unit, cells=form.cells(), user=request.user)
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
        except (PermissionDenied, ConflictError) as error:
            form.add_error(None, str(error))
        else:
            if saved.count:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d target saved (%(new)d new, %(changed)d changed, "
                        "%(removed)d removed).",
                        "%(n)d targets saved (%(new)d new, %(changed)d changed, "
                        "%(removed)d removed).",
                        saved.count,
                    )
                    % {
                        "n": saved.count,
                        "new": saved.created,
                        "changed": saved.changed,
                        "removed": saved.removed,
                    },
                )
                messages.info(request, _stale_message(saved))
            else:
                messages.info(request, _("Nothing changed: no target was saved."))
            query = {"unit": raw_unit, "year": year}
            if template is not None:
                query["template"] = template.pk
            return redirect(f"{request.path}?{urlencode(query)}")
    status = 400 if form.errors else 200
    return render(request, "scorecards/target_grid.html", context, status=status)
