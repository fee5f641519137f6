"""Named state changes for live chat. Every adviser action is audited in its own transaction, and
every change wakes the processes that stream it (``harbour.chat.bus``).

waiting -> active (an adviser takes it) -> ended (answered | converted); waiting -> ended (abandoned).

Why unscoped: chat visitors are anonymous and advisers reach a chat through ``chat.access``; these
functions act on that chat only, so they read through ``unscoped``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from harbour.accounts.models import User
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.chat import bus
from harbour.chat.models import (
    AdviserPresence,
    Chat,
    ChatMessage,
    ChatService,
    ChatStart,
    ChatTranscript,
    SafeguardingConcern,
    SavedReply,
)
from harbour.core.client_ip import client_address, is_proxy_address
from harbour.core.fields import blind_index
from harbour.referrals.models import Referral
from harbour.referrals.services import receive_referral

#: An adviser counts as available if they said so and were seen this recently.
PRESENCE_FRESH = timedelta(minutes=15)
#: A waiting or active visitor not seen (page or stream) for this long has gone.
VISITOR_GONE = timedelta(minutes=10)
MAX_MESSAGE = 2000


class ChatError(Exception):
    """A change the chat's current state does not allow."""


class RateLimited(ChatError):
    """Too much, too fast, from one chat (or too many chats from one address)."""


# Reading -------------------------------------------------------------------------------------


def service_for_slug(slug: str) -> ChatService | None:
    return (
        ChatService.objects.select_related("organisation")
        .filter(slug=slug, is_active=True, organisation__is_active=True)
        .first()
    )


