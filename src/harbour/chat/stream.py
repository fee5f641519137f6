"""Server-sent events for a chat: new messages and the chat's state, as they happen.

Under ``harbour serve`` (ASGI) a stream is an async generator woken by the bus
(``harbour.chat.bus``): hundreds of open streams cost no threads. Under a WSGI server (the test
suite's live server) the same events come from a generator that re-reads the database a few times a
second. Either way a stream ends after about ``STREAM_SECONDS`` and the browser's EventSource reconnects
with the last message id, so a stream never outlives a session check for long.

Events carry message text to the one person on each side of the chat; nothing goes to the bus.

Why unscoped: a stream is opened only after ``chat.access`` has admitted the visitor (by the chat's
secret) or the adviser; it re-reads that one chat's rows with no user to scope by.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db import OperationalError, close_old_connections
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from harbour.chat import bus
from harbour.chat.models import Chat, ChatMessage
from harbour.chat.services import queue_position

log = logging.getLogger("harbour.chat")

STREAM_SECONDS = 45.0


def stream_lifetime() -> float:
    """``STREAM_SECONDS``, give or take a third, at random: streams opened together (a busy hour,
    a server restart) then reconnect spread out, not all in the same second."""
    return STREAM_SECONDS * random.uniform(2 / 3, 4 / 3)  # noqa: S311  (spread, not a secret)


SYNC_POLL_SECONDS = 0.2
SEEN_EVERY = timedelta(seconds=30)
#: What a stream reads of its chat on each wake-up (not the alias or the counts).
STATE_FIELDS = (
    "status",
    "service_id",
    "offered_at",
    "visitor_seen_at",
    "consent_requested_at",
    "consent_given_at",
)
#: A stream re-reads the database without a wake-up this often, in case one was lost; between
#: those it only says it is still there, which costs nothing.
REREAD_SECONDS = 30.0
#: While a chat waits, its place in the queue changes whenever any other chat is taken; a place
#: shown half a second late is fine, and a busy queue then costs a few reads a second, not one
#: per change.
WAITING_READ_GAP = 0.5


def message_json(m: ChatMessage, viewer: str) -> dict[str, Any]:
    if m.sender == ChatMessage.Sender.SYSTEM:
        who = "Harbour"
    elif m.sender == viewer:
        who = "You"
    elif m.sender == ChatMessage.Sender.ADVISER:
        who = "Adviser"
    else:
        who = "Visitor"
    return {
        "id": m.pk,
        "sender": m.sender,
        "who": who,
        "body": m.body,
        "time": timezone.localtime(m.sent_at).strftime("%H:%M"),
    }


def snapshot(chat_pk: int, after: int, viewer: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Messages after ``after`` and the chat's state (what the page shows besides messages)."""
    chat = Chat.unscoped.only(*STATE_FIELDS).get(pk=chat_pk)
    messages = [
        message_json(m, viewer)
        for m in ChatMessage.unscoped.filter(chat_id=chat_pk, pk__gt=after).order_by("pk")[:200]
    ]
    if viewer == ChatMessage.Sender.VISITOR and timezone.now() - chat.visitor_seen_at > SEEN_EVERY:
        Chat.unscoped.filter(pk=chat_pk).update(visitor_seen_at=timezone.now())
    state = {
        "status": chat.status,
        "position": queue_position(chat),
        "consent_requested": chat.consent_requested_at is not None,
        "consent_given": chat.consent_given_at is not None,
    }
    return messages, state


def _event(kind: str, data: dict[str, Any], event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data)}\n\n"


