"""The stored partial sums (monitoring_rolluppartial): written by step 4, read back for totals.

A group is stored under its leader (its lowest cluster id): group ids are numbered afresh by
every statement, leaders stay. So that a change of one cluster's values sums its group alone,
the totals are added up from these rows, never from the values.

- `STORED_PARTIALS`, the final SELECT of the partials' statements (input CTEs: `partial_sums`,
  `group_leaders`): one row per KPI, period and group, in the order of `PARTIAL_COLUMNS`.
- `replaced_partials` (input CTEs: `group_leaders`, `kpis`): deletes the stored rows of the
  groups a statement sums again, and yields no rows. (Deleted and inserted rows are apart:
  the insert's rows are new, and the statement sees the table as it was.) PostgreSQL only:
  SQLite has no DELETE inside a WITH.
- Read back for the totals (input CTE: none; `{periods}` and `{kpis}` filter the table's ids):
  `partial_sums` with the columns of step 4's (monitoring.rollups.sql.coverage), the leader
  as group_id; and `partial_groups`, the groups they hold (period_id, group_id).
"""

# the heading of its CTEs in the assembled statement
STEP = "the stored partial sums: step 4's rows, a group named by its leader"

PARTIAL_COLUMNS = [
    "kpi_id",
    "period_id",
    "leader_id",
    "reporting",
    "expected",
    "complete",
    "value_sum",
    "value_count",
    "value_min",
    "value_max",
    "numerator_sum",
    "denominator_sum",
    "women_sum",
    "men_sum",
    "yes",
    "derived_target",
]

STORED_PARTIALS = """\
SELECT s.kpi_id, s.period_id, l.leader_id, s.reporting, s.expected, s.complete, s.value_sum,
       s.value_count, s.value_min, s.value_max, s.numerator_sum, s.denominator_sum,
       s.women_sum, s.men_sum, s.yes, s.derived_target
FROM partial_sums s JOIN group_leaders l ON l.period_id = s.period_id AND l.group_id = s.group_id"""

REPLACED_PARTIALS = """\
replaced_partials AS (
    DELETE FROM monitoring_rolluppartial stored USING group_leaders l
    WHERE stored.period_id = l.period_id AND stored.leader_id = l.leader_id AND {kpis}
)"""

READ_BACK = """\
partial_sums AS (
    SELECT kpi_id, period_id, leader_id AS group_id, reporting, expected, complete,
           value_sum, value_count, value_min, value_max, numerator_sum, denominator_sum,
           women_sum, men_sum, yes, derived_target
    FROM monitoring_rolluppartial
    WHERE {periods} AND {kpis}
),
partial_groups AS (SELECT DISTINCT period_id, group_id FROM partial_sums)"""


def replaced(*, all_kpis: bool) -> list[str]:
    """The CTE deleting the stored rows the statement replaces (of every KPI, or of `kpis`)."""
    kpis = "1 = 1" if all_kpis else "stored.kpi_id IN (SELECT id FROM kpis)"
    return [REPLACED_PARTIALS.format(kpis=kpis)]


def read_back(*, periods: str, kpis: str) -> list[str]:
    """The CTEs reading the stored partial sums; `periods` and `kpis` are conditions on the
    table's period_id and kpi_id."""
    return [READ_BACK.format(periods=periods, kpis=kpis)]
