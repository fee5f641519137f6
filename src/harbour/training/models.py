"""Awareness training: requests from the public page, sessions and events, partner organisations,
the area's single point of contact, attendees, their feedback and certificates.

Contact details, names and free text are encrypted. Partner organisations' names are not: they are
businesses and agencies, and the training figures match them against the organisation named on
later professional referrals. Every model uses a scoped default manager (the provider's training
staff; partner organisations also its advocates), registered in ``harbour.core.policy``.
State changes happen only through ``harbour.training.services``.
"""

from __future__ import annotations

import secrets
import uuid
from typing import ClassVar, Self

from django.db import models
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.core.fields import EncryptedCharField, EncryptedTextField
from harbour.core.scoping import ScopedManager


class Sector(models.TextChoices):
    POLICE = "police", "Police"
    COURTS = "courts", "Prosecution and courts"
    PROBATION = "probation", "Probation"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    HOUSING = "housing", "Housing"
    EMPLOYER = "employer", "Employer"
    HAIRDRESSING = "hairdressing", "Hairdressing"
    BEAUTY = "beauty", "Beauty"
    COUNSELLING = "counselling", "Counselling"
    PERSONAL_TRAINING = "personal_training", "Personal training"
    OTHER = "other", "Other"


class Place(models.TextChoices):
    THEIR_PREMISES = "their_premises", "At the organisation's premises"
    OUR_PREMISES = "our_premises", "At the service's premises"
    OTHER_VENUE = "other_venue", "At another venue"
    ONLINE = "online", "Online"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class ContactPoint(models.Model):
    """The provider's single point of contact: the advocate who coordinates with local agencies."""

    provider = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    advocate = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    area = models.CharField(max_length=120, help_text="The area this person covers.")
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"single point of contact for {self.provider}"


class PartnerOrganisation(models.Model):
    """A local organisation the provider works with: a GP practice, a housing association, a
    salon chain. Trained, or referring, or both."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    other_names = models.TextField(
        blank=True,
        help_text="Other names the organisation goes by (branches, trading names), one per line. "
        "Referrals naming any of them count as coming from this organisation.",
    )
    sector = models.CharField(max_length=20, choices=Sector.choices)
    area = models.CharField(max_length=120, blank=True, help_text="Town or district.")
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="one_partner_per_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    def names(self) -> list[str]:
        return [self.name, *(n for n in self.other_names.splitlines() if n.strip())]


class PartnerContact(models.Model):
    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="+")
    name = EncryptedCharField(max_length=150)
    job_title = models.CharField(max_length=120, blank=True)
    phone = EncryptedCharField(max_length=40, blank=True)
    email = EncryptedCharField(max_length=254, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["added_at"]

    def __str__(self) -> str:
        return f"contact {self.pk}"


class TrainingRequest(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        SCHEDULED = "scheduled", "Scheduled"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"

    OPEN_STATUSES: ClassVar[tuple[str, ...]] = (Status.RECEIVED,)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(default=timezone.now)
    # A sole trader's business name can be their own name: encrypted like any contact detail.
    organisation_name = EncryptedCharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    people = models.PositiveIntegerField()
    preferred_dates = EncryptedTextField(blank=True)
    place = models.CharField(max_length=16, choices=Place.choices)
    location = EncryptedTextField(blank=True)
    contact_name = EncryptedCharField(max_length=150)
    contact_email = EncryptedCharField(max_length=254, blank=True)
    contact_phone = EncryptedCharField(max_length=40, blank=True)
    anything_else = EncryptedTextField(blank=True)
    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_reason = EncryptedTextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["received_at"]
        indexes = [
            models.Index(fields=["provider", "status", "received_at"], name="training_queue")
        ]

    def __str__(self) -> str:
        return f"training request {self.public_id}"

    @property
    def audit_id(self) -> str:
        return str(self.public_id)


class TrainingSession(models.Model):
    """A bespoke session for one organisation (usually from a request) or an event, such as a
    conference, with many organisations."""

    class Kind(models.TextChoices):
        SESSION = "session", "Training session"
        EVENT = "event", "Event with several organisations"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.SESSION)
    title = models.CharField(max_length=200)
    request = models.OneToOneField(
        TrainingRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="session"
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(default=180)
    place = models.CharField(max_length=16, choices=Place.choices)
    venue = models.CharField(max_length=200, blank=True, help_text="Venue or online platform.")
    area = models.CharField(max_length=120, blank=True, help_text="Town or district, for figures.")
    trainer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    capacity = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["provider", "status", "starts_at"], name="training_dates")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_id(self) -> str:
        return str(self.public_id)


class SessionOrganisation(models.Model):
    """An organisation at a session: the requester of a bespoke session, or one of an event's."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="organisation_links"
    )
    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="session_links"
    )

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        constraints = [
            models.UniqueConstraint(fields=["session", "partner"], name="one_row_per_partner")
        ]

    def __str__(self) -> str:
        return f"organisation at session {self.session_id}"


class SectorAttendance(models.Model):
    """How many people from one sector attended a delivered session."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance_rows"
    )
    sector = models.CharField(max_length=20, choices=Sector.choices)
    people = models.PositiveIntegerField()

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["sector"]
        constraints = [
            models.UniqueConstraint(fields=["session", "sector"], name="one_count_per_sector")
        ]

    def __str__(self) -> str:
        return f"{self.people} from {self.get_sector_display()}"


class Attendee(models.Model):
    """A named attendee: their own feedback link (no account) and a certificate of attendance."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = EncryptedCharField(max_length=150)
    email = EncryptedCharField(max_length=254, blank=True)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    #: The secret in the attendee's feedback link. Random, not derived from anything about them.
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    added_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"attendee {self.public_id}"

    @property
    def audit_id(self) -> str:
        return str(self.public_id)


class Confidence(models.IntegerChoices):
    NOT_AT_ALL = 1, "Not at all confident"
    SLIGHTLY = 2, "Slightly confident"
    FAIRLY = 3, "Fairly confident"
    VERY = 4, "Very confident"
    COMPLETELY = 5, "Completely confident"


#: The three things the feedback asks about, before and after: (field stem, words).
CONFIDENCE_AREAS = (
    ("recognising", "recognising stalking"),
    ("responding", "responding safely when someone tells you about it"),
    ("referring", "referring someone to support"),
)


class Feedback(models.Model):
    """One response per attendee link."""

    attendee = models.OneToOneField(Attendee, on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    recognising_before = models.PositiveSmallIntegerField(choices=Confidence.choices)
    recognising_after = models.PositiveSmallIntegerField(choices=Confidence.choices)
    responding_before = models.PositiveSmallIntegerField(choices=Confidence.choices)
    responding_after = models.PositiveSmallIntegerField(choices=Confidence.choices)
    referring_before = models.PositiveSmallIntegerField(choices=Confidence.choices)
    referring_after = models.PositiveSmallIntegerField(choices=Confidence.choices)
    comments = EncryptedTextField(blank=True)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"

    def __str__(self) -> str:
        return f"feedback {self.pk}"
