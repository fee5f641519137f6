"""Wake-ups between server processes: "something changed on this channel". Never any content.

A message is stored in the database first; the bus only tells every process that has a listener
on that chat (or on a service's queue) to read it. So the broker, if there is one, never holds a
word of a conversation, and a wake-up that is lost costs a few seconds (every stream re-reads the
database at least every ``KEEPALIVE_SECONDS``), never a message.

Two backends, chosen by ``HARBOUR_CHAT_REDIS_URL``:

- **database** (default, no other server): ``publish`` writes a ``ChatSignal`` row in the same
  transaction as the change; every server process runs one poller that reads the rows after the
  last one it saw, every ``HARBOUR_CHAT_POLL_MS`` milliseconds, and wakes its own listeners.
  Works with any number of processes on one machine (SQLite) or many (PostgreSQL).
- **redis**: ``publish`` sends the channel names with Redis ``PUBLISH`` once the transaction
  commits; every process holds one subscription and wakes its own listeners.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from harbour.chat.models import ChatSignal

log = logging.getLogger("harbour.chat")

REDIS_CHANNEL = "harbour:chat"
#: How long a signal row is kept (a process that was busy longer re-reads the database anyway).
SIGNAL_KEEP = timedelta(minutes=2)
#: Rows re-read behind the last one seen: on PostgreSQL ids can commit out of order.
OVERLAP = 64
KEEPALIVE_SECONDS = 5.0


def chat_channel(chat_pk: int) -> str:
    return f"chat:{chat_pk}"


def queue_channel(service_pk: int) -> str:
    return f"queue:{service_pk}"


def backend() -> str:
    return "redis" if settings.HARBOUR_CHAT_REDIS_URL else "database"


_redis_client: Any = None


def _redis() -> Any:
    global _redis_client
    if _redis_client is None:
        import redis

        _redis_client = redis.Redis.from_url(settings.HARBOUR_CHAT_REDIS_URL)
    return _redis_client


def publish(*channels: str) -> None:
    """Tell every process that these channels changed (call inside the change's transaction)."""
    if backend() == "redis":

        def send() -> None:
            try:
                _redis().publish(REDIS_CHANNEL, " ".join(channels))
            except Exception:  # the change is stored; streams re-read the database soon anyway
                log.warning("chat bus: redis publish failed", extra={"event": "chat_bus_error"})

        transaction.on_commit(send)
        return
    ChatSignal.objects.bulk_create([ChatSignal(channel=c) for c in channels])
    # Streams held by this same process need not wait for its next poll.
    transaction.on_commit(lambda: wake_here(channels))


def wake_here(channels: tuple[str, ...] | list[str]) -> None:
    """Wake this process's own listeners now (from any thread)."""
    for found in list(_hubs.values()):
        if found.loop.is_closed():
            continue
        for channel in channels:
            found.loop.call_soon_threadsafe(found.wake, channel)


def _overlap() -> int:
    """SQLite commits one writer at a time, in id order: no overlap needed there."""
    return 0 if connection.vendor == "sqlite" else OVERLAP


def _signals_after(last: int) -> list[tuple[int, str]]:
    close_old_connections()
    return list(
        ChatSignal.objects.filter(pk__gt=max(0, last - _overlap()))
        .order_by("pk")
        .values_list("pk", "channel")
    )


def _prune() -> None:
    close_old_connections()
    ChatSignal.objects.filter(at__lt=timezone.now() - SIGNAL_KEEP).delete()


def _latest_signal() -> int:
    close_old_connections()
    row = ChatSignal.objects.order_by("-pk").values_list("pk", flat=True).first()
    return int(row or 0)


class Hub:
    """One per server process (per event loop): listeners by channel, and the pump that wakes them."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.listeners: dict[str, set[asyncio.Event]] = {}
        self.pump: asyncio.Task[None] | None = None

    def wake(self, channel: str) -> None:
        for event in self.listeners.get(channel, ()):
            event.set()

    def _ensure_pump(self) -> None:
        if self.pump is None or self.pump.done():
            run = self._pump_redis if backend() == "redis" else self._pump_database
            self.pump = asyncio.get_running_loop().create_task(run())

    async def _pump_database(self) -> None:
        interval = settings.HARBOUR_CHAT_POLL_MS / 1000
        last = await sync_to_async(_latest_signal, thread_sensitive=False)()
        order: deque[int] = deque()
        seen: set[int] = set()
        since_prune = 0.0
        while self.listeners:
            try:
                rows = await sync_to_async(_signals_after, thread_sensitive=False)(last)
                for pk, channel in rows:
                    if pk in seen or pk <= last - OVERLAP:
                        continue
                    seen.add(pk)
                    order.append(pk)
                    self.wake(channel)
                    last = max(last, pk)
                while order and order[0] <= last - OVERLAP:
                    seen.discard(order.popleft())
                since_prune += interval
                if since_prune > 30:
                    since_prune = 0.0
                    await sync_to_async(_prune, thread_sensitive=False)()
            except Exception:
                log.exception("chat bus: polling failed", extra={"event": "chat_bus_error"})
                await asyncio.sleep(1)
            await asyncio.sleep(interval)
        self.pump = None

    async def _pump_redis(self) -> None:
        import redis.asyncio as aioredis

        while self.listeners:
            client = aioredis.Redis.from_url(settings.HARBOUR_CHAT_REDIS_URL)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(REDIS_CHANNEL)
                    while self.listeners:
                        message = await pubsub.get_message(
                            ignore_subscribe_messages=True, timeout=1.0
                        )
                        if message and message.get("type") == "message":
                            for channel in message["data"].decode().split():
                                self.wake(channel)
            except Exception:
                log.warning("chat bus: redis subscription lost", extra={"event": "chat_bus_error"})
                await asyncio.sleep(1)
            finally:
                await client.aclose()
        self.pump = None

    @asynccontextmanager
    async def listen(self, channels: list[str]) -> AsyncIterator[asyncio.Event]:
        event = asyncio.Event()
        for channel in channels:
            self.listeners.setdefault(channel, set()).add(event)
        self._ensure_pump()
        try:
            yield event
        finally:
            for channel in channels:
                group = self.listeners.get(channel)
                if group is not None:
                    group.discard(event)
                    if not group:
                        del self.listeners[channel]


_hubs: dict[int, Hub] = {}


def hub() -> Hub:
    """This event loop's hub (one per process under uvicorn)."""
    loop = asyncio.get_running_loop()
    found = _hubs.get(id(loop))
    if found is None:
        found = _hubs[id(loop)] = Hub(loop)
    return found
