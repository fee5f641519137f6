"""The incident diary, evidence files, evidence bundles and the client's consent to share with police.

An ``Incident`` is the identity of a diary entry: its case, its number, when Harbour logged it and
who logged it. Those never change (``logged_at`` is set by Harbour and cannot be edited: it is what
shows the entry is contemporaneous). Everything the entry says lives in ``IncidentVersion`` rows,
which are append-only: a correction adds a version with its reason, and every earlier version stays
visible. The same holds for consent records: a history, never an overwrite.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, ClassVar, Self

from django.db import models
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.cases.models import Case, Suspect
from harbour.core.fields import EncryptedCharField, EncryptedTextField
from harbour.core.scoping import ScopedManager
from harbour.evidence.pattern import BEHAVIOUR_LABELS, EFFECT_LABELS, Behaviour, Effect

BEHAVIOUR_CHOICES = [(b.value, BEHAVIOUR_LABELS[b]) for b in Behaviour]
EFFECT_CHOICES = [(e.value, EFFECT_LABELS[e]) for e in Effect]


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError(f"{self.model._meta.label} rows are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{self.model._meta.label} rows are append-only")


class AppendOnly(models.Model):
    """A row that is written once: corrections are new rows."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(f"{self._meta.label} rows are append-only")
        super().save(*args, **kwargs)


# --- consent to share with police ----------------------------------------------------------------


class PoliceSharingConsent(AppendOnly):
    """One decision by the client about sharing evidence with police; the latest one is in force."""

    class State(models.TextChoices):
        GIVEN = "given", "Given"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class How(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "By phone"
        WRITTEN = "written", "In writing (letter, email or signed form)"
        LIVE_CHAT = "live_chat", "Live chat"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices)
    how = models.CharField(max_length=10, choices=How.choices)
    decided_on = models.DateField("When the client decided", default=timezone.localdate)
    note = EncryptedTextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = AppendOnlyQuerySet.as_manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["-recorded_at", "-pk"]
        indexes = [
            # The manager's home page: consent withdrawn in the last 30 days (issue #8).
            models.Index(fields=["state", "decided_on"], name="consent_state_decided"),
        ]

    def __str__(self) -> str:
        return f"police sharing consent {self.state}"

    @property
    def audit_id(self) -> str:
        return str(self.public_id)


# --- the incident diary --------------------------------------------------------------------------


class Incident(models.Model):
    """A diary entry's identity. Its content is the latest ``IncidentVersion``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(editable=False)
    logged_at = models.DateTimeField(default=timezone.now, editable=False)
    logged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", editable=False)
    #: The number of the version in force; the only field that ever changes (by a correction).
    current_version = models.PositiveIntegerField(default=1)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="one_incident_number")
        ]

    def __str__(self) -> str:
        return self.ref

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and set(kwargs.get("update_fields") or ()) != {"current_version"}:
            raise PermissionError("an incident's log time and author are never edited")
        super().save(*args, **kwargs)

    @property
    def ref(self) -> str:
        return f"D{self.number:03d}"

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    def validate_constraints(self, exclude: Any = None) -> None:
        """Left to the database (Django's check would query the scoped manager with no user)."""


class IncidentVersion(AppendOnly):
    class Precision(models.TextChoices):
        EXACT = "exact", "Exact date and time"
        APPROXIMATE = "approximate", "Approximate"
        RANGE = "range", "Between two times"

    class Reporter(models.TextChoices):
        ADVOCATE = "advocate", "The advocate saw or found it"
        CLIENT = "client", "The client, through the advocate"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    precision = models.CharField(max_length=12, choices=Precision.choices)
    occurred_at = models.DateTimeField("When it happened (or began)")
    occurred_until = models.DateTimeField("Until", null=True, blank=True)
    time_known = models.BooleanField(default=True, help_text="False when only the day is known.")
    count = models.PositiveIntegerField("How many times", default=1)
    reporter = models.CharField(max_length=10, choices=Reporter.choices)
    behaviours = models.JSONField(default=list)
    suspect = models.ForeignKey(
        Suspect, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    location = EncryptedTextField("Where", blank=True)
    what_happened = EncryptedTextField("What happened")
    witnesses = EncryptedTextField("Who saw it", blank=True)
    effects = models.JSONField(default=list)
    effect_notes = EncryptedTextField("How it affected the client", blank=True)
    breach = models.BooleanField("Breach of an order or bail conditions", default=False)
    reported_to_police = models.BooleanField(default=False)
    police_reference = EncryptedCharField("Police reference", max_length=60, blank=True)
    correction_reason = EncryptedTextField(blank=True)
    saved_at = models.DateTimeField(default=timezone.now, editable=False)
    saved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = AppendOnlyQuerySet.as_manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["incident", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "number"], name="one_incident_version")
        ]

    def __str__(self) -> str:
        return f"incident {self.incident_id} v{self.number}"

    def validate_constraints(self, exclude: Any = None) -> None:
        """Left to the database."""

    def behaviour_labels(self) -> list[str]:
        return [BEHAVIOUR_LABELS[Behaviour(b)] for b in self.behaviours]

    def effect_labels(self) -> list[str]:
        return [EFFECT_LABELS[Effect(e)] for e in self.effects]

    def when_text(self) -> str:
        start = timezone.localtime(self.occurred_at)
        if self.precision == self.Precision.RANGE and self.occurred_until:
            end = timezone.localtime(self.occurred_until)
            if end.date() == start.date():
                return f"{start:%-d %b %Y}, {start:%H:%M} to {end:%H:%M}"
            return f"{start:%-d %b %Y %H:%M} to {end:%-d %b %Y %H:%M}"
        if not self.time_known:
            return f"{'about ' if self.precision == self.Precision.APPROXIMATE else ''}" + (
                f"{start:%-d %b %Y} (time not known)"
            )
        if self.precision == self.Precision.APPROXIMATE:
            return f"about {start:%-d %b %Y, %H:%M}"
        return f"{start:%-d %b %Y, %H:%M}"

    def snapshot(self) -> dict[str, Any]:
        """What this version says, for comparing versions (never written to the audit trail)."""
        return {
            "when": self.when_text(),
            "count": self.count,
            "reporter": self.get_reporter_display(),
            "behaviours": ", ".join(self.behaviour_labels()),
            "suspect": self.suspect.display_name if self.suspect else "",
            "location": self.location,
            "what_happened": self.what_happened,
            "witnesses": self.witnesses,
            "effects": ", ".join(self.effect_labels()),
            "effect_notes": self.effect_notes,
            "breach": "Yes" if self.breach else "No",
            "reported_to_police": "Yes" if self.reported_to_police else "No",
            "police_reference": self.police_reference,
        }


