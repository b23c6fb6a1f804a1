"""The cluster page's "Sustainability and governance" block, drawn by monitoring.

clusters sits left of monitoring and cannot import it, so its page includes this tag
(`{% activity_signals cluster %}`) inside its in-scope section; the numbers come from
monitoring.activities.selectors.cluster_signals (two queries).
"""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scopes import may_write_field_data
from core.charts import line_chart
from monitoring.activities.selectors import cluster_signals

register = template.Library()


@register.inclusion_tag("monitoring/activity_signals.html", takes_context=True)
def activity_signals(context, cluster):
    signals = cluster_signals(cluster, today=timezone.localdate())
    shares = signals["cost_shares"]
    currencies = {share.currency for share in shares}
    chart = None
    if len(currencies) == 1 and len(shares) > 1:
        chart = line_chart(
            [(str(share.year), share.external_percent) for share in shares],
            title=_("Share of activity cost paid by external funds, per year (%)"),
        )
    return {
        "cluster": cluster,
        "signals": signals,
        "chart": chart,
        "may_write": may_write_field_data(context["request"].user),
    }
