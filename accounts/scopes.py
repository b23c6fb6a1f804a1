"""Who sees which clusters: the one place every page, API endpoint and export filters by.

A user's scope is a queryset of clusters, one function per role (DESIGN.md "Who may do
what"). Everything else is scoped by joining to it with `scope_queryset`, so an object
outside the scope simply is not in the queryset and its detail view answers 404.
"""

from collections.abc import Callable

from django.db.models import QuerySet

from accounts.models import Role, User
from clusters.models import Cluster
from programs.models import Enrolment


def clusters_of_bso_staff(user: User) -> QuerySet[Cluster]:
    """Clusters the user's BSO supports today (as lead or partner)."""
    return Cluster.objects.supported_by(user.bso_id)


def clusters_of_program_officer(user: User) -> QuerySet[Cluster]:
    """Clusters ever enrolled in the user's programs (an officer keeps the program's history)."""
    enrolled = Enrolment.objects.filter(program__officers=user)
    return Cluster.objects.filter(pk__in=enrolled.values("cluster_id"))


def clusters_of_ministry(user: User) -> QuerySet[Cluster]:
    return Cluster.objects.filter(country_id=user.country_id)


def clusters_of_regional(user: User) -> QuerySet[Cluster]:
    return Cluster.objects.filter(country__regions=user.region_id)


def clusters_of_admin(user: User) -> QuerySet[Cluster]:
    return Cluster.objects.all()


SCOPE_BY_ROLE: dict[str, Callable[[User], QuerySet[Cluster]]] = {
    Role.BSO_STAFF: clusters_of_bso_staff,
    Role.PROGRAM_OFFICER: clusters_of_program_officer,
    Role.MINISTRY: clusters_of_ministry,
    Role.REGIONAL: clusters_of_regional,
    Role.ADMIN: clusters_of_admin,
}

# Roles that record what happens in a cluster (governance, activities, KPI values).
FIELD_WRITER_ROLES = frozenset({Role.BSO_STAFF, Role.ADMIN})
# Roles that approve, return and reopen reports and accept a cluster's own KPIs.
REVIEWER_ROLES = frozenset({Role.PROGRAM_OFFICER, Role.ADMIN})


def clusters_in_scope(user) -> QuerySet[Cluster]:
    """The clusters this user may see beyond the public directory; none for anonymous users."""
    if not user.is_authenticated or not user.is_active:
        return Cluster.objects.none()
    if user.is_superuser:
        return clusters_of_admin(user)
    scope = SCOPE_BY_ROLE.get(user.role)
    return scope(user) if scope else Cluster.objects.none()


def scope_queryset(queryset: QuerySet, user, *, cluster_field: str = "cluster") -> QuerySet:
    """Restrict any queryset whose rows belong to a cluster to the user's scope."""
    if user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.ADMIN):
        return queryset
    return queryset.filter(**{f"{cluster_field}__in": clusters_in_scope(user).values("pk")})


def may_write_field_data(user) -> bool:
    """May this user record governance and field data (within their scope)?"""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in FIELD_WRITER_ROLES)
    )


def may_review(user) -> bool:
    """May this user approve, return or reopen reports (within their scope)?"""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in REVIEWER_ROLES)
    )


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_admin_role)