def available_advisers(service: ChatService, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return AdviserPresence.objects.filter(
        service=service, available=True, seen_at__gte=now - PRESENCE_FRESH, user__is_active=True
    ).count()


def queue_position(chat: Chat) -> int | None:
    """1 for the next chat to be answered; None once answered or ended."""
    if chat.status != Chat.Status.WAITING:
        return None
    ahead = (
        Chat.objects.system("queue position for the visitor")
        .filter(service_id=chat.service_id, status=Chat.Status.WAITING)
        .filter(Q(offered_at__lt=chat.offered_at) | Q(offered_at=chat.offered_at, pk__lt=chat.pk))
        .count()
    )
    return ahead + 1


def messages_of(chat: Chat) -> list[ChatMessage]:
    """A chat's messages, for the visitor (their session proves it is theirs) or the adviser
    (their access helper has already decided)."""
    return list(ChatMessage.unscoped.filter(chat=chat).order_by("pk"))


def waiting_chats(service: ChatService, *, user: User) -> list[Chat]:
    return list(
        Chat.objects.for_user(user)
        .filter(service=service, status=Chat.Status.WAITING)
        .order_by("offered_at", "pk")
    )


def chats_held_by(user: User) -> list[Chat]:
    return list(
        Chat.objects.for_user(user)
        .filter(adviser=user, status=Chat.Status.ACTIVE)
        .order_by("answered_at")
    )


@dataclass(frozen=True)
class Availability:
    open_now: bool
    advisers: int
    waiting: int

    @property
    def can_start(self) -> bool:
        return self.open_now and self.advisers > 0


def availability(service: ChatService, now: datetime | None = None) -> Availability:
    now = now or timezone.now()
    waiting = (
        Chat.objects.system("queue length for the public page")
        .filter(service=service, status=Chat.Status.WAITING)
        .count()
    )
    return Availability(service.is_open_at(now), available_advisers(service, now), waiting)


# Rate limits: per chat (the visitor's own session), and only generously per address ----------


def _address_index(request: HttpRequest) -> str:
    return blind_index("chat-address", client_address(request))


def check_start_allowed(request: HttpRequest, service: ChatService) -> None:
    """A flood of new chats from one address is refused, but generously: a refuge, a library or
    a phone network puts many people behind one address. Two limits, per rolling hour and on how
    many of the queue's places one address may hold at once."""
    address = client_address(request)
    if is_proxy_address(address):
        return
    index = _address_index(request)
    since = timezone.now() - timedelta(hours=1)
    starts = ChatStart.objects.filter(address_index=index, at__gte=since).count()
    if starts >= settings.HARBOUR_CHAT_STARTS_PER_HOUR:
        raise RateLimited("too many chats from this connection")
    waiting = (
        Chat.objects.system("per-address waiting limit")
        .filter(service=service, status=Chat.Status.WAITING, address_index=index)
        .count()
    )
    if waiting >= settings.HARBOUR_CHAT_WAITING_PER_ADDRESS:
        raise RateLimited("too many chats waiting from this connection")


def _check_message_rate(chat: Chat) -> None:
    since = timezone.now() - timedelta(minutes=1)
    sent = (
        ChatMessage.objects.system("visitor message rate")
        .filter(chat=chat, sender=ChatMessage.Sender.VISITOR, sent_at__gte=since)
        .count()
    )
    if sent >= settings.HARBOUR_CHAT_MESSAGES_PER_MINUTE:
        raise RateLimited("too many messages in a minute")


# Visitor side -----------------------------------------------------------------------------------


def start_chat(service: ChatService, *, alias: str, request: HttpRequest) -> Chat:
    """A visitor joins the queue. No audit row names them: the chat row keeps counts and times."""
    check_start_allowed(request, service)
    now = timezone.now()
    with transaction.atomic():
        index = _address_index(request)
        ChatStart.objects.filter(at__lt=now - timedelta(days=1)).delete()
        ChatStart.objects.create(address_index=index, at=now)
        chat = Chat.unscoped.create(
            service=service, alias=alias.strip()[:60], offered_at=now, address_index=index
        )
        _system_message(chat, "You are in the queue. An adviser will be with you soon.")
        bus.publish(bus.queue_channel(service.pk), bus.chat_channel(chat.pk))
    return chat


def _system_message(chat: Chat, text: str) -> ChatMessage:
    return ChatMessage.unscoped.create(chat=chat, sender=ChatMessage.Sender.SYSTEM, body=text)


def _lock(chat: Chat) -> Chat:
    return Chat.unscoped.select_for_update().select_related("service").get(pk=chat.pk)


def visitor_says(chat: Chat, text: str) -> ChatMessage:
    text = text.strip()
    if not text:
        raise ChatError("Type a message")
    if len(text) > MAX_MESSAGE:
        raise ChatError(f"Messages can be up to {MAX_MESSAGE} characters")
    with transaction.atomic():
        locked = _lock(chat)
        if not locked.is_live:
            raise ChatError("This chat has ended")
        _check_message_rate(locked)
        message = ChatMessage.unscoped.create(
            chat=locked, sender=ChatMessage.Sender.VISITOR, body=text
        )
        locked.visitor_messages += 1
        locked.visitor_seen_at = message.sent_at
        locked.save(update_fields=["visitor_messages", "visitor_seen_at"])
        bus.publish(bus.chat_channel(locked.pk))
    return message


def visitor_agrees_to_referral(chat: Chat) -> Chat:
    with transaction.atomic():
        locked = _lock(chat)
        if locked.status != Chat.Status.ACTIVE or locked.consent_requested_at is None:
            raise ChatError("Nobody has asked you about a referral")
        if locked.consent_given_at is None:
            locked.consent_given_at = timezone.now()
            locked.save(update_fields=["consent_given_at"])
            _system_message(locked, "You agreed that the adviser can make a referral for you.")
            bus.publish(bus.chat_channel(locked.pk))
    return locked


def visitor_ends(chat: Chat, *, exit_page: bool = False) -> Chat:
    """The visitor ends the chat, or leaves with "Exit this page" (no audit row: no trace)."""
    return _end(chat, ended_by=Chat.EndedBy.EXIT if exit_page else Chat.EndedBy.VISITOR)


def note_visitor_seen(chat: Chat) -> None:
    Chat.unscoped.filter(pk=chat.pk).update(visitor_seen_at=timezone.now())


# Adviser side -----------------------------------------------------------------------------------


def presence_of(user: User) -> AdviserPresence | None:
    return AdviserPresence.objects.filter(user=user).first()


def set_available(user: User, service: ChatService, *, available: bool) -> AdviserPresence:
    now = timezone.now()
    with transaction.atomic():
        presence, _ = AdviserPresence.objects.update_or_create(
            user=user,
            defaults={
                "service": service,
                "available": available,
                "changed_at": now,
                "seen_at": now,
            },
        )
        record(
            actor=user,
            verb=AuditVerb.CHAT_AVAILABILITY_CHANGED,
            payload={"available": available, "service": service.pk},
        )
        bus.publish(bus.queue_channel(service.pk))
    return presence


def note_adviser_seen(user: User) -> None:
    AdviserPresence.objects.filter(user=user).update(seen_at=timezone.now())


def take_chat(chat: Chat, *, by: User) -> Chat:
    """The adviser answers a waiting chat (several at once, up to the service's limit)."""
    with transaction.atomic():
        locked = _lock(chat)
        if locked.status != Chat.Status.WAITING:
            raise ChatError("Another adviser has already answered this chat, or it has ended")
        holding = Chat.objects.for_user(by).filter(adviser=by, status=Chat.Status.ACTIVE).count()
        if holding >= locked.service.max_chats_per_adviser:
            raise ChatError(f"You already have {holding} chats open: end one before taking another")
        locked.status = Chat.Status.ACTIVE
        locked.adviser = by
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "adviser", "answered_at"])
        _system_message(locked, f"{by.first_name or 'An adviser'} has joined the chat.")
        record(
            actor=by,
            verb=AuditVerb.CHAT_TAKEN,
            obj=locked,
            payload={"wait_seconds": round(locked.wait_seconds or 0)},
        )
        bus.publish(bus.queue_channel(locked.service_id), bus.chat_channel(locked.pk))
    return locked


