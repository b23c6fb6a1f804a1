"""What each public page reads: published clusters only, a country or region only when its
owner published the page, a program past preparation (approved programs' money is public, as
in their IATI file); every number from public.pages.results."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from clusters.models import Cluster, Country, Region, StakeholderType
from plans.models import Plan, PlanAction
from plans.selectors import approved_plan
from programs.models import Enrolment, Program
from programs.selectors import portfolio_rows
from public.models import AreaPublication
from public.pages import results
from public.selectors import published_clusters
from scorecards.models import Level, Period


def public_clusters() -> QuerySet[Cluster]:
    """Published clusters with what the index and a page show of them."""
    return published_clusters().select_related("country", "publication__decision__meeting")


def cluster_index(query: str = "") -> QuerySet[Cluster]:
    """The index of published clusters, searched by name, sector, locality or country."""
    clusters = public_clusters().order_by("name", "pk")
    query = query.strip()
    if query:
        clusters = clusters.filter(
            Q(name__icontains=query)
            | Q(sector__icontains=query)
            | Q(locality__icontains=query)
            | Q(country__name__icontains=query)
            | Q(code__icontains=query)
        )
    return clusters


def public_cluster(code: str) -> Cluster:
    return get_object_or_404(public_clusters(), code=code)


def governance(cluster: Cluster) -> dict:
    """The steering committee's composition today, counted (no person named): members, by
    stakeholder type and by sex."""
    committee = getattr(cluster, "committee", None)
    if committee is None:
        return {"members": 0, "by_type": [], "women": 0, "men": 0}
    counts = committee.members.current().aggregate(
        total=Count("id"),
        women=Count("id", filter=Q(sex="female")),
        men=Count("id", filter=Q(sex="male")),
        **{kind.value: Count("id", filter=Q(stakeholder_type=kind)) for kind in StakeholderType},
    )
    by_type = [(kind.label, counts[kind.value]) for kind in StakeholderType if counts[kind.value]]
    return {
        "name": committee.name,
        "members": counts["total"],
        "by_type": by_type,
        "women": counts["women"],
        "men": counts["men"],
    }


@dataclass
class ClusterPage:
    cluster: Cluster
    years: list[Period]
    figures: dict  # KPI id -> year figures, newest first
    governance: dict
    programs: list[Program] = field(default_factory=list)
    own: dict = field(default_factory=dict)  # own KPI id -> results.OwnValue, newest first
    plan: Plan | None = None  # the latest approved competitiveness plan
    actions: list[PlanAction] = field(default_factory=list)


def cluster_page(code: str) -> ClusterPage:
    cluster = public_cluster(code)
    years = results.public_years()
    programs = list(
        Program.objects.filter(enrolments__cluster=cluster)
        .exclude(status=Program.Status.PREPARATION)
        .distinct()
        .order_by("name")
    )
    return ClusterPage(
        cluster=cluster,
        years=years,
        figures=results.cluster_figures(cluster, years),
        governance=governance(cluster),
        programs=programs,
        own=results.own_kpi_values(cluster),
        plan=(plan := approved_plan(cluster.pk)),
        actions=list(plan.actions.order_by("starts_on", "pk")) if plan else [],
    )


# --- Countries and regions ------------------------------------------------------------------


def published_countries() -> QuerySet[Country]:
    return Country.objects.filter(publication__published=True).order_by("name")


def published_regions() -> QuerySet[Region]:
    return Region.objects.filter(publication__published=True).order_by("name")


@dataclass
class AreaPage:
    level: str
    unit: object  # Country, Region or Program
    years: list[Period]
    figures: dict  # KPI id -> list of results.AreaFigure, newest first
    published: list[Cluster]  # the unit's published clusters, named
    unpublished: int  # its other clusters, counted
    publication: AreaPublication | None = None
    money: object = None  # a program's row of programs.selectors.portfolio_rows


def _area_page(level: str, unit, clusters: QuerySet[Cluster], members=None, **extra) -> AreaPage:
    years = results.public_years()
    published = list(public_clusters().filter(pk__in=clusters.values("pk")).order_by("name"))
    total = clusters.values("pk").distinct().count()
    ids = [c.pk for c in published]
    if members is None:
        members = {year.pk: ids for year in years}
    figures = results.area_figures(
        level=level,
        unit_id=unit.pk,
        members=members,
        clusters={c.pk: c for c in published},
        years=years,
    )
    return AreaPage(
        level=level,
        unit=unit,
        years=years,
        figures=figures,
        published=published,
        unpublished=total - len(published),
        **extra,
    )


def country_page(code: str) -> AreaPage:
    country = get_object_or_404(published_countries(), code=code.upper())
    return _area_page(Level.COUNTRY, country, Cluster.objects.filter(country=country))


def region_page(code: str) -> AreaPage:
    region = get_object_or_404(published_regions(), code=code)
    return _area_page(Level.REGION, region, Cluster.objects.filter(country__regions=region))


# --- Programs -------------------------------------------------------------------------------


def public_programs() -> QuerySet[Program]:
    return portfolio_rows().exclude(status=Program.Status.PREPARATION)


def program_page(code: str) -> AreaPage:
    program = public_programs().filter(code=code).first()
    if program is None:
        raise Http404
    enrolments = list(Enrolment.objects.filter(program=program))
    published_ids = set(
        published_clusters()
        .filter(pk__in=[e.cluster_id for e in enrolments])
        .values_list("pk", flat=True)
    )
    years = results.public_years()
    members = {
        year.pk: sorted(
            {
                e.cluster_id
                for e in enrolments
                if e.cluster_id in published_ids
                and e.enrolled_from <= year.ends_on
                and (e.enrolled_until is None or e.enrolled_until >= year.starts_on)
            }
        )
        for year in years
    }
    return _area_page(
        Level.PROGRAM,
        program,
        Cluster.objects.filter(enrolments__program=program),
        members=members,
        money=program,
    )
