from __future__ import annotations

from django.db import models
from django.utils import timezone


class Installation(models.Model):
    """One row describing this deployment; ``is_demo`` marks a database made by ``harbour demo``."""

    is_demo = models.BooleanField(default=False)
    demo_seed = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "demo installation" if self.is_demo else "installation"


class KeyCheck(models.Model):
    """A value only the right keyring opens, so a wrong keyring is refused at start-up before
    anything is written under it (``core.checks``, ``harbour keys status``)."""

    sealed = models.CharField(max_length=200)
    index = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "key check value"