def take_next(service: ChatService, *, by: User) -> Chat | None:
    waiting = (
        Chat.objects.for_user(by)
        .filter(service=service, status=Chat.Status.WAITING)
        .order_by("offered_at", "pk")
        .first()
    )
    return take_chat(waiting, by=by) if waiting else None


def adviser_says(
    chat: Chat, text: str, *, by: User, reply: SavedReply | None = None
) -> ChatMessage:
    text = text.strip()
    if reply is not None:
        text = f"{text}\n\n{reply.body}".strip() if text else reply.body
    if not text:
        raise ChatError("Type a message or choose a saved reply")
    if len(text) > MAX_MESSAGE * 2:
        raise ChatError(f"Messages can be up to {MAX_MESSAGE * 2} characters")
    with transaction.atomic():
        locked = _lock(chat)
        if locked.status != Chat.Status.ACTIVE or locked.adviser_id != by.pk:
            raise ChatError("This chat is not open with you")
        message = ChatMessage.unscoped.create(
            chat=locked, sender=ChatMessage.Sender.ADVISER, author=by, body=text
        )
        locked.adviser_messages += 1
        locked.save(update_fields=["adviser_messages"])
        record(
            actor=by,
            verb=AuditVerb.CHAT_MESSAGE_SENT,
            obj=locked,
            payload={"saved_reply": reply.pk if reply else None},
        )
        bus.publish(bus.chat_channel(locked.pk))
    return message


def ask_for_referral_consent(chat: Chat, *, by: User) -> Chat:
    with transaction.atomic():
        locked = _lock(chat)
        if locked.status != Chat.Status.ACTIVE or locked.adviser_id != by.pk:
            raise ChatError("This chat is not open with you")
        locked.consent_requested_at = timezone.now()
        locked.save(update_fields=["consent_requested_at"])
        _system_message(
            locked,
            "The adviser would like to make a referral so the service can support you: they will "
            "contact you only in the ways you say are safe. Do you agree?",
        )
        record(actor=by, verb=AuditVerb.CHAT_CONSENT_REQUESTED, obj=locked)
        bus.publish(bus.chat_channel(locked.pk))
    return locked


