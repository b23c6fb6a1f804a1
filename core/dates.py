"""Date-span predicates shared by every model that is valid from one date until another."""

import datetime

from django.db.models import Q
from django.utils import timezone


def span_covers(
    on: datetime.date | None = None, *, start: str = "since", end: str = "until", prefix: str = ""
) -> Q:
    """Rows whose [start, end] span (end open when null) covers the date (today by default)."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}{start}__lte": on}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": on})
    )
