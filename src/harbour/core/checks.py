"""System checks that stop a production start-up that could not work safely.

Django runs these before ``harbour serve``, ``migrate`` and ``check --deploy``: production refuses to
start when the encryption keys cannot be loaded, instead of failing on the first record it reads.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.db import DatabaseError

from harbour.core import crypto, keycheck
from harbour.core.client_ip import trusted_proxy_configured as configured
from harbour.core.keycheck import database_exists
from harbour.core.models import Installation


@register("harbour")
def encryption_keys_load(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.PRODUCTION:
        return []
    try:
        crypto.keyring()
    except crypto.KeyringError as exc:
        return [
            Error(
                f"Encryption keys are not available: {exc}",
                hint="Set HARBOUR_KEYS, or HARBOUR_KEY_FILE to an existing key file "
                "(`harbour keys init` writes one).",
                id="harbour.E001",
            )
        ]
    return []


@register("harbour")
def keyring_matches_database(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A keyring that cannot open the database's key check value is the wrong keyring."""

    try:
        state, detail = keycheck.status()
    except crypto.KeyringError:
        return []  # E001 reports it
    if state == "mismatch":
        return [
            Error(
                f"The encryption keyring does not match this database: {detail}.",
                hint="Point HARBOUR_KEY_FILE or HARBOUR_KEYS at the keyring this database was "
                "written with (`harbour keys status` says whether it matches). Nothing was written.",
                id="harbour.E002",
            )
        ]
    return []


@register("harbour")
def production_holds_no_demo_data(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Demo sign-ins and TOTP secrets are published in docs/demo.md: a production service on a
    database made by `harbour demo` would let anyone sign in."""
    if not settings.PRODUCTION:
        return []

    if not database_exists():
        return []
    try:
        demo = Installation.objects.filter(is_demo=True).exists()
    except DatabaseError:
        return []
    if demo:
        return [
            Error(
                "This database holds Harbour's demo data (published sign-ins and TOTP secrets); "
                "production refuses to serve it.",
                hint="Point DATABASE_URL or HARBOUR_DATA_DIR at the production database.",
                id="harbour.E003",
            )
        ]
    return []


def _loopback_bind(bind: str) -> bool:
    host = bind.rsplit(":", 1)[0].strip("[]") if ":" in bind else bind
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


@register("harbour")
def trusted_proxy_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Bound to loopback means a reverse proxy in front: without a trusted-proxy setting every
    request would seem to come from the proxy, so one address's limits would fall on everybody."""

    if not (settings.PRODUCTION or settings.HARBOUR_BEHIND_PROXY):
        return []
    if configured():
        return []
    if settings.HARBOUR_BEHIND_PROXY or _loopback_bind(settings.HARBOUR_BIND):
        return [
            Warning(
                "Harbour is behind a reverse proxy (it binds to "
                f"{settings.HARBOUR_BIND}) but no trusted proxy is configured: every client "
                "would share the proxy's address in the lockout, the public-form limit and the "
                "audit trail.",
                hint="Set HARBOUR_TRUSTED_PROXIES (how many proxies) or "
                "HARBOUR_TRUSTED_PROXY_NETWORKS (their networks). See the README's proxy set-up.",
                id="harbour.W001",
            )
        ]
    return []
