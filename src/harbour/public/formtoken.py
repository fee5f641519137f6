"""A signed token in every public form: which form, and when it was shown.

A person takes more than a few seconds to fill in a referral; a script posting straight away does
not. The token is signed with the secret key (nothing is stored, no cookie), so it cannot be made up,
and it does not depend on the sender's address. No third-party CAPTCHA.
``HARBOUR_PUBLIC_FORM_MIN_SECONDS=0`` switches the check off.
"""

from __future__ import annotations

import enum
import time

from django.conf import settings
from django.core import signing

SALT = "harbour.public.form"
FIELD = "form_token"
MAX_AGE_SECONDS = 24 * 60 * 60


class Verdict(enum.Enum):
    OK = "ok"
    TOO_QUICK = "too_quick"
    EXPIRED = "expired"
    INVALID = "invalid"


def issue(form_key: str, *, now: float | None = None) -> str:
    shown_at = int(now if now is not None else time.time())
    return signing.dumps({"f": form_key, "t": shown_at}, salt=SALT)


def check(token: str | None, form_key: str, *, now: float | None = None) -> Verdict:
    if settings.HARBOUR_PUBLIC_FORM_MIN_SECONDS == 0:
        return Verdict.OK  # switched off
    if not token:
        return Verdict.INVALID
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return Verdict.INVALID
    if not isinstance(value, dict) or value.get("f") != form_key:
        return Verdict.INVALID
    shown_at = value.get("t")
    if not isinstance(shown_at, int):
        return Verdict.INVALID
    elapsed = (now if now is not None else time.time()) - shown_at
    if elapsed < settings.HARBOUR_PUBLIC_FORM_MIN_SECONDS:
        return Verdict.TOO_QUICK
    if elapsed > MAX_AGE_SECONDS:
        return Verdict.EXPIRED
    return Verdict.OK
