"""Abuse protection for the public forms without a third-party CAPTCHA."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SubmissionThrottle(models.Model):
    """One public form submission from an address, kept as a keyed hash (never the address)."""

    address_index = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"submission at {self.at:%Y-%m-%d %H:%M}"