def record_concern(chat: Chat, *, kind: str, note: str, by: User) -> SafeguardingConcern:
    if kind not in SafeguardingConcern.Kind.values:
        raise ChatError("Choose what the concern is about")
    if not note.strip():
        raise ChatError("Describe the concern")
    with transaction.atomic():
        concern = SafeguardingConcern.unscoped.create(
            chat=chat, kind=kind, note=note.strip(), recorded_by=by
        )
        record(actor=by, verb=AuditVerb.CHAT_CONCERN_RECORDED, obj=chat, payload={"kind": kind})
    return concern


def end_chat(chat: Chat, *, by: User) -> Chat:
    if chat.adviser_id != by.pk:
        raise ChatError("This chat is not open with you")
    return _end(chat, ended_by=Chat.EndedBy.ADVISER, by=by)


def _end(chat: Chat, *, ended_by: str, by: User | None = None) -> Chat:
    with transaction.atomic():
        locked = _lock(chat)
        if not locked.is_live:
            return locked
        locked.outcome = (
            Chat.Outcome.ANSWERED if locked.status == Chat.Status.ACTIVE else Chat.Outcome.ABANDONED
        )
        locked.status = Chat.Status.ENDED
        locked.ended_by = ended_by
        locked.ended_at = timezone.now()
        locked.save(update_fields=["outcome", "status", "ended_by", "ended_at"])
        if by is not None:
            record(
                actor=by,
                verb=AuditVerb.CHAT_ENDED,
                obj=locked,
                payload={"outcome": locked.outcome, "ended_by": ended_by},
            )
        if not locked.service.keep_unconverted_transcripts:
            delete_text(locked)
        bus.publish(bus.queue_channel(locked.service_id), bus.chat_channel(locked.pk))
    return locked


def delete_text(chat: Chat) -> int:
    """Delete a chat's messages and alias; its counts and times stay (figures need them)."""
    with transaction.atomic():
        deleted, _ = ChatMessage.unscoped.filter(chat=chat).delete()
        Chat.unscoped.filter(pk=chat.pk).update(alias="", text_deleted_at=timezone.now())
        record(
            actor=None,
            username="harbour chat retention",
            verb=AuditVerb.CHAT_TEXT_DELETED,
            obj=chat,
            payload={"messages": deleted},
        )
    chat.alias = ""
    return deleted


def transcript_text(chat: Chat) -> str:
    lines = []
    for m in ChatMessage.unscoped.filter(chat=chat).select_related("author").order_by("pk"):
        when = timezone.localtime(m.sent_at).strftime("%d/%m/%Y %H:%M:%S")
        if m.sender == ChatMessage.Sender.ADVISER:
            who = f"Adviser ({m.author.get_full_name() if m.author else 'unknown'})"
        elif m.sender == ChatMessage.Sender.VISITOR:
            who = chat.display_alias
        else:
            who = "Harbour"
        lines.append(f"[{when}] {who}: {m.body}")
    return "\n".join(lines)


