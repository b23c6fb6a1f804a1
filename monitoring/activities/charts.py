"""The chart of who pays for a cluster's activities, drawn alike wherever the cost shares show."""

from collections.abc import Sequence

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.charts import line_chart
from monitoring.activities.selectors import CostShare


def cost_share_chart(shares: Sequence[CostShare]) -> SafeString | None:
    """The external share per year as a line; None for a single year (no line to draw) or for
    costs in several currencies (a year then has several shares, not one point)."""
    if len({share.currency for share in shares}) != 1 or len(shares) < 2:
        return None
    return line_chart(
        [(str(share.year), share.external_percent) for share in shares],
        title=_("Share of activity cost paid by external funds, per year (%)"),
    )
