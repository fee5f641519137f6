"""System checks that stop a production start-up that could not work safely.

Django runs these before ``harbour serve``, ``migrate`` and ``check --deploy``: production refuses to
start when the encryption keys cannot be loaded, instead of failing on the first record it reads.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from harbour.core import crypto


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
