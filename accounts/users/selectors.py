"""Reads of users: the administrators' list, and what a user's scope is anchored to."""

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from accounts.scopes import clusters_in_scope


def user_list(*, role: str = "", search: str = "") -> QuerySet[User]:
    """Users with their anchors loaded (one query for the page, one for programs)."""
    users = User.objects.select_related("bso", "country", "region").prefetch_related("programs")
    if role:
        users = users.filter(role=role)
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    return users.order_by("username")


def scope_anchors(user: User) -> list[str]:
    """What the user's scope hangs on, as names: their BSO, programs, country or region."""
    if user.is_admin_role:
        return []
    if user.role == Role.BSO_STAFF and user.bso_id:
        return [user.bso.name]
    if user.role == Role.PROGRAM_OFFICER:
        return [str(program) for program in user.programs.all()]
    if user.role == Role.MINISTRY and user.country_id:
        return [user.country.name]
    if user.role == Role.REGIONAL and user.region_id:
        return [user.region.name]
    return []


def scope_clusters(user: User):
    """The clusters in the user's scope, by name, with their country (one query)."""
    return clusters_in_scope(user).select_related("country").order_by("name")
