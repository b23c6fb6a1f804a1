"""Who sees which clusters: the one place every page, API endpoint and export filters by.

A user's scope is a queryset of clusters, one function per role (DESIGN.md "Who may do
what"). Everything else is scoped by joining to it with `scope_queryset`, so an object
outside the scope simply is not in the queryset and its detail view answers 404.
"""

from collections.abc import Callable

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet

from accounts.models import Role, User
from bsos.models import BSO, ClusterSupport
from clusters.models import Cluster, Country, Region
from core.dates import span_covers
from firms.models import Firm, Membership
from programs.models import Enrolment, Program


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


def scope_queryset(
    queryset: QuerySet, user, *, cluster_field: str = "cluster", shared_when_null: bool = False
) -> QuerySet:
    """Restrict any queryset whose rows belong to a cluster to the user's scope.

    With `shared_when_null`, rows that belong to no cluster (core KPIs, national targets)
    are shared with every signed-in user.
    """
    if user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.ADMIN):
        return queryset
    in_scope = Q(**{f"{cluster_field}__in": clusters_in_scope(user).values("pk")})
    if shared_when_null and user.is_authenticated:
        in_scope |= Q(**{f"{cluster_field}__isnull": True})
    return queryset.filter(in_scope)


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


# Roles that read a cluster's report values only once they are approved.
APPROVED_ONLY_ROLES = frozenset({Role.MINISTRY, Role.REGIONAL})


def scope_reports(queryset: QuerySet, user, *, prefix: str = "") -> QuerySet:
    """Reports (or rows of reports, via `prefix`, e.g. "report__") the user may read:
    in scope, and approved only for ministries and regional bodies."""
    queryset = scope_queryset(queryset, user, cluster_field=f"{prefix}cluster")
    if user.is_authenticated and user.role in APPROVED_ONLY_ROLES and not user.is_superuser:
        queryset = queryset.filter(**{f"{prefix}state": "approved"})
    return queryset


def target_units(user, level: str) -> QuerySet | None:
    """The units of a level (clusters, countries, regions, programs) whose targets the user
    may set, or None when the user may set no target at that level."""
    if is_admin(user):
        return {
            "cluster": Cluster.objects.all(),
            "country": Country.objects.all(),
            "region": Region.objects.all(),
            "program": Program.objects.all(),
        }.get(level)
    if not user.is_authenticated:
        return None
    if user.role == Role.PROGRAM_OFFICER:
        return {"cluster": clusters_in_scope(user), "program": user.programs.all()}.get(level)
    if user.role == Role.MINISTRY and level == "country":
        return Country.objects.filter(pk=user.country_id)
    if user.role == Role.REGIONAL and level == "region":
        return Region.objects.filter(pk=user.region_id)
    return None


def may_set_target(user, *, level: str, unit) -> bool:
    """May the user set a target at this level for this unit (None for the global level)?"""
    if level == "global":
        return is_admin(user)
    units = target_units(user, level)
    return units is not None and unit is not None and units.filter(pk=unit.pk).exists()


def rollup_units(user) -> dict[str, QuerySet | None]:
    """For each level, the units whose rollups the user may read (None: all of them).

    DESIGN.md: BSO staff their clusters; program officers their programs, their clusters and
    those clusters' countries; ministries their country (and its clusters); regional bodies
    their region (its countries and clusters); administrators everything. A level missing
    from the answer is not readable at all.
    """
    if not user.is_authenticated or not user.is_active:
        return {}
    if is_admin(user):
        return dict.fromkeys(["cluster", "country", "region", "program", "global"])
    clusters = clusters_in_scope(user).values("pk")
    units: dict[str, QuerySet | None] = {"cluster": clusters}
    if user.role == Role.PROGRAM_OFFICER:
        units["program"] = user.programs.values("pk")
        units["country"] = Cluster.objects.filter(pk__in=clusters).values("country_id")
    elif user.role == Role.MINISTRY:
        units["country"] = Country.objects.filter(pk=user.country_id).values("pk")
    elif user.role == Role.REGIONAL:
        units["region"] = Region.objects.filter(pk=user.region_id).values("pk")
        units["country"] = Country.objects.filter(regions=user.region_id).values("pk")
    return units


