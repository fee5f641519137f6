"""API tokens: one or more per organisation, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone

from harbour.accounts.models import Organisation

TOKEN_PREFIX = "hbt_"  # noqa: S105 - a label, not a secret


def hash_token(token: str) -> str:
    """SHA-256 of the token. Tokens carry 256 random bits, so a fast hash is enough."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    label = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, unique=True, help_text="Identifies the token in logs.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "created_at"]

    def __str__(self) -> str:
        return f"API token {self.prefix} ({self.organisation})"

    @classmethod
    def issue(cls, organisation: Organisation, label: str = "") -> tuple[ApiToken, str]:
        """A new token; the plaintext is returned once and never stored."""
        secret = secrets.token_urlsafe(32)
        # A prefix starting with "-" would read as an option to `harbour api-token revoke`: draw
        # again (one draw in 64; the token keeps its 256 bits but for that first character).
        while secret.startswith("-"):
            secret = secrets.token_urlsafe(32)
        prefix = secret[:8]
        token = f"{TOKEN_PREFIX}{secret}"
        row = cls.objects.create(
            organisation=organisation, label=label, prefix=prefix, token_hash=hash_token(token)
        )
        return row, token

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.organisation.is_active
