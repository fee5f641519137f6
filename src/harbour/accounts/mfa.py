"""Second-factor devices: TOTP enrolment, recovery codes, verification."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.accounts.models import User
from harbour.accounts.passkeys import has_passkey
from harbour.core import policy

RECOVERY_CODE_COUNT = 10


def is_verified(user: object) -> bool:
    """Signed in *and* passed a second factor in this session (django-otp's ``is_verified``)."""
    check = getattr(user, "is_verified", None)
    return bool(getattr(user, "is_authenticated", False) and check is not None and check())


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def provisioning_qr_svg(device: TOTPDevice, username: str) -> str:
    url = device.config_url.replace(
        f"otpauth://totp/{device.user.get_username()}",
        f"otpauth://totp/{settings.OTP_TOTP_ISSUER}:{username}",
    )
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    # Inline SVG: drop the XML declaration and give it an accessible name.
    svg = svg[svg.index("<svg") :]
    return svg.replace("<svg", '<svg role="img" aria-label="QR code for your authenticator app"', 1)


def base32_secret(device: TOTPDevice) -> str:
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _stored_form(code: str) -> str:
    """Recovery codes are kept as a keyed hash (django-otp's token column holds 16 characters)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()
    return digest[:16]


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; each works once. Shown once; only hashes are stored."""
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name="Recovery codes", defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(
            [StaticToken(device=device, token=_stored_form(c)) for c in codes]
        )
    return codes


def recovery_codes_left(user: User) -> int:
    count: int = StaticToken.objects.filter(device__user=user).count()
    return count


def has_second_factor(user: User) -> bool:
    """An authenticator app or a passkey: someone with neither sets up an authenticator first."""
    return confirmed_totp(user) is not None or has_passkey(user)


def totp_refused(user: User) -> bool:
    """The service requires a passkey of this person's role and they have one: a code from an
    authenticator app (which a phishing page can relay) no longer signs them in."""
    return policy.passkey_required(user) and has_passkey(user)


def verify_code(
    user: User, code: str, *, signing_in: bool = False
) -> TOTPDevice | StaticDevice | None:
    """Check a TOTP code (single use: django-otp refuses a time step already used) or recovery code.

    ``signing_in``: at sign-in a person who must use a passkey may not use an authenticator code
    (recovery codes still work, so a lost passkey is not a locked account)."""
    code = code.strip().lower()
    if code.isdigit() and len(code) == 6:
        if signing_in and totp_refused(user):
            return None
        device = confirmed_totp(user)
        if device is not None and device.verify_is_allowed()[0] and device.verify_token(code):
            return device
        return None
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        if static.verify_is_allowed()[0] and static.verify_token(_stored_form(code)):
            return static
    return None


def remove_authenticators(user: User) -> int:
    """Delete the user's authenticator-app devices (confirmed or half set up); how many went."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    return int(removed)