def scope_rollups(queryset: QuerySet, user) -> QuerySet:
    """Rollup rows (level, unit_id) the user may read."""
    condition = Q(pk__in=[])
    for level, units in rollup_units(user).items():
        condition |= Q(level=level) if units is None else Q(level=level, unit_id__in=units)
    return queryset.filter(condition)


# --- Dashboards: the countries and regions whose totals a user may read ----------------------
# (added for dashboards/; derived from rollup_units so that the rule stays in one place)


def countries_in_scope(user) -> QuerySet[Country]:
    """Countries whose national totals the user may read (national dashboards): none for BSO
    staff, the clusters' countries for program officers, their own for ministries, their
    region's for regional bodies, all for administrators."""
    units = rollup_units(user)
    if "country" not in units:
        return Country.objects.none()
    if units["country"] is None:
        return Country.objects.all()
    return Country.objects.filter(pk__in=units["country"])


def regions_in_scope(user) -> QuerySet[Region]:
    """Regions whose totals the user may read (regional dashboards)."""
    units = rollup_units(user)
    if "region" not in units:
        return Region.objects.none()
    if units["region"] is None:
        return Region.objects.all()
    return Region.objects.filter(pk__in=units["region"])


# --- Programs: which programs a user may read and write --------------------------------------
# (added for programs/; DESIGN.md "Who may do what", row "programs, disbursements")


def _programs_in_countries(countries: QuerySet[Country]) -> QuerySet[Program]:
    """Programs working in these countries: declared there, or enrolling a cluster there (a
    program cannot enrol a cluster in a country it does not work in)."""
    declared = Program.countries.through.objects.filter(country__in=countries)
    enrolling = Enrolment.objects.filter(cluster__country__in=countries)
    return Program.objects.filter(
        Q(pk__in=declared.values("program_id")) | Q(pk__in=enrolling.values("program_id"))
    )


def programs_in_scope(user) -> QuerySet[Program]:
    """BSO staff: programs enrolling a cluster their BSO supports; program officers: their own
    programs; ministries: programs in their country; regional bodies: programs in their region's
    countries; administrators: all. None for anonymous users."""
    if not user.is_authenticated or not user.is_active:
        return Program.objects.none()
    if user.is_admin_role:
        return Program.objects.all()
    if user.role == Role.BSO_STAFF:
        enrolling = Enrolment.objects.filter(cluster__in=clusters_of_bso_staff(user))
        return Program.objects.filter(pk__in=enrolling.values("program_id"))
    if user.role == Role.PROGRAM_OFFICER:
        return Program.objects.filter(pk__in=user.programs.values("pk"))
    if user.role == Role.MINISTRY:
        return _programs_in_countries(Country.objects.filter(pk=user.country_id))
    if user.role == Role.REGIONAL:
        return _programs_in_countries(Country.objects.filter(regions=user.region_id))
    return Program.objects.none()


def scope_programs(queryset: QuerySet, user, *, program_field: str = "pk") -> QuerySet:
    """Restrict programs (or rows of programs, e.g. program_field="program") to the scope."""
    if is_admin(user):
        return queryset
    in_scope = programs_in_scope(user).values("pk")
    return queryset.filter(**{f"{program_field}__in": in_scope})


# Roles that write programs (their own ones for officers) and record disbursements.
PROGRAM_WRITER_ROLES = frozenset({Role.PROGRAM_OFFICER, Role.ADMIN})


def may_write_programs(user) -> bool:
    """May this user create programs and change, move and disburse the ones in their scope?"""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in PROGRAM_WRITER_ROLES)
    )


# --- Users: whose account (role, scope) a user may read --------------------------------------


