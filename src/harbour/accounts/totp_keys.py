"""TOTP secrets encrypted with the keyring, so the database alone cannot produce sign-in codes.

django-otp keeps a device's secret as hex in ``otp_totp_totpdevice.key`` (varchar 80). Harbour
stores ``hb:`` and the hex of AES-256-SIV over the secret (16-byte tag + 20-byte secret: 75
characters in all), under a key derived from the keyring and bound to the column. Signals seal the
value just before a save and open it as the row is loaded, so django-otp itself sees the plain hex.
AES-SIV needs no nonce (the secrets are random), which is what lets the sealed form fit the column.
"""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from django.db.models.signals import post_init, post_save, pre_save
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.core.crypto import DecryptionError, keyring

PREFIX = "hb:"
CONTEXT = b"otp_totp.totpdevice.key"


def _cipher() -> AESSIV:
    ring = keyring()
    return AESSIV(ring.derived_key("totp-secrets-1") + ring.derived_key("totp-secrets-2"))


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def seal(hex_key: str) -> str:
    if is_sealed(hex_key):
        return hex_key
    return PREFIX + _cipher().encrypt(bytes.fromhex(hex_key), [CONTEXT]).hex()


def open_sealed(value: str) -> str:
    if not is_sealed(value):
        return value
    try:
        return _cipher().decrypt(bytes.fromhex(value[len(PREFIX) :]), [CONTEXT]).hex()
    except (InvalidTag, ValueError):
        raise DecryptionError("otp_totp.totpdevice.key: wrong keyring, or tampered") from None


def _opened(sender: Any, instance: Any, **kwargs: Any) -> None:
    key = instance.__dict__.get("key")
    if isinstance(key, str) and is_sealed(key):
        instance.key = open_sealed(key)


def _before_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    instance._harbour_plain_key = instance.key
    instance.key = seal(instance.key)


def _after_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    plain = instance.__dict__.pop("_harbour_plain_key", None)
    if plain is not None:
        instance.key = plain


def connect() -> None:
    post_init.connect(_opened, sender=TOTPDevice, dispatch_uid="harbour-totp-open")
    pre_save.connect(_before_save, sender=TOTPDevice, dispatch_uid="harbour-totp-seal")
    post_save.connect(_after_save, sender=TOTPDevice, dispatch_uid="harbour-totp-reopen")
