"""Explicit filters for the plan's API (no query string reaches the ORM unchecked)."""

import django_filters

from scorecards.models import KPI


class KPIFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(
        lookup_expr="iexact",
        label="KPI code, exact but case-insensitive (`EXP-01` finds `exp-01`)",
    )

    class Meta:
        model = KPI
        fields = ["code", "unit", "aggregation", "frequency", "cluster", "status", "direction"]
