"""Token authentication for the API. Session cookies are ignored: only the token counts."""

from __future__ import annotations

import hmac

from django.http import HttpRequest
from django.utils import timezone

from harbour.api.models import ApiToken, hash_token


def token_from(request: HttpRequest) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() not in ("bearer", "token"):
        return ""
    return str(value).strip()


def authenticate(request: HttpRequest) -> ApiToken | None:
    token = token_from(request)
    if not token or len(token) > 200:
        return None
    digest = hash_token(token)
    row = ApiToken.objects.select_related("organisation").filter(token_hash=digest).first()
    if row is None or not hmac.compare_digest(row.token_hash, digest) or not row.is_active:
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row
