"""The rollup statements' text as reviewed: every statement the engine runs is kept, as
assembled for PostgreSQL and for SQLite, in tests/monitoring/sql/<statement>.<vendor>.sql, and
these tests fail when the assembled text differs from its file. A change of the SQL thus
shows in review as a diff of these files.

After changing the SQL on purpose, write the files again and read their diff:

    UPDATE_SQL_SNAPSHOTS=1 DJANGO_SETTINGS_MODULE=config.settings.test \
        .venv/bin/pytest tests/monitoring/test_rollup_sql_text.py
"""

import os
from pathlib import Path

import pytest

from monitoring.rollups.sql.statement import (
    Scope,
    cluster_rows_insert_statement,
    partials_insert_statement,
    partials_replace_statement,
    split_partials_insert_statement,
    split_partials_replace_statement,
    splits_insert_statement,
    splits_statement,
    statement,
    totals_insert_statement,
)

ROOT = Path(__file__).resolve().parents[2]
FOLDER = Path(__file__).resolve().parent / "sql"
UPDATE = os.environ.get("UPDATE_SQL_SNAPSHOTS") == "1"
YEAR = (11, 12, 13, 14, 15)  # a year and its quarters: one task of a full run
# (statement, the scope the engine gives it, the vendors it runs on)
STATEMENTS = {
    # the partial sums of every group of a year
    "partials_insert": (partials_insert_statement, Scope(period_ids=YEAR)),
    # an approval: one cluster's group summed again, in a quarter and its year (the engine
    # runs it on PostgreSQL only: SQLite has no DELETE inside a WITH and recomputes whole
    # periods)
    "partials_replace": (partials_replace_statement, Scope(period_ids=(14, 15), groups_of=(7,))),
    # the totals of a year, added up from the stored partial sums
    "totals_insert": (totals_insert_statement, Scope(period_ids=YEAR)),
    # cluster rows computed from source (the audit), for two clusters in one period
    "cluster_rows": (statement, Scope(period_ids=(15,), clusters=True, cluster_ids=(7, 8))),
    # cluster rows prepared: every cluster of a year, as a full run's task does
    "cluster_rows_insert": (cluster_rows_insert_statement, Scope(period_ids=YEAR, clusters=True)),
    # the parts of split KPIs given by every group of a year, then by one cluster's group
    "split_partials_insert": (split_partials_insert_statement, Scope(period_ids=YEAR)),
    "split_partials_replace": (
        split_partials_replace_statement,
        Scope(period_ids=(14, 15), groups_of=(7,)),
    ),
    # the split rows of a year, added up from the groups' stored parts
    "splits_insert": (splits_insert_statement, Scope(period_ids=YEAR)),
    # the split rows of two clusters in one period, computed on read
    "split_cluster_rows": (
        splits_statement,
        Scope(period_ids=(15,), clusters=True, cluster_ids=(7, 8)),
    ),
}
VENDORS = {"partials_replace": ["postgresql"], "split_partials_replace": ["postgresql"]}
CASES = [
    (name, vendor) for name in STATEMENTS for vendor in VENDORS.get(name, ["postgresql", "sqlite"])
]


def _file(name: str, vendor: str) -> Path:
    return FOLDER / f"{name}.{vendor}.sql"


@pytest.mark.parametrize(("name", "vendor"), CASES)
def test_the_assembled_statement_is_the_reviewed_text(name, vendor):
    build, scope = STATEMENTS[name]
    sql, _params = build(scope, vendor=vendor)
    text = sql.rstrip("\n") + "\n"
    kept = _file(name, vendor)
    if UPDATE:
        FOLDER.mkdir(exist_ok=True)
        kept.write_text(text)
    assert kept.exists(), f"{kept} is missing: write it with UPDATE_SQL_SNAPSHOTS=1"
    assert kept.read_text() == text, (
        f"the {vendor} statement {name} differs from {kept.relative_to(ROOT)}: if the "
        "change is meant, write the files again with UPDATE_SQL_SNAPSHOTS=1 (see this "
        "module's docstring) and review their diff"
    )


def test_every_kept_file_is_a_statement_the_engine_runs():
    kept = {path.name for path in FOLDER.glob("*.sql")}
    assert kept == {_file(name, vendor).name for name, vendor in CASES}
