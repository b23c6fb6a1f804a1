"""The program page's "Money and results by component" block, drawn by monitoring.

programs sits left of monitoring (and of scorecards, which links KPIs to components) and cannot
import them, so its page includes this tag (`{% component_results program %}`) for a program
already in the user's scope; the numbers come from monitoring.results.selectors.component_curves
(three queries), the chart from core.charts.two_line_chart.
"""

from django import template
from django.utils.translation import gettext as _

from core.charts import two_line_chart
from monitoring.results.selectors import component_curves

register = template.Library()
HUNDRED = 100


def _percent(share):
    return None if share is None else share * HUNDRED


@register.inclusion_tag("monitoring/component_results.html")
def component_results(program):
    curves = component_curves(program, program.components.all())  # prefetched by the page
    return {
        "program": program,
        "curves": [
            {
                "curve": curve,
                "svg": two_line_chart(
                    [q.label for q in curve.quarters],
                    (_("Budget disbursed"), [_percent(q.budget_share) for q in curve.quarters]),
                    (_("Targets achieved"), [_percent(q.targets_share) for q in curve.quarters]),
                    title=_("%(component)s: budget disbursed and targets achieved, in percent")
                    % {"component": curve.component.name},
                    width=480,
                    height=180,
                    bounds=(0, HUNDRED),
                ),
            }
            for curve in curves
        ],
    }
