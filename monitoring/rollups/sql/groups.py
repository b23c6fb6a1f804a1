"""Step 1 of the rollup statements: each cluster's group in each period.

Clusters of a group share everything a total depends on: country, status, the programs they
are enrolled in during the period and the scorecard templates in force at its end. So a group
sits in exactly one country, in each region holding that country, in each of its programs and
in the global total, and a cluster counts once per total however many programs or overlapping
regions it is in (rules 2 and 3). Alike clusters are cut into groups of at most `GROUP_SIZE`, in
id order, so that a change of one cluster's values sums a few hundred clusters again, not the
many thousands alike in a large country. There are a few hundred groups where there are
thousands of clusters. A group is named by its *leader*, its lowest cluster id: the group
belongs to the units its leader belongs to. For cluster rows, each cluster is its own group.

Input CTEs: `periods`. Rows and columns of its CTEs:

- `enrolments`: the programs a cluster is enrolled in during a period (cluster_id,
  period_id, program_id);
- `cluster_templates`: the scorecard templates a cluster has adopted, in force at a period's
  end (cluster_id, period_id, template_id);
- `program_sets`, `template_sets`: those sets, spelled as text to compare them (cluster_id,
  period_id, programs / templates);
- `every_cluster_group`: every cluster in every period, with its group (cluster_id,
  period_id, country_id, active: 1 when the cluster is active, group_id), from the derived
  table `described` (what the group depends on, and the cluster's batch among those alike);
- `cluster_groups`: the same rows, of the groups the statement computes (all of them, or the
  groups of the clusters whose values changed);
- `group_leaders`: each group's leader (period_id, group_id, leader_id);
- `cluster_year_groups`: one row per cluster and year with its groups in the year and its
  quarters side by side (cluster_id, year, year_group, q1_group ... q4_group).
"""

from collections.abc import Callable

from monitoring.rollups.sql import slots

# the heading of its CTEs in the assembled statement
STEP = "step 1: each cluster's group in each period"

# At most this many clusters in a group: an approval sums its cluster's group again, and a
# country's alike clusters may be thousands; the totals add up one stored row per group.
GROUP_SIZE = 250

# A cluster's group per period: the rank of what its totals depend on and of its batch among
# the clusters alike (totals), or the cluster itself (cluster rows).
GROUP_OF = {
    "totals": "DENSE_RANK() OVER (ORDER BY country_id, status, programs, templates, batch)",
    "clusters": "cluster_id",
}
# A cluster's batch among the clusters alike in a period: 0 for the first GROUP_SIZE in id
# order, 1 for the next, ... (cluster rows: no batches)
BATCH_OF = {
    "totals": (
        "(ROW_NUMBER() OVER (\n"
        "                   PARTITION BY p.id, c.country_id, c.status,\n"
        "                       program_sets.programs, template_sets.templates\n"
        "                   ORDER BY c.id\n"
        "               ) - 1) / {group_size}"
    ),
    "clusters": "0",
}
# (PARTITION BY puts a cluster without programs or templates (NULL) with the others without:
# no COALESCE needed there; the columns of `described` spell them '' to rank them)

ENROLMENTS = """\
enrolments AS (
    SELECT DISTINCT e.cluster_id, p.id AS period_id, e.program_id
    FROM programs_enrolment e
    JOIN periods p ON e.enrolled_from <= p.ends_on
        AND (e.enrolled_until IS NULL OR e.enrolled_until >= p.starts_on)
    WHERE {enrolled_clusters}
)"""

CLUSTER_TEMPLATES = """\
cluster_templates AS (
    SELECT DISTINCT cs.cluster_id, p.id AS period_id, cs.template_id
    FROM scorecards_clusterscorecard cs
    JOIN periods p ON cs.adopted_on <= p.ends_on AND (cs.until IS NULL OR cs.until >= p.ends_on)
    WHERE {adopting_clusters}
)"""

SETS = """\
program_sets AS (
    SELECT cluster_id, period_id, {program_set} AS programs
    FROM enrolments GROUP BY cluster_id, period_id
),
template_sets AS (
    SELECT cluster_id, period_id, {template_set} AS templates
    FROM cluster_templates GROUP BY cluster_id, period_id
)"""

EVERY_CLUSTER_GROUP = """\
every_cluster_group AS (
    SELECT cluster_id, period_id, country_id, active, {group_of} AS group_id
    FROM (
        SELECT c.id AS cluster_id, p.id AS period_id, c.country_id, c.status,
               CASE WHEN c.status = 'active' THEN 1 ELSE 0 END AS active,
               COALESCE(program_sets.programs, '') AS programs,
               COALESCE(template_sets.templates, '') AS templates,
               {batch_of} AS batch
        FROM clusters_cluster c
        CROSS JOIN periods p
        LEFT JOIN program_sets ON program_sets.cluster_id = c.id AND program_sets.period_id = p.id
        LEFT JOIN template_sets
            ON template_sets.cluster_id = c.id AND template_sets.period_id = p.id
        WHERE {clusters}
    ) described
)"""

ALL_GROUPS = "SELECT * FROM every_cluster_group"
# every cluster's group is worked out, then only the groups of some clusters kept
SOME_GROUPS = """\
SELECT kept.* FROM every_cluster_group kept
    WHERE EXISTS (
        SELECT 1 FROM every_cluster_group changed
        WHERE {changed_clusters}
          AND changed.period_id = kept.period_id AND changed.group_id = kept.group_id
    )"""

LEADERS = """\
cluster_groups AS (
    {groups}
),
group_leaders AS (
    SELECT period_id, group_id, MIN(cluster_id) AS leader_id
    FROM cluster_groups GROUP BY period_id, group_id
)"""

CLUSTER_YEAR_GROUPS = """\
cluster_year_groups AS (
    SELECT g.cluster_id, p.year,
           {groups_side_by_side}
    FROM cluster_groups g JOIN periods p ON p.id = g.period_id
    GROUP BY g.cluster_id, p.year
)"""


def ctes(
    *,
    mode: str,
    set_of: str,
    clusters_in: Callable[[str], str],
    changed_clusters: str | None,
) -> list[str]:
    """Step 1's CTEs: `mode` is "totals" or "clusters"; `set_of` spells a set of ids as text
    (its `{column}` the ids'); `clusters_in(column)` limits a cluster id column to the clusters
    to compute; `changed_clusters`, a condition on `changed.cluster_id`, keeps only the groups
    of those clusters (None: every group)."""
    groups = ALL_GROUPS
    if changed_clusters is not None:
        groups = SOME_GROUPS.format(changed_clusters=changed_clusters)
    side_by_side = ",\n           ".join(
        f"MAX(CASE WHEN p.quarter = {slot} THEN g.group_id END) AS {slots.period(slot)}_group"
        for slot in slots.SLOTS
    )
    return [
        ENROLMENTS.format(enrolled_clusters=clusters_in("e.cluster_id")),
        CLUSTER_TEMPLATES.format(adopting_clusters=clusters_in("cs.cluster_id")),
        SETS.format(
            program_set=set_of.format(column="program_id"),
            template_set=set_of.format(column="template_id"),
        ),
        EVERY_CLUSTER_GROUP.format(
            group_of=GROUP_OF[mode],
            batch_of=BATCH_OF[mode].format(group_size=GROUP_SIZE),
            clusters=clusters_in("c.id"),
        ),
        LEADERS.format(groups=groups),
        CLUSTER_YEAR_GROUPS.format(groups_side_by_side=side_by_side),
    ]
