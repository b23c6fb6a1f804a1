"""Helpers of the sign-in tests: the factories' password, and authenticator codes computed
here from the secret a page shows (RFC 6238, written out, so that the product's own TOTP code
is checked against an independent one)."""

import base64
import hashlib
import hmac
import re
import struct
import time

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's


def totp(secret: str, *, steps_ahead: int = 0) -> str:
    """The six-digit code of a base32 secret now (or `steps_ahead` 30-second steps later:
    a code is accepted once, so a second sign-in in the same step takes the next one)."""
    key = base64.b32decode(secret.replace(" ", ""))
    counter = int(time.time() // 30) + steps_ahead
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def secret_of(device) -> str:
    """The base32 secret of a django-otp TOTP device (what the enrolment page shows)."""
    return base64.b32encode(device.bin_key).decode()


def secret_on_page(html: str) -> str:
    return re.search(r"data-secret>([A-Z2-7 =]+)<", html).group(1)


def enrol(user):
    """An authenticator already set up for the user (as the enrolment page leaves it)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
