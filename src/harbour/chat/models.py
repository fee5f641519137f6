"""Live chat: a service's anonymous advice line, in real time, becoming a referral without retyping.

A visitor needs no account: their chat is bound to their session only (nothing in the URL or the
browser's storage). The text of a chat that does not become a referral is deleted when it ends
(unless the service chooses to keep it); its counts and timings stay for the figures. A chat that
becomes a referral leaves its transcript, encrypted, attached to the referral. State changes happen
only through ``harbour.chat.services``.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import ClassVar, Self

from django.db import models
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.core.fields import EncryptedCharField, EncryptedTextField
from harbour.core.scoping import ScopedManager

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def default_opening_hours() -> dict[str, list[list[str]]]:
    """Monday to Friday, 9am to 5pm (weekday number, 0 = Monday -> [[opens, closes], ...])."""
    return {str(day): [["09:00", "17:00"]] for day in range(5)}


class ChatService(models.Model):
    """A provider's live chat: its public name, opening hours, out-of-hours numbers and choices."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="chat_service"
    )
    slug = models.SlugField(
        max_length=40, unique=True, help_text="The service's part of the public chat address."
    )
    opening_hours = models.JSONField(default=default_opening_hours)
    helpline = models.TextField(
        blank=True,
        help_text="Out-of-hours numbers shown to visitors, one per line (public information).",
    )
    keep_unconverted_transcripts = models.BooleanField(
        default=False,
        help_text="Keep the text of chats that do not become referrals (default: delete at the end).",
    )
    max_chats_per_adviser = models.PositiveSmallIntegerField(default=3)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return f"chat service {self.slug}"

    @property
    def name(self) -> str:
        return self.organisation.name

    def hours_on(self, weekday: int) -> list[tuple[time, time]]:
        spans = self.opening_hours.get(str(weekday), [])
        return [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in spans]

    def is_open_at(self, when: datetime) -> bool:
        local = timezone.localtime(when)
        return any(a <= local.time() < b for a, b in self.hours_on(local.weekday()))

    def hours_table(self) -> list[tuple[str, str]]:
        """(day, "9am to 5pm" or "Closed") for the public page."""
        rows = []
        for day, name in enumerate(WEEKDAYS):
            spans = self.hours_on(day)
            text = ", ".join(f"{_clock(a)} to {_clock(b)}" for a, b in spans) or "Closed"
            rows.append((name, text))
        return rows

    def helpline_lines(self) -> list[str]:
        return [line.strip() for line in self.helpline.splitlines() if line.strip()]


def _clock(value: time) -> str:
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if not value.minute else f"{hour}:{value.minute:02d}{suffix}"


class SavedReply(models.Model):
    """A signposting message an adviser can send in one step (local and national numbers)."""

    service = models.ForeignKey(ChatService, on_delete=models.CASCADE, related_name="replies")
    title = models.CharField(max_length=80)
    body = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class AdviserPresence(models.Model):
    """Whether an advocate on duty is taking chats. Seen recently and available = counted."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(ChatService, on_delete=models.CASCADE, related_name="+")
    available = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"presence of user {self.user_id}"


class Chat(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        ACTIVE = "active", "With an adviser"
        ENDED = "ended", "Ended"

    class Outcome(models.TextChoices):
        ANSWERED = "answered", "Answered"
        ABANDONED = "abandoned", "Left before an adviser answered"
        CONVERTED = "converted", "Turned into a referral"

    class EndedBy(models.TextChoices):
        VISITOR = "visitor", "Visitor ended the chat"
        EXIT = "exit", "Visitor used Exit this page"
        ADVISER = "adviser", "Adviser ended the chat"
        TIMEOUT = "timeout", "Visitor went quiet"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(ChatService, on_delete=models.PROTECT, related_name="+")
    alias = EncryptedCharField(max_length=60, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    ended_by = models.CharField(max_length=8, choices=EndedBy.choices, blank=True)
    adviser = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offered_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    visitor_seen_at = models.DateTimeField(default=timezone.now)
    consent_requested_at = models.DateTimeField(null=True, blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visitor_messages = models.PositiveIntegerField(default=0)
    adviser_messages = models.PositiveIntegerField(default=0)
    text_deleted_at = models.DateTimeField(null=True, blank=True)
    #: Keyed hash of the address the chat was started from (rate limits only; never the address).
    address_index = models.CharField(max_length=64, blank=True, db_index=True)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["offered_at"]
        indexes = [
            models.Index(fields=["service", "status", "offered_at"], name="chat_queue"),
            models.Index(fields=["service", "offered_at"], name="chat_figures"),
        ]

    def __str__(self) -> str:
        return f"chat {self.public_id}"

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    @property
    def is_live(self) -> bool:
        return self.status != self.Status.ENDED

    @property
    def wait_seconds(self) -> float | None:
        end = self.answered_at or self.ended_at
        return (end - self.offered_at).total_seconds() if end else None

    @property
    def duration_seconds(self) -> float | None:
        if self.answered_at is None or self.ended_at is None:
            return None
        return (self.ended_at - self.answered_at).total_seconds()

    @property
    def display_alias(self) -> str:
        return self.alias or "Visitor"


class ChatMessage(models.Model):
    class Sender(models.TextChoices):
        VISITOR = "visitor", "Visitor"
        ADVISER = "adviser", "Adviser"
        SYSTEM = "system", "Harbour"

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="+")
    sender = models.CharField(max_length=8, choices=Sender.choices)
    author = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = EncryptedTextField()
    sent_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"chat message {self.pk}"


class SafeguardingConcern(models.Model):
    """A concern an adviser records during a chat (kept whatever happens to the chat's text)."""

    class Kind(models.TextChoices):
        CHILD = "child", "A child may be at risk"
        ADULT = "adult", "An adult at risk"
        IMMEDIATE_DANGER = "danger", "Immediate danger to life"
        OTHER = "other", "Other concern"

    chat = models.ForeignKey(Chat, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    note = EncryptedTextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"safeguarding concern {self.pk}"


class ChatTranscript(models.Model):
    """The whole conversation, encrypted, attached to the referral the chat became."""

    chat = models.OneToOneField(Chat, on_delete=models.PROTECT, related_name="+")
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="+"
    )
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"

    def __str__(self) -> str:
        return f"transcript of {self.chat_id}"


class ChatStart(models.Model):
    """One chat started from an address (a keyed hash), for the generous per-address limit."""

    address_index = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["address_index", "at"], name="chat_start_address")]

    def __str__(self) -> str:
        return f"chat start at {self.at:%Y-%m-%d %H:%M}"


class ChatSignal(models.Model):
    """The embedded message bus: "something changed on this channel". No content, ever.

    Every server process polls this table for rows after the last one it saw and wakes its own
    listeners (``harbour.chat.bus``). Rows are pruned after a few minutes.
    """

    channel = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"signal {self.pk}"
