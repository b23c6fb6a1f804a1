"""Writes of users: save one (from the user page or the admin), with the rules of roles."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.tokens.services import tokens_revoke_all
from programs.models import Program

# The field that anchors each role's scope (accounts.scopes); program officers' is `programs`.
ANCHOR_OF_ROLE = {Role.BSO_STAFF: "bso", Role.MINISTRY: "country", Role.REGIONAL: "region"}


def user_refusals(*, user: User, by: User | None) -> dict[str, str]:
    """Why `by` may not save `user` as it now stands (field: message), if anything: an
    administrator does not deactivate or demote themselves. Forms ask before saving (the
    admin's, whose save cannot answer with a form error), and user_save asks again."""
    if by is None or user.pk is None or user.pk != by.pk:
        return {}
    if not user.is_active:
        return {"is_active": _("You cannot deactivate your own account.")}
    if by.is_admin_role and not user.is_admin_role:
        return {"role": _("You cannot take away your own administrator role.")}
    return {}


@transaction.atomic
def user_save(
    *, user: User, programs: Iterable[Program] | None = None, by: User | None = None
) -> User:
    """Create or change a user. Anchors that are not the role's are cleared (a ministry user
    keeps no BSO), so the scope is always the role's; an administrator does not deactivate
    or demote themselves (someone must remain to undo it). A deactivated user's API tokens
    are revoked here, at once (they would already refuse every request: tokens of inactive
    users are dead, accounts.tokens.selectors.token_is_live)."""
    refusals = user_refusals(user=user, by=by)
    if refusals:
        raise ValidationError(refusals)
    for role, field in ANCHOR_OF_ROLE.items():
        if user.role != role:
            setattr(user, field, None)
    user.full_clean()
    user.save()
    if programs is not None or user.role != Role.PROGRAM_OFFICER:
        user.programs.set(programs if user.role == Role.PROGRAM_OFFICER and programs else [])
    if not user.is_active:
        tokens_revoke_all(user=user)
    return user