SNAPSHOT_LABELS = {
    "when": "When",
    "count": "How many times",
    "reporter": "Who reported it",
    "behaviours": "Behaviours",
    "suspect": "Suspect",
    "location": "Where",
    "what_happened": "What happened",
    "witnesses": "Who saw it",
    "effects": "Effect on the client",
    "effect_notes": "How it affected the client",
    "breach": "Breach",
    "reported_to_police": "Reported to police",
    "police_reference": "Police reference",
}


# --- evidence files ------------------------------------------------------------------------------


class EvidenceItem(models.Model):
    """An original file, stored encrypted and unchanged, with its SHA-256 taken at upload."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "Photo"
        SCREENSHOT = "screenshot", "Screenshot"
        AUDIO = "audio", "Audio or voicemail"
        VIDEO = "video", "Video"
        DOCUMENT = "document", "Document"
        EXPORT = "export", "Export (chat, messages, call log, email)"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    number = models.PositiveIntegerField(editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    original_name = EncryptedCharField(max_length=255)
    description = EncryptedTextField(blank=True)
    media_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=200, editable=False)
    preview_name = models.CharField(max_length=200, blank=True, editable=False)
    metadata = EncryptedTextField(blank=True)  # JSON: EXIF time, place, device (shown to staff)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="one_exhibit_number")
        ]

    def __str__(self) -> str:
        return self.ref

    @property
    def ref(self) -> str:
        return f"E{self.number:03d}"

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    @property
    def download_name(self) -> str:
        """A safe name that says nothing about the content: exhibit number, hash prefix, type."""
        return f"{self.ref}-{self.sha256[:12]}.{self.extension}"

    def meta(self) -> dict[str, Any]:
        return json.loads(self.metadata) if self.metadata else {}

    def validate_constraints(self, exclude: Any = None) -> None:
        """Left to the database."""


# --- bundles -------------------------------------------------------------------------------------


class Bundle(models.Model):
    """A produced evidence bundle: the ZIP (encrypted at rest) and the hashes that identify it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(editable=False)
    produced_at = models.DateTimeField(default=timezone.now, editable=False)
    produced_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    incidents = models.PositiveIntegerField(default=0)
    exhibits = models.PositiveIntegerField(default=0)
    manifest_sha256 = models.CharField(max_length=64, db_index=True)
    pdf_sha256 = models.CharField(max_length=64)
    zip_sha256 = models.CharField(max_length=64)
    zip_size = models.BigIntegerField()
    pdf_pages = models.PositiveIntegerField(default=0)
    stored_name = models.CharField(max_length=200, editable=False)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["-produced_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="one_bundle_number")]

    def __str__(self) -> str:
        return self.ref

    @property
    def ref(self) -> str:
        return f"B{self.number:02d}"

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    @property
    def download_name(self) -> str:
        return f"harbour-bundle-{self.case.reference}-{self.ref}.zip"

    def validate_constraints(self, exclude: Any = None) -> None:
        """Left to the database."""


class BundleShare(AppendOnly):
    """A bundle shared with a police force (its stalking coordinators see it while consent holds)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(PoliceSharingConsent, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now, editable=False)
    shared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = AppendOnlyQuerySet.as_manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["-shared_at"]

    def __str__(self) -> str:
        return f"share of bundle {self.bundle_id}"

    @property
    def audit_id(self) -> str:
        return str(self.public_id)
