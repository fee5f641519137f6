"""Stored risk instruments, assessments made with them, and MARAC tracking.

An ``InstrumentVersion`` holds one instrument file exactly as loaded (its slug, version and digest
identify it for ever); the pure ``harbour.risk.instrument`` module does all parsing and scoring.
An ``Assessment`` stores the answers (encrypted), the score, the computed band, any override with
its reason and the band in force; it can always be rescored from what it stores.
"""

from __future__ import annotations

import json
import uuid
from functools import cached_property
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.cases.models import Case, Relationship, RiskLevel
from harbour.core.fields import EncryptedTextField
from harbour.core.scoping import ScopedManager
from harbour.risk.instrument import Instrument, load_instrument


class InstrumentVersion(models.Model):
    """One version of one instrument. Never deleted while an assessment uses it."""

    slug = models.SlugField(max_length=64)
    version = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    digest = models.CharField(max_length=64)
    source = models.TextField(help_text="The instrument file as loaded (harbour-instrument/1).")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for instruments every organisation may use (the shipped one).",
    )
    active = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="one_instrument_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    @cached_property
    def instrument(self) -> Instrument:
        return load_instrument(self.source)


class Assessment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="+"
    )
    answers_json = EncryptedTextField()
    score = models.PositiveIntegerField()
    computed_band = models.CharField(max_length=64)
    override_band = models.CharField(max_length=64, blank=True)
    override_reason = EncryptedTextField(blank=True)
    band = models.CharField(max_length=64, help_text="The band in force.")
    band_label = models.CharField(max_length=200)
    triggers = models.JSONField(default=list, help_text="Ids of the triggers that fired.")
    floors = models.JSONField(
        default=list, help_text="Ids of the critical items that set a floor under the band."
    )
    complete = models.BooleanField(default=True)
    review_on = models.DateField(null=True, blank=True)
    assessed_at = models.DateTimeField(default=timezone.now)
    assessed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["-assessed_at", "-pk"]
        # A case's assessments newest first, as the model orders them, with the review date: the
        # home page's latest review date of each open case is read from the index alone, with no
        # sort (issue #8).
        indexes = [
            models.Index(
                fields=["case", "-assessed_at", "-id", "review_on"], name="assessment_case_latest"
            )
        ]

    def __str__(self) -> str:
        return f"assessment {self.pk}"

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    @property
    def answers(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.answers_json or "{}")
        return loaded

    def trigger_labels(self) -> list[str]:
        instrument = self.instrument_version.instrument
        labels = []
        for trigger_id in self.triggers:
            try:
                labels.append(instrument.trigger(trigger_id).label)
            except KeyError:
                labels.append(trigger_id)
        return labels


class MaracReferral(models.Model):
    """A referral to a multi-agency meeting, and the meeting that heard it: MARAC for stalking that
    is domestic abuse (by a partner, former partner or family member); for the rest, the area's
    stalking panel or clinic. Both are tracked the same way."""

    class Forum(models.TextChoices):
        MARAC = "marac", "MARAC"
        PANEL = "panel", "Multi-agency stalking panel or clinic"

    class Status(models.TextChoices):
        REFERRED = "referred", "Referred"
        LISTED = "listed", "Listed for a meeting"
        HEARD = "heard", "Heard at MARAC"
        WITHDRAWN = "withdrawn", "Withdrawn"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    forum = models.CharField(max_length=8, choices=Forum.choices, default=Forum.MARAC)
    referred_on = models.DateField(default=timezone.localdate)
    reason = EncryptedTextField("Why the case is being referred")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REFERRED)
    meeting_on = models.DateField("Meeting date", null=True, blank=True)
    actions_agreed = EncryptedTextField("Actions agreed at the meeting", blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["-referred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.forum_name} referral {self.pk}"

    @property
    def forum_name(self) -> str:
        return forum_name(self.forum, self.case.organisation)

    @property
    def audit_id(self) -> str:
        return str(self.public_id)


def forum_name(forum: str, organisation: Organisation | None = None) -> str:
    """What the area calls its meetings: the provider's own name for its stalking panel or
    clinic, else ``HARBOUR_STALKING_PANEL_NAME``; MARAC is MARAC everywhere."""
    if forum == MaracReferral.Forum.PANEL:
        if organisation is not None and organisation.panel_name:
            return organisation.panel_name
        return str(
            getattr(settings, "HARBOUR_STALKING_PANEL_NAME", "the multi-agency stalking panel")
        )
    return "MARAC"


def forum_for(case: Case) -> str:
    """MARAC where the stalking is domestic abuse; the stalking panel for the rest."""

    if case.domestic_abuse or case.relationship_to_suspect in Relationship.domestic_abuse_related():
        return MaracReferral.Forum.MARAC
    return MaracReferral.Forum.PANEL


class RiskLevelChange(models.Model):
    """One change of the level in force on a case. Never edited: the history is the record.

    The level rises with any assessment or police grading above it; it falls only by a
    decision with a reason (``source=decision``). A lower assessment leaves it where it is.
    """

    class Source(models.TextChoices):
        POLICE = "police", "Police grading on the referral"
        ASSESSMENT = "assessment", "Risk assessment"
        DECISION = "decision", "Decision by the advocate or manager"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=RiskLevel.choices)
    previous = models.PositiveSmallIntegerField(choices=RiskLevel.choices)
    source = models.CharField(max_length=12, choices=Source.choices)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = EncryptedTextField(blank=True)
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["case", "-decided_at"], name="risklevel_case_at")]

    def __str__(self) -> str:
        return f"risk level {self.get_level_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("a change of risk level is never edited: record a new one")
        super().save(*args, **kwargs)

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    @property
    def lowered(self) -> bool:
        return self.level < self.previous
