"""What has been erased, and under which rule: the only trace an erased record leaves here.

No foreign key to the record and nothing identifying: the record's type and public id, the rule or
the legal ground, and when. It stops a rule erasing the same record twice and lets the case page
say the record was erased.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Erasure(models.Model):
    class Ground(models.TextChoices):
        RETENTION = "retention", "Retention period ended"
        ERASURE_REQUEST = "erasure_request", "The person asked for erasure (UK GDPR Art 17)"
        NO_LONGER_NEEDED = "no_longer_needed", "No longer needed for the purpose it was held"
        CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn and no other lawful basis"

    object_type = models.CharField(max_length=64)
    object_pk = models.BigIntegerField()
    object_id = models.CharField(max_length=64, help_text="the record's public id (as audited)")
    ground = models.CharField(max_length=20, choices=Ground.choices)
    rule = models.CharField(max_length=40, blank=True)
    erased_at = models.DateTimeField(default=timezone.now)
    erased_by_id = models.BigIntegerField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_pk"], name="erased_once")
        ]

    def __str__(self) -> str:
        return f"{self.object_type} erased ({self.ground})"
