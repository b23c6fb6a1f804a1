"""Administrators' authenticator-app devices (django-otp's TOTP devices): enrolment and codes.

django-otp does the cryptography (RFC 6238 codes, one time step of tolerance either side, a
code accepted once, its own back-off between wrong codes); the sign-in throttle
(accounts.signin.throttle) counts wrong codes in the cache as it does passwords.
"""

import base64

import segno
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.signin.throttle import code_check_allowed, code_failed, code_succeeded

DEVICE_NAME = "authenticator"


def confirmed_device(user: User) -> TOTPDevice | None:
    """The user's enrolled authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def enrolment_device(user: User) -> TOTPDevice:
    """The device being enrolled: the same secret until it is confirmed, so that a reloaded
    page still matches what the app scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=DEVICE_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


def enrolment_details(device: TOTPDevice) -> dict:
    """What the enrolment page shows: the secret (base32, in groups of four), the otpauth://
    URI an app can open, and that URI as a QR code (inline SVG, drawn here: no network)."""
    secret = base64.b32encode(device.bin_key).decode()
    uri = device.config_url
    return {
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "uri": uri,
        "qr_svg": segno.make(uri, error="m").svg_inline(scale=4, omitsize=True),
    }


def code_verify(*, user: User, device: TOTPDevice, code: str) -> bool:
    """Whether the code is the device's current one; raises SignInLocked after too many
    wrong codes (counted in the cache, whichever page or endpoint they came through)."""
    code_check_allowed(user_id=user.pk)
    if device.verify_token(code.replace(" ", "")):
        code_succeeded(user_id=user.pk)
        return True
    code_failed(user_id=user.pk)
    return False


@transaction.atomic
def device_confirm(*, device: TOTPDevice) -> None:
    """The enrolled device becomes the user's authenticator (after a right code)."""
    device.confirmed = True
    device.full_clean()
    device.save()
    TOTPDevice.objects.filter(user=device.user_id, confirmed=False).delete()


@transaction.atomic
def devices_forget(*, user: User) -> int:
    """The user's authenticators are removed (a lost phone): the next sign-in enrols anew."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted
