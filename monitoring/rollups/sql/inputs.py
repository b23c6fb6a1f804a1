"""The rollup statements' inputs: the periods and core KPIs a statement covers.

Rows and columns of its CTEs (no input CTE; `{periods}` and `{kpis}` are the statement's
filters on the periods' and KPIs' ids):

- `periods`: the periods to compute (id, kind, year, quarter, starts_on, ends_on);
- `periods_of_the_years`: every period of their years (id, year, quarter): a year is formed
  from its quarters, so their values are read even when only the year is computed;
- `kpis`: the core KPIs to compute (id, aggregation, time_aggregation, frequency, scale, and
  source_kind: 'quarter' when a KPI's values are reported quarterly, else 'year');
- `template_kpis`: which of these KPIs each scorecard template holds (template_id, kpi_id).

The totals statement, which reads stored partial sums, needs only `periods` and `kpis`.
"""

# the heading of its CTEs in the assembled statement
STEP = "step 0: the periods and KPIs the statement covers"

PERIODS = """\
periods AS (
    SELECT id, kind, year, quarter, starts_on, ends_on FROM scorecards_period WHERE {periods}
)"""

PERIODS_OF_THE_YEARS = """\
periods_of_the_years AS (
    SELECT id, year, quarter FROM scorecards_period WHERE year IN (SELECT year FROM periods)
)"""

KPIS = """\
kpis AS (
    SELECT id, aggregation, time_aggregation, frequency, scale,
           CASE WHEN frequency = 'quarterly' THEN 'quarter' ELSE 'year' END AS source_kind
    FROM scorecards_kpi WHERE cluster_id IS NULL AND {kpis}
)"""

TEMPLATE_KPIS = """\
template_kpis AS (
    SELECT DISTINCT perspective.template_id, held.kpi_id
    FROM scorecards_templatekpi held
    JOIN scorecards_csf csf ON csf.id = held.csf_id
    JOIN scorecards_perspective perspective ON perspective.id = csf.perspective_id
    WHERE held.kpi_id IN (SELECT id FROM kpis)
)"""


def ctes(*, periods: str, kpis: str) -> list[str]:
    """The CTEs of the partial sums' statement, filtered by these conditions."""
    return [
        PERIODS.format(periods=periods),
        PERIODS_OF_THE_YEARS,
        KPIS.format(kpis=kpis),
        TEMPLATE_KPIS,
    ]


def totals_ctes(*, periods: str, kpis: str) -> list[str]:
    """The CTEs of the totals' statement, filtered by these conditions."""
    return [PERIODS.format(periods=periods), KPIS.format(kpis=kpis)]
