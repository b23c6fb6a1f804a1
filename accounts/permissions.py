"""DRF permission classes built on the scope rules of accounts.scopes."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.scopes import is_admin, may_write_field_data


class PublicReadAdminWrite(BasePermission):
    """Public directory data: anyone reads, administrators write."""

    public_reads = True  # the schema marks its reads as open (core.api_schema)

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or is_admin(request.user)


class SignedInReadAdminWrite(BasePermission):
    """The plan's shared definitions (templates, core KPIs): signed-in users read, administrators
    write (others: 403)."""

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        return request.method in SAFE_METHODS or is_admin(request.user)


class ScopedReadFieldWrite(BasePermission):
    """Cluster field data: signed-in users read their scope; BSO staff and admins write it.

    Which rows exist for the user is decided by the scoped queryset, so an object outside
    the scope answers 404 for reading and writing alike.
    """

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        return request.method in SAFE_METHODS or may_write_field_data(request.user)