def convert_to_referral(chat: Chat, *, fields: dict[str, Any], by: User) -> Referral:
    """The visitor agreed in the chat: make a live-chat referral to this service, with the whole
    transcript attached (encrypted); the chat ends as converted and its message rows go."""
    with transaction.atomic():
        locked = _lock(chat)
        if locked.status != Chat.Status.ACTIVE or locked.adviser_id != by.pk:
            raise ChatError("This chat is not open with you")
        if locked.consent_given_at is None:
            raise ChatError("The visitor has not agreed to a referral in the chat")
        referral = receive_referral(
            source=Referral.Source.LIVE_CHAT,
            fields={**fields, "consent_to_contact": True},
            by=by,
            via="chat",
            routed_to=locked.service.organisation,
        )
        _system_message(locked, "The adviser has made the referral. This chat has now ended.")
        ChatTranscript.unscoped.create(chat=locked, referral=referral, text=transcript_text(locked))
        locked.referral = referral
        locked.outcome = Chat.Outcome.CONVERTED
        locked.status = Chat.Status.ENDED
        locked.ended_by = Chat.EndedBy.ADVISER
        locked.ended_at = timezone.now()
        locked.save(update_fields=["referral", "outcome", "status", "ended_by", "ended_at"])
        record(
            actor=by,
            verb=AuditVerb.CHAT_CONVERTED,
            obj=locked,
            payload={"referral": str(referral.public_id)},
        )
        bus.publish(bus.queue_channel(locked.service_id), bus.chat_channel(locked.pk))
    # The visitor's page still shows the last message; the rows go once the stream has said so.
    ChatMessage.unscoped.filter(chat=locked).delete()
    return referral


def close_abandoned(now: datetime | None = None) -> int:
    """End chats whose visitor went away without ending them (closed tab, lost connection)."""
    now = now or timezone.now()
    gone = Chat.objects.system("close chats whose visitor left").filter(
        status__in=(Chat.Status.WAITING, Chat.Status.ACTIVE), visitor_seen_at__lt=now - VISITOR_GONE
    )
    count = 0
    for chat in gone:
        _end(chat, ended_by=Chat.EndedBy.TIMEOUT)
        count += 1
    return count


# Figures ----------------------------------------------------------------------------------------


def chat_figures(organisation_id: int, start: datetime, end: datetime) -> dict[str, Any]:
    """Chats offered, answered, abandoned, turned into referrals, waiting times, by hour of day
    (UK time), for chats offered in [start, end). Counts only: nothing about any visitor."""
    chats = list(
        Chat.objects.system("chat figures (counts and times only)")
        .filter(service__organisation_id=organisation_id, offered_at__gte=start, offered_at__lt=end)
        .values_list("offered_at", "answered_at", "ended_at", "outcome")
    )
    waits = sorted(
        (answered - offered).total_seconds() for offered, answered, _e, _o in chats if answered
    )
    durations = [
        (ended - answered).total_seconds()
        for _of, answered, ended, _o in chats
        if answered and ended
    ]
    by_hour = [
        {"hour": h, "offered": 0, "answered": 0, "abandoned": 0, "converted": 0} for h in range(24)
    ]
    for offered, answered, _ended, outcome in chats:
        row = by_hour[timezone.localtime(offered).hour]
        row["offered"] += 1
        row["answered"] += answered is not None
        row["abandoned"] += outcome == Chat.Outcome.ABANDONED
        row["converted"] += outcome == Chat.Outcome.CONVERTED
    return {
        "offered": len(chats),
        "answered": sum(1 for c in chats if c[1] is not None),
        "abandoned": sum(1 for c in chats if c[3] == Chat.Outcome.ABANDONED),
        "converted": sum(1 for c in chats if c[3] == Chat.Outcome.CONVERTED),
        "waiting_now": sum(1 for c in chats if c[2] is None and c[1] is None),
        "wait_median_seconds": _percentile(waits, 50),
        "wait_p90_seconds": _percentile(waits, 90),
        "duration_median_seconds": _percentile(sorted(durations), 50),
        "by_hour": by_hour,
    }


def _percentile(values: list[float], pct: int) -> float | None:
    if not values:
        return None
    rank = max(0, min(len(values) - 1, round(pct / 100 * (len(values) - 1))))
    return round(values[rank], 1)


def source_counts(organisation_id: int) -> dict[str, int]:
    """Referrals by source for one provider, live chat included (the dashboard's sources)."""
    rows = (
        Referral.objects.system("referral source counts")
        .filter(routed_to_id=organisation_id)
        .values("source")
        .annotate(n=Count("pk"))
    )
    return {row["source"]: row["n"] for row in rows}
