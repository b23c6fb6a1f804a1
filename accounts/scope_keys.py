"""A short key naming a user's scope, for caches shared by the users who see the same data.

accounts.scopes builds a user's scope from the role and the user's own fields (country,
region, BSO); a program officer's scope also follows rows linked to the user (their
programs). The key holds the role and those fields, so that, say, every ministry user of one
country shares one cached page; for program officers, and for any role this module does not
know, it also holds the user. tests/accounts/test_scope_keys.py checks that users who share a
key share the SQL of every scope queryset.
"""

from accounts.models import Role

# Roles whose scope accounts.scopes derives from the user's own fields alone.
SCOPED_BY_FIELDS = frozenset({Role.ADMIN, Role.MINISTRY, Role.REGIONAL, Role.BSO_STAFF})


def scope_key(user) -> str:
    """What data a user may read depends on these (never on anything else about the user)."""
    if not user.is_authenticated:
        return "anonymous"
    parts = [
        user.role,
        user.is_superuser,
        user.is_active,
        user.is_admin_role,
        user.country_id,
        user.region_id,
        user.bso_id,
    ]
    if not (user.is_admin_role or user.role in SCOPED_BY_FIELDS):
        parts.append(f"user={user.pk}")
    return ":".join(str(p) for p in parts)
