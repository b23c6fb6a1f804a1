"""The cluster page's "Sustainability and governance" block, drawn by monitoring.

clusters sits left of monitoring and cannot import it, so its page includes this tag
(`{% activity_signals cluster %}`) inside its in-scope section; the numbers come from
monitoring.activities.selectors.cluster_signals (two queries).
"""

from django import template
from django.utils import timezone

from accounts.scopes import may_write_field_data
from monitoring.activities.charts import cost_share_chart
from monitoring.activities.selectors import cluster_signals

register = template.Library()


@register.inclusion_tag("monitoring/activity_signals.html", takes_context=True)
def activity_signals(context, cluster):
    signals = cluster_signals(cluster, today=timezone.localdate())
    return {
        "cluster": cluster,
        "signals": signals,
        "chart": cost_share_chart(signals["cost_shares"]),
        "may_write": may_write_field_data(context["request"].user),
    }
