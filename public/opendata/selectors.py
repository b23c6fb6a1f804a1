"""The list of open datasets and when each last changed: a published cluster when its
publication or one of its approved reports changed; a country or region page when its own
publication or any of its published clusters did; a program when it, its disbursements or any
of its published clusters did. A fixed number of queries, however many datasets."""

from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.urls import reverse

from clusters.models import Region
from monitoring.models import Report
from programs.models import Disbursement, Enrolment
from public.pages import selectors as pages
from public.selectors import published_clusters


@dataclass
class Dataset:
    kind: str  # clusters, countries, regions, programs; "" for the index of clusters
    code: str
    title: str
    page_url: str
    tables: list[str]
    last_change: object = None
    extra: dict = field(default_factory=dict)


TABLES = {
    "clusters": ["results", "own-results", "governance"],
    "countries": ["results", "clusters"],
    "regions": ["results", "clusters"],
    "programs": ["results", "clusters", "money"],
}


def _latest(*moments):
    found = [moment for moment in moments if moment is not None]
    return max(found) if found else None


def open_datasets() -> list[Dataset]:
    clusters = list(
        published_clusters()
        .annotate(
            report_change=Max("reports__updated_at", filter=Q(reports__state=Report.State.APPROVED))
        )
        .values_list("pk", "code", "name", "country_id", "publication__updated_at", "report_change")
        .order_by("name")
    )
    change = {pk: _latest(published, report) for pk, _c, _n, _k, published, report in clusters}
    by_country: dict[int, list[int]] = {}
    for pk, _code, _name, country_id, *_rest in clusters:
        by_country.setdefault(country_id, []).append(pk)
    found = [
        Dataset(
            "",
            "clusters",
            "",
            reverse("public-index"),
            ["clusters"],
            _latest(*change.values()),
        )
    ]
    for pk, code, name, *_rest in clusters:
        found.append(
            Dataset(
                "clusters",
                code,
                name,
                reverse("public-cluster", args=[code]),
                TABLES["clusters"],
                change[pk],
            )
        )
    for country in pages.published_countries().values(
        "pk", "code", "name", "publication__updated_at"
    ):
        members = by_country.get(country["pk"], [])
        found.append(
            Dataset(
                "countries",
                country["code"],
                country["name"],
                reverse("public-country", args=[country["code"]]),
                TABLES["countries"],
                _latest(country["publication__updated_at"], *(change[m] for m in members)),
            )
        )
    regions = list(
        pages.published_regions().values("pk", "code", "name", "publication__updated_at")
    )
    countries_of: dict[int, list[int]] = {}
    for region_id, country_id in Region.countries.through.objects.filter(
        region_id__in=[r["pk"] for r in regions]
    ).values_list("region_id", "country_id"):
        countries_of.setdefault(region_id, []).append(country_id)
    for region in regions:
        members = [m for c in countries_of.get(region["pk"], []) for m in by_country.get(c, [])]
        found.append(
            Dataset(
                "regions",
                region["code"],
                region["name"],
                reverse("public-region", args=[region["code"]]),
                TABLES["regions"],
                _latest(region["publication__updated_at"], *(change[m] for m in members)),
            )
        )
    programs = list(
        pages.public_programs().order_by("name").values("pk", "code", "name", "updated_at")
    )
    disbursed = dict(
        Disbursement.objects.filter(program_id__in=[p["pk"] for p in programs])
        .values("program_id")
        .annotate(latest=Max("updated_at"))
        .values_list("program_id", "latest")
    )
    enrolled: dict[int, set[int]] = {}
    for program_id, cluster_id in Enrolment.objects.filter(
        cluster_id__in=list(change), program_id__in=[p["pk"] for p in programs]
    ).values_list("program_id", "cluster_id"):
        enrolled.setdefault(program_id, set()).add(cluster_id)
    for program in programs:
        members = enrolled.get(program["pk"], set())
        found.append(
            Dataset(
                "programs",
                program["code"],
                program["name"],
                reverse("public-program", args=[program["code"]]),
                TABLES["programs"],
                _latest(
                    program["updated_at"],
                    disbursed.get(program["pk"]),
                    *(change[m] for m in members),
                ),
            )
        )
    return found
