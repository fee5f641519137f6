"""Protective orders, the criminal-justice journey, reminders and serial-suspect linking.

Orders and journeys belong to a case and (usually) one of its suspects. Their history is
append-only: each lifecycle step (``OrderStep``) and each milestone (``JourneyMilestone``) is a row
with its date and who recorded it; the order or journey row carries only the state those rows
produce (status, end date, stage) so lists stay one query. Court names, court and crime references
and notes are encrypted like every other free text.

The force (``force``) on an order or a journey is the police force concerned: for an SPO the force
that applies, for others the force to tell about breaches; for a journey the force the crime was
reported to. The force's stalking coordinator sees these records only while the client's consent to
share with police (``evidence.PoliceSharingConsent``) is in force (harbour.core.policy).
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, Self

from django.db import models
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.cases.models import Case, Suspect
from harbour.core.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from harbour.core.scoping import ScopedManager
from harbour.evidence.models import AppendOnly, AppendOnlyQuerySet, Incident
from harbour.justice import rules

ORDER_KINDS = [(k.value, rules.ORDER_KIND_LABELS[k]) for k in rules.OrderKind]
STEPS = [(s.value, rules.STEP_LABELS[s]) for s in rules.Step]
MILESTONES = [(m.value, rules.MILESTONE_LABELS[m]) for m in rules.Milestone]
RECORDED_AS = [(r.value, rules.RECORDED_AS_LABELS[r]) for r in rules.RecordedAs]
OUTCOMES = [(o.value, rules.OUTCOME_LABELS[o]) for o in rules.Outcome]


class _Record(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True
        base_manager_name = "unscoped"

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    def validate_constraints(self, exclude: Any = None) -> None:
        """Left to the database: Django's check would query the scoped manager with no user."""


# --- orders ----------------------------------------------------------------------------------------


class Order(_Record):
    """A protective order (or one being sought) on a case, against one of its suspects.

    ``public_id`` is stable and may be referred to from other apps (a perpetrator programme can
    record that it delivers an SPO's positive requirement).
    """

    class Applicant(models.TextChoices):
        POLICE = "police", "Police (chief officer)"
        CLIENT = "client", "The client"
        COURT = "court", "The court, of its own motion"
        OTHER = "other", "Someone else"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    suspect = models.ForeignKey(
        Suspect, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=ORDER_KINDS)
    other_kind = EncryptedCharField("Which order", max_length=120, blank=True)
    force = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Police force",
    )
    applicant = models.CharField(max_length=8, choices=Applicant.choices, blank=True)
    status = models.CharField(max_length=20, choices=STEPS)
    status_on = models.DateField()
    court = EncryptedCharField(max_length=120, blank=True)
    court_reference = EncryptedCharField(max_length=60, blank=True)
    made_on = models.DateField(null=True, blank=True)
    indefinite = models.BooleanField("Until further order", default=False)
    expires_on = models.DateField(null=True, blank=True)
    hearing_on = models.DateField("Next hearing", null=True, blank=True)
    notification_required = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta(_Record.Meta):
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["force", "kind", "status"], name="order_force_kind"),
            models.Index(fields=["case", "status"], name="order_case_status"),
        ]

    def __str__(self) -> str:
        return f"order {self.public_id}"

    @property
    def title(self) -> str:
        if self.kind == rules.OrderKind.OTHER and self.other_kind:
            return str(self.other_kind)
        return rules.ORDER_KIND_LABELS[rules.OrderKind(self.kind)]

    @property
    def is_spo(self) -> bool:
        return self.kind == rules.OrderKind.SPO

    @property
    def in_force(self) -> bool:
        return rules.Step(self.status) in rules.IN_FORCE

    @property
    def is_interim(self) -> bool:
        return self.status == rules.Step.INTERIM_MADE

    def facts(self, notifications: list[OrderNotification] | None = None) -> rules.OrderFacts:
        return rules.OrderFacts(
            key=f"order:{self.public_id}",
            status=self.status,
            indefinite=self.indefinite,
            expires_on=self.expires_on,
            hearing_on=self.hearing_on,
            notifications=tuple((n.event_on, n.notified_on) for n in notifications or ()),
        )