def users_in_scope(user) -> QuerySet[User]:
    """Administrators: every user; anyone else: themselves (their role and scope are set by
    administrators, and are theirs to read)."""
    if is_admin(user):
        return User.objects.all()
    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    return User.objects.filter(pk=user.pk)


# --- Filters: the clusters, BSOs, programs and KPIs a filter may offer -----------------------
# (accounts.filters applies it to every FilterSet of the pages and the API)


def bsos_in_scope(user) -> QuerySet[BSO]:
    """BSOs a user's filters offer: those that supported a cluster in the user's scope at any
    time, and a BSO user's own; all for administrators, none for anonymous users."""
    if not user.is_authenticated or not user.is_active:
        return BSO.objects.none()
    if is_admin(user):
        return BSO.objects.all()
    supporting = ClusterSupport.objects.filter(cluster__in=clusters_in_scope(user).values("pk"))
    return BSO.objects.filter(Q(pk__in=supporting.values("bso_id")) | Q(pk=user.bso_id))


# --- Firms: the registry is never public ------------------------------------------------------


def firms_in_scope(user) -> QuerySet[Firm]:
    """Firms that are or were members of a cluster in the user's scope (BSO staff: their BSO's
    clusters, officers: their programs', ministries: their country's...); all for administrators,
    none for anonymous users. Who may change them: may_write_field_data (BSO staff, admins)."""
    if not user.is_authenticated or not user.is_active:
        return Firm.objects.none()
    if is_admin(user):
        return Firm.objects.all()
    members = Membership.objects.filter(cluster__in=clusters_in_scope(user).values("pk"))
    return Firm.objects.filter(pk__in=members.values("firm_id"))


def scope_firms(queryset: QuerySet, user, *, firm_field: str = "pk") -> QuerySet:
    """Restrict firms (or rows of firms, e.g. firm_field="firm") to the user's scope."""
    if is_admin(user):
        return queryset
    return queryset.filter(**{f"{firm_field}__in": firms_in_scope(user).values("pk")})


def scope_choices(queryset: QuerySet, user) -> QuerySet:
    """The rows of a filter's choice (clusters, BSOs, programs, or rows that belong to a
    cluster, such as a cluster's own KPIs beside the shared core ones) that the user may pick;
    other models' choices are returned as they are. A row outside the scope is then an invalid
    choice, not an empty result that would confirm it exists."""
    model = queryset.model
    if model is Cluster:
        return queryset.filter(pk__in=clusters_in_scope(user).values("pk"))
    if model is BSO:
        return queryset.filter(pk__in=bsos_in_scope(user).values("pk"))
    if model is Program:
        return queryset.filter(pk__in=programs_in_scope(user).values("pk"))
    if model is Firm:
        return scope_firms(queryset, user)
    try:
        cluster = model._meta.get_field("cluster")
    except FieldDoesNotExist:
        return queryset
    if not cluster.many_to_one or cluster.related_model is not Cluster:
        return queryset
    return scope_queryset(queryset, user, shared_when_null=cluster.null)


# --- Notifications: who hears of an event in a cluster (notifications/) --------------------
# The inverse of the scope functions above: the users of a role whose scope holds the cluster.


def bso_staff_of_cluster(cluster_id: int) -> QuerySet[User]:
    """Active BSO staff whose BSO supports the cluster today (clusters_of_bso_staff, through
    Cluster.objects.supported_by's rule: a support whose span covers today)."""
    supporting = ClusterSupport.objects.filter(span_covers(), cluster_id=cluster_id)
    return User.objects.filter(
        is_active=True, role=Role.BSO_STAFF, bso_id__in=supporting.values("bso_id")
    )


def officers_of_cluster(cluster_id: int) -> QuerySet[User]:
    """Active program officers of a program that ever enrolled the cluster
    (clusters_of_program_officer)."""
    enrolling = Enrolment.objects.filter(cluster_id=cluster_id).values("program_id")
    return User.objects.filter(
        is_active=True, role=Role.PROGRAM_OFFICER, programs__in=enrolling
    ).distinct()
