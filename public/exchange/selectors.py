"""Reads of the knowledge exchange: what BSO staff see in their scope, and what anyone sees
(published case studies and visits only), searchable."""

from django.db.models import Q, QuerySet

from accounts.scopes import clusters_in_scope
from public.exchange.models import CaseStudy, ExchangeVisit, Topic

# The public index shows this many of each at most; a search narrows it.
PUBLIC_INDEX_SIZE = 50


def case_study_list() -> QuerySet[CaseStudy]:
    return CaseStudy.objects.select_related("cluster__country").prefetch_related("topics")


def visit_list() -> QuerySet[ExchangeVisit]:
    return ExchangeVisit.objects.select_related("host__country", "visitor__country")


def case_studies_in_scope(user) -> QuerySet[CaseStudy]:
    """Case studies of the clusters in the user's scope, published or not."""
    return case_study_list().filter(cluster__in=clusters_in_scope(user).values("pk"))


def visits_in_scope(user) -> QuerySet[ExchangeVisit]:
    """Visits either of whose clusters is in the user's scope, published or not."""
    scope = clusters_in_scope(user).values("pk")
    return visit_list().filter(Q(host__in=scope) | Q(visitor__in=scope))


def published_case_studies(*, search: str = "", topic: str = "") -> QuerySet[CaseStudy]:
    """Published case studies, newest first, matching the words searched (title, summary,
    text, cluster, country, topic) and the topic (its code)."""
    studies = case_study_list().published()
    for word in search.split()[:8]:
        studies = studies.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(body__icontains=word)
            | Q(cluster__name__icontains=word)
            | Q(cluster__country__name__icontains=word)
            | Q(topics__name__icontains=word)
        )
    if topic:
        studies = studies.filter(topics__code=topic)
    return studies.distinct()


def published_visits(*, search: str = "") -> QuerySet[ExchangeVisit]:
    """Published exchange visits, latest first, matching the words searched (purpose, what was
    learnt, either cluster or its country)."""
    visits = visit_list().published()
    for word in search.split()[:8]:
        visits = visits.filter(
            Q(purpose__icontains=word)
            | Q(learnt__icontains=word)
            | Q(host__name__icontains=word)
            | Q(visitor__name__icontains=word)
            | Q(host__country__name__icontains=word)
            | Q(visitor__country__name__icontains=word)
        )
    return visits


def published_case_study(pk: int) -> QuerySet[CaseStudy]:
    """The case study with its images and KPIs, when published (else an empty queryset)."""
    return case_study_list().published().prefetch_related("images", "kpis").filter(pk=pk)


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.all()
