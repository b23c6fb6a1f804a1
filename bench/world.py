"""The synthetic world of the benchmarks and the tests that need a big one: clusters,
countries, overlapping regions, programs, a template of core KPIs covering every aggregation,
and an approved report per cluster and quarter, built with set-based SQL (PostgreSQL).

Used by bench/rollups.py, bench/pages.py and tests/integration.
"""

import math

AGGREGATIONS = ["sum", "mean", "ratio", "share_yes", "min", "max"]
TIME_AGGREGATIONS = ["sum", "last", "mean"]
UNIT_OF = {
    "sum": "count",
    "mean": "number",
    "ratio": "percent",
    "share_yes": "yes_no",
    "min": "score",
    "max": "number",
}


def kpi_specs(count: int) -> list[tuple[str, str, bool]]:
    """(aggregation, time aggregation, by sex) of each KPI: 6 KPIs already cover every
    aggregation and every time aggregation, 18 every allowed pair of them (a yes/no answer
    over a year is always its latest one)."""
    specs = []
    for j in range(count):
        aggregation = AGGREGATIONS[j % 6]
        time_aggregation = TIME_AGGREGATIONS[(j + j // 6) % 3]
        if aggregation == "share_yes":
            time_aggregation = "last"
        specs.append((aggregation, time_aggregation, aggregation == "sum" and j % 12 == 0))
    return specs


def build_world(
    cursor,
    *,
    clusters: int,
    kpis: int,
    periods: int,
    first_year: int = 2015,
    countries: int = 40,
    regions: int = 8,
    programs: int = 10,
    submitted: int = 0,
    prefix: str = "bench",
    quarter_targets: bool = False,
) -> dict:
    """Build a synthetic world with set-based SQL on a DB-API cursor (PostgreSQL).

    - `clusters` active clusters spread over `countries` countries; `regions` regions of
      2 x countries / regions consecutive countries each, so every country sits in two
      overlapping regions;
    - `programs` programs: a third of the clusters is enrolled in two of them, a third in
      one (from the third year on), a third in none;
    - one published template ("<prefix>") holding `kpis` core quarterly KPIs (kpi_specs),
      adopted by every cluster from the first year on;
    - `periods` quarters from `first_year` on, plus their years;
    - one report per cluster and quarter, approved, except the last quarter's report of the
      first `submitted` clusters (submitted: approve them to measure an approval), with one
      measurement per KPI;
    - targets at every level for some KPIs and periods, baselines for a fifth of the clusters;
      with `quarter_targets`, every other cluster has a target for each KPI and quarter too (as
      a program following its clusters quarter by quarter sets them), which some values miss.

    Returns the ids: clusters, kpis, quarters, years, regions, programs, submitted reports.
    """
    from clusters.models import ClusterType, InitiativeOrigin, LifecycleStage, SectorFamily

    if countries > 26 * 2:
        raise ValueError("at most 52 countries (codes JA..KZ)")
    years = math.ceil(periods / 4)
    last_year = first_year + years - 1
    width = max(1, 2 * countries // regions)
    stride = max(1, countries // regions)
    now = "now()"

    def run(sql, params=()):
        cursor.execute(sql, params)

    for name in ("w_country", "w_region", "w_cluster", "w_program", "w_kpi", "w_quarter"):
        run(f"DROP TABLE IF EXISTS {name}")

    # Periods: every quarter and year of the range (existing ones kept).
    run(
        """
        INSERT INTO scorecards_period (kind, year, quarter, starts_on, ends_on, deadline)
        SELECT CASE WHEN q = 0 THEN 'year' ELSE 'quarter' END, y, q, s, e, e + 30
        FROM generate_series(%s, %s) y, generate_series(0, 4) q,
             LATERAL (SELECT CASE WHEN q = 0 THEN make_date(y, 1, 1)
                                  ELSE make_date(y, 3 * q - 2, 1) END AS s) s,
             LATERAL (SELECT CASE WHEN q = 0 THEN make_date(y, 12, 31)
                                  ELSE (s + interval '3 months' - interval '1 day')::date
                             END AS e) e
        ON CONFLICT (year, quarter) DO NOTHING
        """,
        [first_year, last_year],
    )
    run(
        """
        CREATE TEMP TABLE w_quarter AS
        SELECT id, year, quarter, row_number() OVER (ORDER BY year, quarter) - 1 AS i
        FROM scorecards_period WHERE kind = 'quarter' AND year BETWEEN %s AND %s
        ORDER BY year, quarter LIMIT %s
        """,
        [first_year, last_year, periods],
    )

    # Geography: countries JA..KZ, regions of overlapping runs of countries.
    run(
        """
        INSERT INTO clusters_country (code, name)
        SELECT chr(74 + i / 26) || chr(65 + i %% 26), %s || ' country ' || i
        FROM generate_series(0, %s) i
        """,
        [prefix, countries - 1],
    )
    run(
        """
        CREATE TEMP TABLE w_country AS
        SELECT id, split_part(name, ' country ', 2)::int AS i FROM clusters_country
        WHERE name LIKE %s
        """,
        [f"{prefix} country %"],
    )
    run(
        """
        INSERT INTO clusters_region (code, name)
        SELECT %s || '-region-' || j, %s || ' region ' || j FROM generate_series(0, %s) j
        """,
        [prefix, prefix, regions - 1],
    )
    run(
        """
        CREATE TEMP TABLE w_region AS
        SELECT id, split_part(code, '-region-', 2)::int AS j FROM clusters_region
        WHERE code LIKE %s
        """,
        [f"{prefix}-region-%"],
    )
    run(
        """
        INSERT INTO clusters_region_countries (region_id, country_id)
        SELECT r.id, c.id FROM w_region r JOIN w_country c
          ON ((c.i - r.j * %s) %% %s + %s) %% %s < %s
        """,
        [stride, countries, countries, countries, width],
    )
    run(
        """
        INSERT INTO clusters_cluster (
            created_at, updated_at, code, name, locality, sector, sector_family, cluster_type,
            lifecycle_stage, initiative_origin, number_of_firms, employment, women_led_firms,
            description, status, country_id)
        SELECT now(), now(), %s || '-cluster-' || n, 'Cluster ' || n, 'Town ' || n, 'sector',
               %s, %s, %s, %s, 50 + n %% 200, 1000 + n %% 5000, n %% 30, '', 'active', c.id
        FROM generate_series(0, %s) n JOIN w_country c ON c.i = n %% %s
        """,
        [
            prefix,
            SectorFamily.TRADITIONAL,
            ClusterType.ITALIANATE,
            LifecycleStage.MATURING,
            InitiativeOrigin.BOTTOM_UP_PUBLIC,
            clusters - 1,
            countries,
        ],
    )
    run(
        """
        CREATE TEMP TABLE w_cluster AS
        SELECT id, country_id, split_part(code, '-cluster-', 2)::int AS i FROM clusters_cluster
        WHERE code LIKE %s
        """,
        [f"{prefix}-cluster-%"],
    )
    run("CREATE INDEX ON w_cluster (i)")

    # Programs and enrolments.
    run(
        f"""
        INSERT INTO programs_program (created_at, updated_at, code, name, funder,
            executing_agency, area, typology, status, currency, total_amount, funder_amount,
            reporting_org_ref, reporting_org_type, dac_sector)
        SELECT {now}, {now}, %s || '-program-' || p, 'Program ' || p, 'IDB',
               '', '', '', 'in_execution', 'USD', 0, 0, '', '40', '32130'
        FROM generate_series(0, %s) p
        """,
        [prefix, programs - 1],
    )
    run(
        """
        CREATE TEMP TABLE w_program AS
        SELECT id, split_part(code, '-program-', 2)::int AS p FROM programs_program
        WHERE code LIKE %s
        """,
        [f"{prefix}-program-%"],
    )
    run(
        f"""
        INSERT INTO programs_enrolment (created_at, updated_at, enrolled_from, enrolled_until,
                                        cluster_id, program_id)
        SELECT {now}, {now}, make_date(%s, 1, 1), NULL::date, c.id, p.id
        FROM w_cluster c JOIN w_program p
          ON c.i %% 3 = 0 AND p.p IN (c.i %% %s, (c.i + %s / 2) %% %s)
        UNION ALL
        SELECT {now}, {now}, make_date(%s, 1, 1), NULL::date, c.id, p.id
        FROM w_cluster c JOIN w_program p ON c.i %% 3 = 1 AND p.p = c.i %% %s
        """,
        [first_year, programs, programs, programs, first_year + 2, programs],
    )

    # The template and its KPIs, adopted by every cluster.
    run(
        f"""
        INSERT INTO scorecards_template (created_at, updated_at, code, version, name, name_en,
            description, source, status, green_threshold, amber_threshold, published_at)
        VALUES ({now}, {now}, %s, 1, %s, %s, '', '', 'published', 1, 0.75, {now})
        RETURNING id
        """,
        [prefix, f"{prefix} template", f"{prefix} template"],
    )
    template_id = cursor.fetchone()[0]
    run(
        """
        INSERT INTO scorecards_perspective (name, name_en, "order", template_id)
        VALUES ('Results', 'Results', 0, %s) RETURNING id
        """,
        [template_id],
    )
    perspective_id = cursor.fetchone()[0]
    csf_ids = []
    for c in range(math.ceil(kpis / 5)):
        run(
            """
            INSERT INTO scorecards_csf (name, name_en, "order", perspective_id)
            VALUES (%s, %s, %s, %s) RETURNING id
            """,
            [f"CSF {c}", f"CSF {c}", c, perspective_id],
        )
        csf_ids.append(cursor.fetchone()[0])
    specs = kpi_specs(kpis)
    run("CREATE TEMP TABLE w_kpi (id bigint, j int, agg text, by_sex boolean)")
    for j, (aggregation, time_aggregation, by_sex) in enumerate(specs):
        run(
            f"""
            INSERT INTO scorecards_kpi (created_at, updated_at, code, name, name_en, description,
                unit, currency, direction, aggregation, time_aggregation, frequency,
                results_level, by_sex, scale, status, cluster_id, proposed_by_id, log_source,
                decision_reason)
            VALUES ({now}, {now}, %s, %s, %s, '', %s, '', 'higher', %s, %s, 'quarterly',
                    'output', %s, 100, 'accepted', NULL, NULL, '', '')
            RETURNING id
            """,
            [
                f"{prefix}-kpi-{j}",
                f"KPI {j} ({aggregation}, {time_aggregation})",
                f"KPI {j} ({aggregation}, {time_aggregation})",
                UNIT_OF[aggregation],
                aggregation,
                time_aggregation,
                by_sex,
            ],
        )
        kpi_id = cursor.fetchone()[0]
        run("INSERT INTO w_kpi VALUES (%s, %s, %s, %s)", [kpi_id, j, aggregation, by_sex])
        run(
            """
            INSERT INTO scorecards_templatekpi ("order", weight, csf_id, kpi_id)
            VALUES (%s, 1, %s, %s)
            """,
            [j, csf_ids[j // 5], kpi_id],
        )
    run(
        f"""
        INSERT INTO scorecards_clusterscorecard (created_at, updated_at, adopted_on, until,
                                                 cluster_id, template_id)
        SELECT {now}, {now}, make_date(%s, 1, 1), NULL, c.id, %s FROM w_cluster c
        """,
        [first_year, template_id],
    )

    # Reports (cluster x quarter) and their measurements (report x KPI), in the order the
    # application writes them: a report's values together.
    run(
        f"""
        INSERT INTO monitoring_report (created_at, updated_at, state, cluster_id, period_id,
                                       scorecard_id)
        SELECT {now}, {now},
               CASE WHEN c.i < %s AND q.i = (SELECT max(i) FROM w_quarter)
                    THEN 'submitted' ELSE 'approved' END,
               c.id, q.id, s.id
        FROM w_cluster c
        JOIN scorecards_clusterscorecard s ON s.cluster_id = c.id
        CROSS JOIN w_quarter q
        ORDER BY q.i, c.i
        """,
        [submitted],
    )
    h = "((r.id * 7919 + k.id * 104729) %% 100003)"
    run(
        f"""
        INSERT INTO monitoring_measurement (value, numerator, denominator, value_women,
            value_men, note, revision, updated_at, kpi_id, report_id)
        SELECT CASE k.agg WHEN 'sum' THEN {h} %% 100
                          WHEN 'share_yes' THEN {h} %% 2
                          WHEN 'min' THEN ({h} %% 1000) / 10.0
                          WHEN 'ratio' THEN NULL
                          ELSE ({h} %% 100000) / 100.0 END,
               CASE WHEN k.agg = 'ratio' THEN {h} %% 50 END,
               CASE WHEN k.agg = 'ratio' THEN 50 + ({h} / 50) %% 50 END,
               CASE WHEN k.by_sex THEN ({h} %% 100) / 2 END,
               CASE WHEN k.by_sex THEN {h} %% 100 - ({h} %% 100) / 2 END,
               '', 1, {now}, k.id, r.id
        FROM monitoring_report r
        JOIN w_cluster c ON c.id = r.cluster_id
        CROSS JOIN w_kpi k
        ORDER BY r.id, k.j
        """
    )

    # Targets at every level, some of them, and baselines.
    target = f"""
        INSERT INTO scorecards_target (created_at, updated_at, level, value, cluster_id,
            country_id, region_id, program_id, kpi_id, period_id, set_by_id)
        SELECT {now}, {now}, %s, {{value}}, {{cluster}}, {{country}}, {{region}}, {{program}},
               k.id, p.id, NULL
        FROM w_kpi k CROSS JOIN scorecards_period p {{units}}
        WHERE p.year BETWEEN %s AND %s AND {{where}}
    """
    span = [first_year, last_year]
    for level, value, units, where in (
        # cluster targets of sum KPIs for years: summed into derived targets above them
        ("cluster", "400", "JOIN w_cluster u ON u.i %% 4 = 0", "k.agg = 'sum' AND p.kind = 'year'"),
        # quarterly cluster targets (quarter_targets): values run 0-99 (a share 0-1), so about
        # half of them miss these
        (
            "cluster-quarter",
            "CASE WHEN k.agg = 'share_yes' THEN 1 ELSE 50 END",
            "JOIN w_cluster u ON u.i %% 2 = 1",
            "p.kind = 'quarter'",
        ),
        ("country", "50", "JOIN w_country u ON u.i %% 2 = 0", "p.kind = 'year'"),
        ("region", "60", "JOIN w_region u ON u.j = 0", "p.kind = 'quarter'"),
        ("program", "1000", "JOIN w_program u ON u.p = 0", "k.agg = 'sum' AND p.kind = 'year'"),
        ("global", "50", "", "k.j %% 2 = 0 AND p.kind = 'year'"),
    ):
        if level == "cluster-quarter" and not quarter_targets:
            continue
        level = level.removesuffix("-quarter")
        columns = dict.fromkeys(("cluster", "country", "region", "program"), "NULL")
        if level != "global":
            columns[level] = "u.id"
        run(target.format(value=value, units=units, where=where, **columns), [level, *span])
    run(
        f"""
        INSERT INTO scorecards_baseline (created_at, updated_at, value, numerator, denominator,
                                         year, note, cluster_id, kpi_id)
        SELECT {now}, {now},
               CASE WHEN k.agg = 'ratio' THEN NULL WHEN k.agg = 'share_yes' THEN 0 ELSE 10 END,
               CASE WHEN k.agg = 'ratio' THEN 10 END, CASE WHEN k.agg = 'ratio' THEN 40 END,
               %s, '', c.id, k.id
        FROM w_cluster c CROSS JOIN w_kpi k WHERE c.i %% 5 = 0
        """,
        [first_year - 1],
    )

    ids = {}
    for key, sql in (
        ("clusters", "SELECT id FROM w_cluster ORDER BY i"),
        ("kpis", "SELECT id FROM w_kpi ORDER BY j"),
        ("quarters", "SELECT id FROM w_quarter ORDER BY i"),
        ("regions", "SELECT id FROM w_region ORDER BY j"),
        ("programs", "SELECT id FROM w_program ORDER BY p"),
        (
            "years",
            f"SELECT id FROM scorecards_period WHERE kind = 'year' "
            f"AND year BETWEEN {first_year} AND {last_year} ORDER BY year",
        ),
        (
            "submitted_reports",
            "SELECT r.id FROM monitoring_report r JOIN w_cluster c ON c.id = r.cluster_id "
            "WHERE r.state = 'submitted' ORDER BY c.i",
        ),
    ):
        run(sql)
        ids[key] = [row[0] for row in cursor.fetchall()]
    for name in ("w_country", "w_region", "w_cluster", "w_program", "w_kpi", "w_quarter"):
        run(f"DROP TABLE {name}")
    ids["template"] = template_id
    return ids