class OrderStep(AppendOnly):
    """One step of an order's lifecycle, with its date, court and reference: the order's history."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=20, choices=STEPS)
    on = models.DateField("Date")
    court = EncryptedCharField(max_length=120, blank=True)
    reference = EncryptedCharField("Court or police reference", max_length=60, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    indefinite = models.BooleanField(default=False)
    note = EncryptedTextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = AppendOnlyQuerySet.as_manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["order", "on", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.step} on {self.on}"


class OrderCondition(_Record):
    """A prohibition or positive requirement of an order."""

    class Kind(models.TextChoices):
        NO_CONTACT = "no_contact", "No contact by any means"
        NO_INDIRECT_CONTACT = "no_indirect_contact", "No contact through other people"
        EXCLUSION_ZONE = "exclusion_zone", "Exclusion zone"
        NO_APPROACH = "no_approach", "Not to approach the client's home or work"
        NO_ONLINE = "no_online", "Not to post about or monitor the client online"
        NO_FOLLOWING = "no_following", "Not to follow or watch the client"
        OTHER_PROHIBITION = "other_prohibition", "Another prohibition"
        ATTEND_PERPETRATOR_PROGRAMME = (
            "attend_perpetrator_programme",
            ("Attend a perpetrator programme"),
        )
        MENTAL_HEALTH_ASSESSMENT = "mental_health_assessment", "Attend a mental health assessment"
        SURRENDER_DEVICES = "surrender_devices", "Make devices available to police"
        OTHER_REQUIREMENT = "other_requirement", "Another positive requirement"

    REQUIREMENTS: ClassVar[frozenset[str]] = frozenset(
        {
            "attend_perpetrator_programme",
            "mental_health_assessment",
            "surrender_devices",
            "other_requirement",
        }
    )

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    details = EncryptedTextField(
        blank=True, help_text="For example the streets of the exclusion zone, or the programme."
    )
    added_on = models.DateField(default=timezone.localdate)
    removed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta(_Record.Meta):
        ordering = ["order", "added_on", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_requirement(self) -> bool:
        return self.kind in self.REQUIREMENTS


class OrderNotification(_Record):
    """The SPO notification requirement: within 3 days of service, and of any change of name or
    home address, the defendant tells police. One row per event, with its deadline."""

    class Event(models.TextChoices):
        SERVICE = "service", "Order served on the suspect"
        CHANGE = "change", "Suspect changed name or home address"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=8, choices=Event.choices)
    event_on = models.DateField("Date of service or change")
    due_on = models.DateField(editable=False)
    notified_on = models.DateField("Police told us the suspect notified them on", null=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta(_Record.Meta):
        ordering = ["order", "event_on", "pk"]

    def __str__(self) -> str:
        return f"notification due {self.due_on}"

    @property
    def overdue(self) -> bool:
        return self.notified_on is None and self.due_on < timezone.localdate()

    @property
    def late(self) -> bool:
        return self.notified_on is not None and self.notified_on > self.due_on


class Breach(_Record):
    """A breach of an order, linked to the diary entries that show it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="+")
    occurred_on = models.DateField("When it happened")
    description = EncryptedTextField("What happened", blank=True)
    reported_to_police_on = models.DateField(null=True, blank=True)
    police_reference = EncryptedCharField(max_length=60, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta(_Record.Meta):
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"breach {self.public_id}"


class BreachIncident(models.Model):
    """A diary entry that shows a breach."""

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        constraints = [
            models.UniqueConstraint(fields=["breach", "incident"], name="one_breach_incident")
        ]

    def __str__(self) -> str:
        return f"breach {self.breach_id} incident {self.incident_id}"

    def validate_constraints(self, exclude: Any = None) -> None:
        """Left to the database."""


# --- the criminal-justice journey --------------------------------------------------------------------


class Journey(_Record):
    """The criminal-justice journey of one case and suspect: reported, recorded, charged, tried..."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    suspect = models.ForeignKey(
        Suspect, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    force = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="Force"
    )
    crime_reference = EncryptedCharField(max_length=60, blank=True)
    reported_on = models.DateField(null=True, blank=True)
    recorded_as = models.CharField(max_length=28, choices=RECORDED_AS, blank=True)
    stage = models.CharField(max_length=60, blank=True)
    last_on = models.DateField(null=True, blank=True)
    next_court_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta(_Record.Meta):
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["force", "recorded_as"], name="journey_force_recorded"),
            models.Index(fields=["next_court_on"], name="journey_next_court"),
        ]

    def __str__(self) -> str:
        return f"journey {self.public_id}"

    @property
    def possibly_under_recorded_label(self) -> bool:
        return rules.RecordedAs(self.recorded_as or "not_recorded") in rules.LESSER_RECORDINGS


class JourneyMilestone(AppendOnly):
    """One named step of the journey, with its date and details (append-only: the history)."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=MILESTONES)
    on = models.DateField("Date")
    recorded_as = models.CharField("Recorded as", max_length=28, choices=RECORDED_AS, blank=True)
    offence = EncryptedCharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=12, choices=OUTCOMES, blank=True)
    court = EncryptedCharField(max_length=120, blank=True)
    details = EncryptedTextField(
        blank=True, help_text="Bail conditions, the reason for no further action, the sentence..."
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = AppendOnlyQuerySet.as_manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["journey", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.on}"

    @property
    def is_court_date(self) -> bool:
        return rules.Milestone(self.kind) in rules.COURT_MILESTONES


class RecordingReview(_Record):
    """A police coordinator asked for the crime recording of a journey to be reviewed."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta(_Record.Meta):
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"recording review {self.public_id}"


# --- reminders -----------------------------------------------------------------------------------


class Reminder(_Record):
    """A deadline reminder written by ``harbour reminders`` for one person, once per stage.

    ``key`` names the deadline and its stage (upcoming, due, overdue); it is unique per person, so
    running the command twice writes nothing new.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    stage = models.CharField(max_length=10)
    due_on = models.DateField()
    link = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta(_Record.Meta):
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_reminder_per_stage")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="reminder_user_unread")]

    def __str__(self) -> str:
        return f"reminder {self.key}"

    @property
    def label(self) -> str:
        return rules.DEADLINE_LABELS[rules.DeadlineKind(self.kind)]


# --- serial-suspect linking ---------------------------------------------------------------------------


class SuspectNameKey(models.Model):
    """Blind indexes of a suspect's names (whole name and Soundex of each part): see names.py."""

    suspect = models.ForeignKey(Suspect, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=6)
    index = BlindIndexField()

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        indexes = [models.Index(fields=["kind", "index"], name="suspect_name_key_lookup")]

    def __str__(self) -> str:
        return f"name key {self.pk}"


class LinkDisclosure(_Record):
    """Emergency access by a provider manager to another provider's matching suspect.

    Across providers the flag says only which organisation to contact. Seeing more (the other
    suspect's names, identifiers, relationship and orders, never the victim) needs a stated reason,
    lasts a few hours, is audited at every view, and is reviewed by a manager of the organisation
    that holds the record (the break-glass pattern of ``cases.BreakGlassGrant``).
    """

    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    own_suspect = models.ForeignKey(Suspect, on_delete=models.CASCADE, related_name="+")
    other_suspect = models.ForeignKey(Suspect, on_delete=models.CASCADE, related_name="+")
    reason = EncryptedTextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = EncryptedTextField(blank=True)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta(_Record.Meta):
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"link disclosure {self.public_id}"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
