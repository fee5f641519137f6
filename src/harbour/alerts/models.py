"""Each person's alert choices, and the alerts waiting to be (or already) e-mailed.

An ``Alert`` holds a kind, its addressee and a key that stops the same thing being alerted twice:
never a name, a reference or any case content. Messages are composed at sending time from counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from harbour.alerts.kinds import DEFAULT_FREQUENCY, AlertKind, Frequency
from harbour.core.fields import EncryptedCharField


class AlertSettings(models.Model):
    """Where a member of staff wants alerts e-mailed, and which, and how often."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_settings"
    )
    #: The person's work address; encrypted like every other staff detail.
    email = EncryptedCharField(max_length=254, blank=True)
    #: kind -> Frequency value; a kind missing here takes DEFAULT_FREQUENCY.
    choices = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"alert settings of {self.user_id}"

    def frequency(self, kind: str) -> str:
        value = self.choices.get(kind, DEFAULT_FREQUENCY[kind])
        return value if value in Frequency.values else DEFAULT_FREQUENCY[kind]


class Alert(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be sent"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField(max_length=32, choices=AlertKind.choices)
    #: Stops one event being alerted twice to one person (e.g. ``audit:1234``, ``reminder:56``).
    key = models.CharField(max_length=120)
    digest = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="alerts_alert_once_per_person")
        ]
        indexes = [models.Index(fields=["status", "digest"], name="alerts_alert_waiting")]

    def __str__(self) -> str:
        return f"alert {self.pk} ({self.kind}, {self.status})"
