"""Evidence imports: an export file read into the case as messages, diary entries and flags.

``EvidenceImport`` is the job and its state machine (docs/evidence-import.md): queued -> scanning
-> choosing (the advocate says who is who) -> queued -> running -> done, or failed with a reason
at any point; a job whose worker died is resumed from its last checkpoint. ``ImportedMessage`` is
one record of the export, traceable to its line or byte in the exhibit; ``MessageFlag`` is a prompt
on one of the suspect's messages that the advocate confirms or dismisses. Messages and flags of an
import that is not done are never shown.

Why unscoped: the model's own helpers read the job's rows for the job itself, with no user.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, ClassVar, Self

from django.db import models
from django.utils import timezone

from harbour.accounts.models import User
from harbour.cases.models import Case, Suspect
from harbour.core.fields import EncryptedCharField, EncryptedTextField
from harbour.core.scoping import ScopedManager
from harbour.evidence.models import EvidenceItem, Incident


class EvidenceImport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        SCANNING = "scanning", "Reading the file"
        CHOOSING = "choosing", "Waiting for you to say who is who"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    class Stage(models.TextChoices):
        SCAN = "scan", "Scan"
        IMPORT = "import", "Import"

    ACTIVE = (Status.QUEUED, Status.SCANNING, Status.RUNNING)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    exhibit = models.OneToOneField(EvidenceItem, on_delete=models.PROTECT, related_name="+")
    format = models.CharField(max_length=20)
    options = models.JSONField(default=dict, blank=True)  # parser options (e.g. day_first)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.SCAN)
    total = models.PositiveIntegerField(default=0)  # records in the file (known after the scan)
    done = models.PositiveIntegerField(default=0)  # records processed: the resume checkpoint
    # JSON list of {"name", "messages", "calls", "first", "last", "proposed", "why"}
    participants = EncryptedTextField(blank=True)
    roles = models.JSONField(default=dict, blank=True)  # {"suspect": index, "client": index|None}
    suspect_name = EncryptedCharField(max_length=300, blank=True)
    client_name = EncryptedCharField(max_length=300, blank=True)
    suspect = models.ForeignKey(
        Suspect, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added = models.PositiveIntegerField(default=0)
    already_held = models.PositiveIntegerField(default=0)
    entries = models.PositiveIntegerField(default=0)
    flags = models.PositiveIntegerField(default=0)
    report = EncryptedTextField(blank=True)  # the parser's decisions and what to check (JSON)
    failure = EncryptedTextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    resumed = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    worker = models.CharField(max_length=200, blank=True)  # host:pid of the worker running it
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="import_status_heartbeat")]

    def __str__(self) -> str:
        return f"import of {self.exhibit_id}"

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if self.stage == self.Stage.SCAN or not self.total:
            return 0
        return min(99, self.done * 100 // self.total)

    def participant_list(self) -> list[dict[str, Any]]:
        return list(json.loads(self.participants)) if self.participants else []

    def report_data(self) -> dict[str, Any]:
        return dict(json.loads(self.report)) if self.report else {}

    def validate_constraints(self, exclude: Any = None) -> None:
        """Left to the database."""


class ImportedMessage(models.Model):
    """One message or call from an export. ``seq`` is its order in the file; ``line``, ``offset``
    and ``member`` say where it starts in the exhibit."""

    class Party(models.TextChoices):
        SUSPECT = "suspect", "Suspect"
        CLIENT = "client", "Client"
        OTHER = "other", "Someone else"
        SYSTEM = "system", "No sender (a notice)"

    # No index of their own: the unique (case, fingerprint) index and the (source, day) index
    # start with them and serve every look-up by case or by import. Each index costs every one of
    # an import's rows an insert.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", db_index=False)
    source = models.ForeignKey(
        EvidenceImport, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # HMAC-SHA-256 (blind-index key) of what the record says, first 128 bits in hex: the same
    # message from another export of the same chat has the same fingerprint
    fingerprint = models.CharField(max_length=32)
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=10)
    party = models.CharField(max_length=8, choices=Party.choices)
    participant = models.SmallIntegerField(default=-1)  # index into the import's participants
    sent_at = models.DateTimeField(null=True, blank=True)
    day = models.DateField(null=True, blank=True)  # local day, for grouping and volume
    text = EncryptedTextField(blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    offset = models.BigIntegerField(null=True, blank=True)
    member = EncryptedCharField(max_length=500, blank=True)  # zip member or JSON path
    call_type = models.CharField(max_length=20, blank=True)
    call_seconds = models.PositiveIntegerField(null=True, blank=True)
    attachments = models.PositiveSmallIntegerField(default=0)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["sent_at", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "fingerprint"], name="one_message_per_case")
        ]
        indexes = [
            models.Index(fields=["source", "day"], name="import_message_day"),
        ]

    def __str__(self) -> str:
        return f"message {self.seq} of import {self.source_id}"

    @property
    def position(self) -> str:
        parts = []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.offset is not None:
            parts.append(f"byte {self.offset}")
        return ", ".join(parts) or "position not given by the export"

    def validate_constraints(self, exclude: Any = None) -> None:
        """Left to the database."""


class ImportedEntry(models.Model):
    """A diary entry made by an import: the suspect's messages (or calls) of one day. The messages
    are found through it (source, day, calls), so finishing an import never rewrites them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(EvidenceImport, on_delete=models.CASCADE, related_name="+")
    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    calls = models.BooleanField(default=False)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        constraints = [
            models.UniqueConstraint(fields=["source", "day", "calls"], name="one_entry_per_group")
        ]

    def __str__(self) -> str:
        return f"entry {self.incident_id} of import {self.source_id}"

    def messages(self) -> models.QuerySet[ImportedMessage]:
        rows = ImportedMessage.unscoped.filter(
            source_id=self.source_id, party=ImportedMessage.Party.SUSPECT, day=self.day
        )
        return rows.filter(kind="call") if self.calls else rows.exclude(kind="call")

    def validate_constraints(self, exclude: Any = None) -> None:
        """Left to the database."""


class MessageFlag(models.Model):
    """A prompt raised by a rule on one of the suspect's messages; a person confirms or dismisses
    it. Only confirmed flags reach a bundle."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "To review"
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(EvidenceImport, on_delete=models.CASCADE, related_name="+")
    # DO_NOTHING: flags are deleted first, so messages can be deleted in one statement
    message = models.ForeignKey(ImportedMessage, on_delete=models.DO_NOTHING, related_name="+")
    flag = models.CharField(max_length=40)
    rule = models.CharField(max_length=80)
    words = EncryptedTextField()  # the words that matched (message content: encrypted)
    why = models.CharField(max_length=300)  # the rule's reason, from the rule file (no content)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["message__sent_at", "message__seq", "flag"]
        indexes = [models.Index(fields=["source", "state"], name="import_flag_state")]

    def __str__(self) -> str:
        return f"{self.flag} flag {self.pk}"

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    def validate_constraints(self, exclude: Any = None) -> None:
        """Left to the database."""
