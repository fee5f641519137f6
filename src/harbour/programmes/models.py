"""The perpetrator programme: participants, their plan of sessions, attendance, encrypted session
notes, risk reviews, how they leave (completion or dropout, with the reason), and what their
referrer is told.

Kept apart from victims' records: no model here points at a case except
``SuspectAttendanceConsent``, which lives on the victim's side (the victim's decision to be told
whether the suspect attends) and is scoped through the case. A participant is matched to a suspect
on a case only by blind index of a phone number or email address, so neither side reads the other's
records. The link to a Stalking Protection Order is a reference and the force that holds it: the
orders app can join on them later.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any, ClassVar, Self

from django.db import models
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.core.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedTextField,
)
from harbour.core.scoping import ScopedManager
from harbour.programmes.matching import participant_indexes

_REFERENCE_ALPHABET = "23456789BCDFGHJKMNPQRSTVWXYZ"

#: About twelve one-to-one sessions over three months.
PLANNED_SESSIONS = 12


def new_participant_reference() -> str:
    chars = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
    return f"PP-{chars}"


class Participant(models.Model):
    class Route(models.TextChoices):
        POLICE = "police", "Police"
        PROBATION = "probation", "Probation"
        SPO_REQUIREMENT = "spo", "Stalking Protection Order positive requirement"

    class Status(models.TextChoices):
        REFERRED = "referred", "Referred"
        ACTIVE = "active", "On the programme"
        COMPLETED = "completed", "Completed"
        DROPPED_OUT = "dropped_out", "Left before completing"

    class EndReason(models.TextChoices):
        COMPLETED = "completed", "Completed the programme"
        DISENGAGED = "disengaged", "Stopped attending"
        REFUSED = "refused", "Refused to take part"
        CUSTODY = "custody", "Taken into custody"
        RISK = "risk", "Removed because of risk"
        BREACH = "breach", "Breached an order"
        MOVED = "moved", "Moved out of the area"
        OTHER = "other", "Other reason"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        max_length=10, unique=True, default=new_participant_reference, editable=False
    )
    programme = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    given_name = EncryptedCharField(max_length=100)
    family_name = EncryptedCharField(max_length=100, blank=True)
    date_of_birth = EncryptedDateField(null=True, blank=True)
    phone = EncryptedCharField(max_length=40, blank=True)
    email = EncryptedCharField(max_length=254, blank=True)
    # Blind indexes under the same keys as suspects' identifiers on cases (suspect_phone,
    # suspect_email), so the two can be matched without either side reading the other.
    phone_index = BlindIndexField()
    email_index = BlindIndexField()

    route = models.CharField(max_length=10, choices=Route.choices)
    referring_force = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The police force that referred, or holds the order.",
    )
    referrer_name = EncryptedCharField(max_length=150, blank=True)
    referrer_contact = EncryptedCharField(max_length=254, blank=True)
    # Stalking Protection Order: a reference to the order (the orders app may join on it later).
    order_reference = models.CharField(max_length=60, blank=True)
    referred_on = models.DateField(default=timezone.localdate)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REFERRED)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, choices=EndReason.choices, blank=True)
    end_note = EncryptedTextField(blank=True)
    share_attendance_with_victim_services = models.BooleanField(
        "Victim services may be told whether they attend",
        default=False,
        help_text="The programme's decision: an advocate of a victim of this person may see only "
        "whether they are attending, and only if the victim has asked to know.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["-referred_on", "-pk"]
        indexes = [
            models.Index(fields=["programme", "status"], name="participant_status"),
            models.Index(fields=["referring_force", "route"], name="participant_force"),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.phone_index, self.email_index = participant_indexes(self.phone, self.email)
        super().save(*args, **kwargs)

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.REFERRED, self.Status.ACTIVE)


class ProgrammeSession(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ATTENDED = "attended", "Attended"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled by the programme"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    planned_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    notes = EncryptedTextField(blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "number"], name="one_session_number")
        ]

    def __str__(self) -> str:
        return f"session {self.number}"

    @property
    def audit_id(self) -> str:
        return str(self.public_id)


class RiskReview(models.Model):
    class Level(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        VERY_HIGH = "very_high", "Very high"

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    reviewed_on = models.DateField(default=timezone.localdate)
    level = models.CharField(max_length=10, choices=Level.choices)
    notes = EncryptedTextField(blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"risk review {self.pk}"


class ReferrerUpdate(models.Model):
    """What the referrer is told: the record of each update sent to the police or probation."""

    class Kind(models.TextChoices):
        STARTED = "started", "Started the programme"
        PROGRESS = "progress", "Progress"
        CONCERN = "concern", "Attendance or risk concern"
        COMPLETED = "completed", "Completed"
        DROPPED_OUT = "dropped_out", "Left before completing"

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    message = EncryptedTextField()
    sent_on = models.DateField(default=timezone.localdate)
    sent_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class SuspectAttendanceConsent(models.Model):
    """On the victim's side: whether the client wants their advocate to be told if the suspect is
    attending a perpetrator programme. A history: the latest decision is in force."""

    class State(models.TextChoices):
        GIVEN = "given", "Wants to be told"
        WITHDRAWN = "withdrawn", "Does not want to be told"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return self.get_state_display()

    @property
    def audit_id(self) -> str:
        return str(self.public_id)
