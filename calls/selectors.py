"""Who sees which calls and applications. calls sits above accounts in the layers (selecting
enrols a cluster in a program), so accounts cannot import it: the scope of calls is built here
on accounts.scopes' functions, and every page, API endpoint and export of calls uses these.

- Calls: a published (or closed, decided) call is public; a draft one is seen by those who
  see its program and write programs (its officers, administrators).
- Applications: BSO staff see their BSO's; officers, ministries and regional bodies see the
  applications to calls of programs in their scope; evaluators those of their calls;
  administrators all.
"""

from django.db.models import Q, QuerySet

from accounts.models import Role
from accounts.scopes import is_admin, may_write_programs, programs_in_scope
from calls.models import Application, Call


def calls_in_scope(user) -> QuerySet[Call]:
    calls = Call.objects.select_related("program")
    if is_admin(user):
        return calls
    public = ~Q(state=Call.State.DRAFT)
    if may_write_programs(user):
        return calls.filter(public | Q(program__in=programs_in_scope(user).values("pk")))
    return calls.filter(public)


def may_manage_call(user, call: Call) -> bool:
    """Officers of the call's program (and administrators) open, change, close and decide it."""
    if is_admin(user):
        return True
    return may_write_programs(user) and programs_in_scope(user).filter(pk=call.program_id).exists()


def applications_in_scope(user) -> QuerySet[Application]:
    applications = Application.objects.select_related("call", "call__program", "cluster", "bso")
    if not user.is_authenticated or not user.is_active:
        return applications.none()
    if is_admin(user):
        return applications
    if user.role == Role.BSO_STAFF:
        return applications.filter(bso_id=user.bso_id)
    return applications.filter(
        Q(call__program__in=programs_in_scope(user).values("pk")) | Q(call__evaluators=user)
    ).distinct()