def _snapshot_in_pool(
    chat_pk: int, after: int, viewer: str
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    # A thread of the event loop's pool keeps its connection between reads; drop it if it broke.
    close_old_connections()
    return snapshot(chat_pk, after, viewer)


async def _async_events(chat: Chat, after: int, viewer: str) -> AsyncIterator[str]:
    read = sync_to_async(_snapshot_in_pool, thread_sensitive=False)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + stream_lifetime()
    last_state: dict[str, Any] | None = None
    # The queue's channel matters only while this chat waits in it (its place in the queue): once
    # answered, a stream stops waking for every other chat that joins or is taken, so a busy
    # service's streams cost what their own chats cost, not the square of the queue.
    waiting = chat.status == Chat.Status.WAITING
    yield "retry: 1000\n\n"
    while True:
        channels = [bus.chat_channel(chat.pk)]
        if waiting:
            channels.append(bus.queue_channel(chat.service_id))
        async with bus.hub().listen(channels) as woken:
            while True:
                woken.clear()  # before reading: a change during the read wakes us again
                retry = REREAD_SECONDS
                try:
                    messages, state = await read(chat.pk, after, viewer)
                except OperationalError:  # the database is busy: try again within a second
                    messages, state, retry = [], last_state or {}, 1.0

                for m in messages:
                    after = m["id"]
                    yield _event("message", m, after)
                if state and state != last_state:
                    last_state = state
                    yield _event("state", state)
                remaining = deadline - loop.time()
                if state.get("status") == Chat.Status.ENDED or remaining <= 0:
                    return
                if state and (state.get("status") == Chat.Status.WAITING) != waiting:
                    waiting = not waiting
                    break  # listen again on the channels that now matter (then read again)
                if waiting:
                    await asyncio.sleep(min(WAITING_READ_GAP, remaining))
                reread_at = min(loop.time() + retry, deadline)
                while not woken.is_set() and loop.time() < reread_at:
                    try:
                        await asyncio.wait_for(
                            woken.wait(),
                            max(0.0, min(reread_at - loop.time(), bus.KEEPALIVE_SECONDS)),
                        )
                    except TimeoutError:
                        yield ": still here\n\n"


def _sync_events(chat: Chat, after: int, viewer: str) -> Iterator[str]:
    deadline = time.monotonic() + stream_lifetime()
    last_state: dict[str, Any] | None = None
    yield "retry: 1000\n\n"
    beat = time.monotonic()
    while True:
        try:
            messages, state = snapshot(chat.pk, after, viewer)
        except OperationalError:  # the database is busy (a writer holds it): try again shortly
            time.sleep(SYNC_POLL_SECONDS)
            continue
        except Exception:  # anything else ends this stream; the browser reconnects
            log.exception("chat stream stopped", extra={"event": "chat_stream_error"})
            return
        for m in messages:
            after = m["id"]
            yield _event("message", m, after)
        if state != last_state:
            last_state = state
            yield _event("state", state)
        if state["status"] == Chat.Status.ENDED or time.monotonic() > deadline:
            return
        if time.monotonic() - beat > 1:
            # Writing is how a thread learns its browser has gone (the write fails, the stream ends).
            beat = time.monotonic()
            yield ": still here\n\n"
        time.sleep(SYNC_POLL_SECONDS)


def last_seen_id(request: HttpRequest) -> int:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after") or "0"
    return int(raw) if raw.isdigit() else 0


def event_stream(request: HttpRequest, chat: Chat, viewer: str) -> StreamingHttpResponse:
    after = last_seen_id(request)
    content: Any
    if isinstance(request, ASGIRequest):
        content = _async_events(chat, after, viewer)
    else:
        content = _sync_events(chat, after, viewer)
    response = StreamingHttpResponse(content, content_type="text/event-stream")
    response["X-Accel-Buffering"] = "no"  # nginx: pass events on as they come
    return response


# The adviser's desk: how many are waiting, as it changes --------------------------------------


def queue_state(service_pk: int) -> dict[str, Any]:
    waiting = (
        Chat.objects.system("queue length for the advisers' desk")
        .filter(service_id=service_pk, status=Chat.Status.WAITING)
        .count()
    )
    return {"waiting": waiting}


def _queue_state_in_pool(service_pk: int) -> dict[str, Any]:
    close_old_connections()
    return queue_state(service_pk)


async def _async_queue(service_pk: int) -> AsyncIterator[str]:
    read = sync_to_async(_queue_state_in_pool, thread_sensitive=False)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + stream_lifetime()
    last: dict[str, Any] | None = None
    async with bus.hub().listen([bus.queue_channel(service_pk)]) as woken:
        yield "retry: 1000\n\n"
        while True:
            woken.clear()
            try:
                state = await read(service_pk)
            except OperationalError:
                state = last or {}
            if state and state != last:
                last = state
                yield _event("state", state)
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            try:
                await asyncio.wait_for(woken.wait(), min(remaining, bus.KEEPALIVE_SECONDS))
            except TimeoutError:
                yield ": still here\n\n"


def _sync_queue(service_pk: int) -> Iterator[str]:
    """Under a WSGI server the desk's stream answers once; the browser asks again a second later
    (``retry``), which is as good as a stream for a queue and holds no thread."""
    yield "retry: 1000\n\n"
    yield _event("state", queue_state(service_pk))


def queue_stream(request: HttpRequest, service_pk: int) -> StreamingHttpResponse:
    content: Any
    if isinstance(request, ASGIRequest):
        content = _async_queue(service_pk)
    else:
        content = _sync_queue(service_pk)
    response = StreamingHttpResponse(content, content_type="text/event-stream")
    response["X-Accel-Buffering"] = "no"
    return response
