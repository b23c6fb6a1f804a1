"""The tables of each public page, as open data: stable column names (docs/open-data.md; a
change of them is a change of the documented format) and rows of plain values. Built from the
same page objects as the pages (public.pages.selectors), so the same publication rules hold."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.urls import reverse

from public.pages import selectors
from public.pages.results import MIN_GROUP, method
from scorecards.models import Level
from scorecards.numbers import kpi_number

LICENCE = getattr(
    settings,
    "OPEN_DATA_LICENCE",
    "Creative Commons Attribution 4.0 International (CC BY 4.0), "
    "https://creativecommons.org/licenses/by/4.0/",
)

CLUSTER_COLUMNS = [
    "cluster_code",
    "cluster_name",
    "country_code",
    "country_name",
    "locality",
    "sector",
    "sector_family",
    "published_since",
    "page_url",
]
CLUSTER_RESULT_COLUMNS = [
    "cluster_code",
    "kpi_code",
    "kpi_name",
    "measure",
    "year",
    "value",
    "value_women",
    "value_men",
    "target",
    "baseline",
    "achievement_percent",
    "status",
    "quarters_complete",
    "as_of",
    "method",
]
OWN_RESULT_COLUMNS = [
    "cluster_code",
    "kpi_code",
    "kpi_name",
    "unit",
    "period",
    "period_start",
    "period_end",
    "value",
    "as_of",
]
GOVERNANCE_COLUMNS = ["cluster_code", "members", "women", "men", "stakeholder_type", "count"]
AREA_RESULT_COLUMNS = [
    "level",
    "unit_code",
    "unit_name",
    "kpi_code",
    "kpi_name",
    "measure",
    "year",
    "value",
    "target",
    "achievement_percent",
    "status",
    "clusters_contributing",
    "clusters_expected",
    "clusters_unpublished_reporting",
    "contributing_clusters",
    "not_shown_reason",
    "as_of",
    "method",
]
MONEY_COLUMNS = [
    "program_code",
    "program_name",
    "status",
    "currency",
    "total_amount",
    "funder_amount",
    "disbursed",
    "disbursement_rate_percent",
    "approval_date",
    "closing_date",
]


@dataclass
class Table:
    name: str  # the file name's last part: results, clusters, governance, money
    columns: list[str]
    rows: list[dict]


def _percent(number):
    return None if number is None else (number * 100).quantize(Decimal("0.1"))


def cluster_row(cluster) -> dict:
    publication = cluster.publication
    return {
        "cluster_code": cluster.code,
        "cluster_name": cluster.name,
        "country_code": cluster.country.code,
        "country_name": cluster.country.name,
        "locality": cluster.locality,
        "sector": cluster.sector,
        "sector_family": cluster.sector_family,
        "published_since": publication.decision.meeting.held_on if publication.decision else None,
        "page_url": reverse("public-cluster", args=[cluster.code]),
    }


def index_tables(query: str = "") -> list[Table]:
    clusters = selectors.cluster_index(query)
    return [Table("clusters", CLUSTER_COLUMNS, [cluster_row(c) for c in clusters])]


def cluster_tables(page: selectors.ClusterPage) -> list[Table]:
    code = page.cluster.code
    results = []
    for figures in page.figures.values():
        for f in figures:
            kpi = f.kpi
            results.append(
                {
                    "cluster_code": code,
                    "kpi_code": kpi.code,
                    "kpi_name": kpi.name,
                    "measure": f.measure,
                    "year": f.row.period.year,
                    "value": kpi_number(f.shown_value, kpi),
                    "value_women": kpi_number(f.row.value_women, kpi),
                    "value_men": kpi_number(f.row.value_men, kpi),
                    "target": kpi_number(f.shown_target, kpi),
                    "baseline": kpi_number(f.shown(f.baseline), kpi),
                    "achievement_percent": f.achievement_percent,
                    "status": f.status,
                    "quarters_complete": f.row.clusters_complete == 1
                    if f.row.clusters_complete is not None
                    else None,
                    "as_of": f.as_of,
                    "method": method(kpi, level=Level.CLUSTER),
                }
            )
    governance = page.governance
    composition = [
        {
            "cluster_code": code,
            "members": governance["members"],
            "women": governance["women"],
            "men": governance["men"],
            "stakeholder_type": label,
            "count": count,
        }
        for label, count in governance["by_type"]
    ]
    own = [
        {
            "cluster_code": code,
            "kpi_code": v.kpi.code,
            "kpi_name": v.kpi.name,
            "unit": v.kpi.unit,
            "period": str(v.period),
            "period_start": v.period.starts_on,
            "period_end": v.period.ends_on,
            "value": kpi_number(v.value, v.kpi),
            "as_of": v.as_of,
        }
        for values in page.own.values()
        for v in values
    ]
    return [
        Table("results", CLUSTER_RESULT_COLUMNS, results),
        Table("own-results", OWN_RESULT_COLUMNS, own),
        Table("governance", GOVERNANCE_COLUMNS, composition),
    ]


def area_tables(page: selectors.AreaPage) -> list[Table]:
    unit = page.unit
    results = []
    for figures in page.figures.values():
        for r in figures:
            kpi, f = r.kpi, r.figure
            results.append(
                {
                    "level": page.level,
                    "unit_code": unit.code,
                    "unit_name": unit.name,
                    "kpi_code": kpi.code,
                    "kpi_name": kpi.name,
                    "measure": f.measure if f else "",
                    "year": r.period.year,
                    "value": kpi_number(f.shown_value, kpi) if f else None,
                    "target": kpi_number(f.shown_target, kpi) if f else None,
                    "achievement_percent": f.achievement_percent if f else None,
                    "status": f.status if f else "",
                    "clusters_contributing": len(r.contributing),
                    "clusters_expected": r.expected,
                    "clusters_unpublished_reporting": r.unpublished,
                    "contributing_clusters": ";".join(c.code for c in r.contributing),
                    "not_shown_reason": ""
                    if f
                    else f"fewer than {MIN_GROUP} published clusters reported",
                    "as_of": f.as_of if f else None,
                    "method": method(kpi, level=page.level),
                }
            )
    tables = [
        Table("results", AREA_RESULT_COLUMNS, results),
        Table("clusters", CLUSTER_COLUMNS, [cluster_row(c) for c in page.published]),
    ]
    if page.money is not None:
        program = page.money
        tables.append(
            Table(
                "money",
                MONEY_COLUMNS,
                [
                    {
                        "program_code": program.code,
                        "program_name": program.name,
                        "status": program.status,
                        "currency": program.currency,
                        "total_amount": program.total_amount,
                        "funder_amount": program.funder_amount,
                        "disbursed": program.disbursed,
                        "disbursement_rate_percent": _percent(program.disbursement_rate),
                        "approval_date": program.approval_date,
                        "closing_date": program.closing_date,
                    }
                ],
            )
        )
    return tables
