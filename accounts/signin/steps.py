"""The steps of signing in: a throttled password check, then, for users who need two
factors, a code, with the half-done sign-in waiting in the session in between.

Until the code is right the session holds no signed-in user at all (only who is waiting and
where to go), so nothing but the code and enrolment pages can be reached with the password
alone, by a page, the admin or the API.
"""

import time

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.shortcuts import resolve_url
from django.utils.crypto import constant_time_compare
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.signin.throttle import (
    client_address,
    password_check_allowed,
    password_failed,
    password_succeeded,
)

PENDING = "signin_pending"


def password_authenticate(request, *, username: str, password: str) -> User | None:
    """The user these credentials sign in, or None (a failure, counted); raises SignInLocked
    while the account or the address is locked, before any password is checked."""
    address = client_address(request)
    password_check_allowed(username=username, address=address)
    user = authenticate(request, username=username, password=password)
    if user is None:
        password_failed(username=username, address=address)
        return None
    password_succeeded(username=username)
    return user


def pending_start(request, *, user: User, next_url: str) -> None:
    """The password was right; the code comes next (a new session key: the half-done sign-in
    must not be found under a key someone else may have planted)."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "hash": user.get_session_auth_hash(),
        "until": time.time() + settings.SIGNIN_CODE_MINUTES * 60,
        "next": next_url,
    }


def pending_user(request) -> User | None:
    """Who is half-way through signing in here, if anyone: not for longer than
    SIGNIN_CODE_MINUTES, and not after a deactivation or a new password."""
    pending = request.session.get(PENDING)
    if not pending or pending["until"] < time.time():
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or not constant_time_compare(user.get_session_auth_hash(), pending["hash"]):
        return None
    user.backend = pending["backend"]
    return user


def pending_next(request) -> str:
    return (request.session.get(PENDING) or {}).get("next") or resolve_url(
        settings.LOGIN_REDIRECT_URL
    )


def signin_finish(request, *, user: User, device: TOTPDevice) -> None:
    """The code was right: sign the user in (django-otp notes the device in the session)."""
    request.session.pop(PENDING, None)
    user.otp_device = device
    auth_login(request, user, backend=user.backend)
