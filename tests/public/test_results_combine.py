"""How a country's, region's or program's number is made from its published clusters' year
rows (public.pages.results.combine): each aggregation, hand-worked."""

from decimal import Decimal

import pytest

from monitoring.models import Rollup
from scorecards.models import KPI

D = Decimal


def rows(*values, numerators=(), denominators=()):
    found = [Rollup(value=D(v) if v is not None else None) for v in values]
    for row, n, d in zip(found, numerators, denominators, strict=False):
        row.numerator, row.denominator = D(n), D(d)
    return found


@pytest.mark.parametrize(
    ("aggregation", "values", "expected"),
    [
        (KPI.Aggregation.SUM, ("12", "20", "30"), D("62")),
        (KPI.Aggregation.MEAN, ("10", "0", "0"), D("3.3333")),  # 10 / 3, four places as stored
        (KPI.Aggregation.SHARE_YES, ("1", "0", "1", "1"), D("0.75")),  # 3 of 4 answer yes
        (KPI.Aggregation.MIN, ("7", "3", "9"), D("3")),
        (KPI.Aggregation.MAX, ("7", "3", "9"), D("9")),
    ],
)
def test_each_aggregation_across_published_clusters(aggregation, values, expected):
    from public.pages.results import combine

    kpi = KPI(aggregation=aggregation, scale=D(100))
    assert combine(kpi, rows(*values))["value"] == expected


def test_a_ratio_is_the_ratio_of_sums_never_a_mean_of_percentages():
    from public.pages.results import combine

    kpi = KPI(aggregation=KPI.Aggregation.RATIO, scale=D(100))
    # 1/2 (50 %) and 9/10 (90 %): (1 + 9) / (2 + 10) x 100 = 83.3333 %, not (50 + 90) / 2 = 70
    found = combine(kpi, rows("50", "90", numerators=("1", "9"), denominators=("2", "10")))
    assert found["value"] == D("83.3333")
    assert (found["numerator"], found["denominator"]) == (D("10"), D("12"))
