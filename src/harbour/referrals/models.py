"""Referrals into a provider: from the police, the person themselves, a professional, or family/friends.

A referral holds the details of the person the service will contact (the victim; for a family and
friends advice request, the person asking) with their safe-contact preferences per channel, all
identifying values encrypted. Blind indexes on phone, email and name + date of birth let a new
referral be matched against existing clients and other referrals without plaintext. Status changes
happen only through ``harbour.referrals.services``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.cases.models import Relationship
from harbour.core.fields import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedTextField,
)
from harbour.core.people import PersonIndexes
from harbour.core.scoping import ScopedManager
from harbour.core.validators import validate_date_of_birth
from harbour.core.workdays import end_of_working_day, working_days_between

#: Victims' Code right 4: the police refer a victim who consents within 2 working days of the
#: crime being reported.
VICTIMS_CODE_REFERRAL_DAYS = 2


def first_contact_target_days() -> int:
    """The service's own target for a first contact attempt, in working days (default 2). It is
    the service's target, for every source: the Victims' Code clock measures the police."""
    return int(getattr(settings, "HARBOUR_FIRST_CONTACT_WORKING_DAYS", 2))


def first_contact_due(received_at: datetime) -> datetime:
    return end_of_working_day(received_at, first_contact_target_days())


#: How long the stalking has gone on, as the intake forms ask it.
HOW_LONG = [
    ("under_1_month", "Less than a month"),
    ("1_to_6_months", "1 to 6 months"),
    ("6_to_12_months", "6 months to a year"),
    ("over_1_year", "More than a year"),
]


class Channel(models.TextChoices):
    CALL = "call", "Phone call"
    VOICEMAIL = "voicemail", "Voicemail"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    POST = "post", "Letter by post"


class Referral(PersonIndexes):
    class Source(models.TextChoices):
        POLICE = "police", "Police"
        SELF = "self", "Self-referral"
        PROFESSIONAL = "professional", "Professional"
        FAMILY_FRIEND = "family_friend", "Family or friend"
        LIVE_CHAT = "live_chat", "Live chat"

    class Kind(models.TextChoices):
        REFERRAL = "referral", "Referral"
        ADVICE = "advice", "Advice request"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        CONTACT_ATTEMPTED = "contact_attempted", "Contact attempted"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        SIGNPOSTED = "signposted", "Signposted"
        UNABLE_TO_CONTACT = "unable_to_contact", "Unable to contact"
        MERGED = "merged", "Merged as duplicate"

    OPEN_STATUSES: ClassVar[tuple[str, ...]] = (Status.RECEIVED, Status.CONTACT_ATTEMPTED)

    class DeclineReason(models.TextChoices):
        PERSON_DECLINED = "person_declined", "The person did not want support"
        NOT_STALKING = "not_stalking", "Not stalking or harassment"
        ALREADY_SUPPORTED = "already_supported", "Already supported by another service"
        NO_CONSENT = "no_consent", "No consent to be contacted"
        CAPACITY = "capacity", "Service unable to take the referral"
        OTHER = "other", "Other reason"

    class RecordedAs(models.TextChoices):
        STALKING_2A = "stalking_2a", "Stalking (s.2A)"
        STALKING_4A = "stalking_4a", "Stalking with fear of violence or serious alarm (s.4A)"
        HARASSMENT_2 = "harassment_2", "Harassment (s.2)"
        HARASSMENT_4 = "harassment_4", "Harassment with fear of violence (s.4)"
        OTHER = "other", "Other offence or incident"

    class RiskLevel(models.TextChoices):
        NOT_ASSESSED = "not_assessed", "Not assessed"
        STANDARD = "standard", "Standard"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=16, choices=Source.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.REFERRAL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(default=timezone.now)
    due_by = models.DateTimeField(
        help_text="The service's own target for a first contact attempt (not the Victims' Code)."
    )
    first_contact_at = models.DateTimeField(null=True, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    # Who sent it.
    referring_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referred_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referrer_name = EncryptedCharField(max_length=150, blank=True)
    referrer_role = models.CharField(
        max_length=40, blank=True, help_text="Profession, or relationship for family and friends."
    )
    referrer_organisation = EncryptedCharField(max_length=200, blank=True)
    referrer_phone = EncryptedCharField(max_length=40, blank=True)
    referrer_email = EncryptedCharField(max_length=254, blank=True)

    # Routing.
    postcode_district = models.CharField(max_length=4, blank=True)
    routed_to = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # The person to contact.
    given_name = EncryptedCharField(max_length=100, blank=True)
    family_name = EncryptedCharField(max_length=100, blank=True)
    date_of_birth = EncryptedDateField(null=True, blank=True, validators=[validate_date_of_birth])
    phone = EncryptedCharField(max_length=40, blank=True)
    email = EncryptedCharField(max_length=254, blank=True)
    address = EncryptedTextField(blank=True)
    postcode = EncryptedCharField(max_length=10, blank=True)

    # Safe contact preferences: nothing is attempted on a channel not marked safe.
    safe_call = models.BooleanField(default=False)
    safe_voicemail = models.BooleanField(default=False)
    safe_text = models.BooleanField(default=False)
    safe_email = models.BooleanField(default=False)
    safe_post = models.BooleanField(default=False)
    safe_times = EncryptedTextField(blank=True)
    withheld_number_ok = models.BooleanField(default=False)
    code_word = EncryptedCharField(max_length=60, blank=True)
    contact_preferences_confirmed_on = models.DateField(null=True, blank=True)

    # What is happening.
    what_is_happening = EncryptedTextField(blank=True)
    how_long = models.CharField(max_length=20, blank=True)
    reported_to_police = models.CharField(max_length=10, blank=True)
    suspect_relationship = models.CharField(max_length=30, blank=True)

    # Police details.
    crime_reference = EncryptedCharField(max_length=40, blank=True)
    recorded_as = models.CharField(max_length=20, choices=RecordedAs.choices, blank=True)
    officer_in_case = EncryptedCharField(max_length=150, blank=True)
    officer_contact = EncryptedCharField("How to reach the officer", max_length=200, blank=True)
    crime_reported_on = models.DateField(
        "Date the crime was reported to police",
        null=True,
        blank=True,
        help_text="Victims' Code right 4: police refer within 2 working days of this date.",
    )
    suspect_name = EncryptedCharField(max_length=150, blank=True)
    suspect_identifiers = EncryptedTextField(
        blank=True, help_text="Phone numbers, emails, handles, vehicles: one per line."
    )
    bail_conditions = EncryptedTextField("Bail conditions or orders in place", blank=True)
    risk_level = models.CharField(
        max_length=16, choices=RiskLevel.choices, default=RiskLevel.NOT_ASSESSED
    )
    risk_information = EncryptedTextField(blank=True)

    # Consent.
    consent_to_contact = models.BooleanField(default=False)
    consent_to_share_with_police = models.BooleanField(default=False)

    # Outcome.
    decline_reason = models.CharField(max_length=24, choices=DeclineReason.choices, blank=True)
    outcome_note = EncryptedTextField(blank=True)
    signposted_to = EncryptedCharField(max_length=200, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Duplicate detection.

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["received_at"]
        # The triage queue (open by due date, closed by outcome) and the force's "sent" list.
        indexes = [
            # The queue, and the home page's open and overdue figures read from this index alone
            # (first contact is the overdue test), not from the provider's every referral.
            models.Index(
                fields=["routed_to", "status", "due_by", "first_contact_at"],
                name="referral_queue_due",
            ),
            models.Index(fields=["routed_to", "outcome_at"], name="referral_closed"),
            models.Index(fields=["referring_organisation", "received_at"], name="referral_sent"),
            # A force's Victims' Code figure on its "sent" page reads only this index (issue #8).
            models.Index(
                fields=["referring_organisation", "source", "received_at", "crime_reported_on"],
                name="referral_sent_code",
            ),
            # The reporting dashboard (issue #17): a provider's referrals of a period with every
            # column its counts, medians and the Victims' Code figure read, so they read only the
            # index, never the rows (scattered across the table at national scale).
            models.Index(
                fields=[
                    "routed_to",
                    "received_at",
                    "source",
                    "status",
                    "first_contact_at",
                    "due_by",
                    "referring_organisation",
                    "crime_reported_on",
                ],
                name="referral_reporting",
            ),
        ]

    def __str__(self) -> str:
        return f"referral {self.public_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.due_by is None:
            self.due_by = first_contact_due(self.received_at)
        super().save(*args, **kwargs)

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    # Reading ----------------------------------------------------------------------------------

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip() or "Name not given"

    @property
    def how_long_label(self) -> str:
        return dict(HOW_LONG).get(self.how_long, self.how_long)

    @property
    def suspect_relationship_label(self) -> str:
        try:
            return str(Relationship(self.suspect_relationship).label)
        except ValueError:
            return "Not given"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def safe_channels(self) -> list[str]:
        return [c.value for c in Channel if getattr(self, f"safe_{c.value}")]

    def is_channel_safe(self, channel: str) -> bool:
        return channel in Channel.values and bool(getattr(self, f"safe_{channel}"))

    def is_overdue(self, now: datetime | None = None) -> bool:
        """No contact attempted and the service's first-contact target has passed."""
        now = now or timezone.now()
        return self.first_contact_at is None and self.is_open and now > self.due_by

    def is_due_today(self, now: datetime | None = None) -> bool:
        """No contact attempted yet and today (UK) is the last day to make one."""
        now = now or timezone.now()
        return (
            self.first_contact_at is None
            and self.is_open
            and not self.is_overdue(now)
            and timezone.localdate(self.due_by) == timezone.localdate(now)
        )

    @property
    def working_days_to_first_contact(self) -> int | None:
        if self.first_contact_at is None:
            return None
        return working_days_between(self.received_at, self.first_contact_at)

    @property
    def met_contact_target(self) -> bool | None:
        """The service's own target: True/False once a first contact attempt is made."""
        if self.first_contact_at is None:
            return None
        return self.first_contact_at <= self.due_by

    @property
    def police_working_days(self) -> int | None:
        """Working days from the crime being reported to police to this referral arriving."""
        if self.source != self.Source.POLICE or self.crime_reported_on is None:
            return None
        return working_days_between(self.crime_reported_on, timezone.localdate(self.received_at))

    @property
    def met_victims_code(self) -> bool | None:
        """Victims' Code right 4: the police referred within 2 working days of the report.
        None where it does not apply (not from police) or the report date is not known."""
        days = self.police_working_days
        return None if days is None else days <= VICTIMS_CODE_REFERRAL_DAYS


class ContactAttempt(models.Model):
    """One attempt to reach the person on one channel. Only safe channels are ever logged."""

    class Outcome(models.TextChoices):
        SPOKE = "spoke", "Spoke to the person"
        NO_ANSWER = "no_answer", "No answer, no message left"
        MESSAGE_LEFT = "message_left", "Message left"
        SENT = "sent", "Message or letter sent"
        WRONG_DETAILS = "wrong_details", "Wrong number or address"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    note = EncryptedTextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["at"]

    def __str__(self) -> str:
        return f"contact attempt {self.pk}"
