"""The chat's event streams under `harbour serve`: what wakes them, and when they end.

At 100 concurrent chats, streams that woke for every change to the queue after their own chat was
answered, and streams that all reconnected in the same second, made message delivery slow
(benchmarks/chat.py); these tests hold the fixes in place."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from harbour.chat import bus, stream
from harbour.chat.models import Chat


def test_streams_end_at_spread_out_times_so_they_do_not_all_reconnect_together():
    lifetimes = [stream.stream_lifetime() for _ in range(500)]
    assert min(lifetimes) >= stream.STREAM_SECONDS * 2 / 3
    assert max(lifetimes) <= stream.STREAM_SECONDS * 4 / 3
    assert max(lifetimes) - min(lifetimes) > stream.STREAM_SECONDS / 2


def run_in_own_loop(make: Callable[[], Awaitable[Any]]) -> Any:
    """Run a coroutine on an event loop of its own thread: an earlier test in the same process (a
    browser test's Playwright) may have left this thread's loop running."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()  # type: ignore[arg-type]


def channels_heard_by_a_stream_of(chat: Chat) -> set[str]:
    async def run() -> set[str]:
        events = stream._async_events(chat, 0, "visitor")
        first = await events.__anext__()  # the retry line, before listening starts
        assert first.startswith("retry:")
        await events.__anext__()  # the chat's first read: its state
        heard = set(bus.hub().listeners)
        await events.aclose()
        return heard

    return run_in_own_loop(run)


@pytest.mark.django_db(transaction=True)
def test_a_waiting_visitors_stream_listens_to_the_queue_for_its_place(service):
    chat = Chat.unscoped.create(service=service, alias="Sam")
    heard = channels_heard_by_a_stream_of(chat)
    assert heard == {bus.chat_channel(chat.pk), bus.queue_channel(service.pk)}


@pytest.mark.django_db(transaction=True)
def test_an_answered_chats_stream_no_longer_wakes_for_the_rest_of_the_queue(service):
    chat = Chat.unscoped.create(service=service, alias="Sam", status=Chat.Status.ACTIVE)
    heard = channels_heard_by_a_stream_of(chat)
    assert heard == {bus.chat_channel(chat.pk)}


@pytest.mark.django_db(transaction=True)
def test_a_stream_stops_listening_to_the_queue_once_its_chat_is_answered(service):
    chat = Chat.unscoped.create(service=service, alias="Sam")

    async def run() -> tuple[set[str], set[str]]:
        events = stream._async_events(chat, 0, "visitor")
        await events.__anext__()
        await events.__anext__()  # state: waiting, first in the queue
        before = set(bus.hub().listeners)
        await asyncio.to_thread(
            lambda: Chat.unscoped.filter(pk=chat.pk).update(status=Chat.Status.ACTIVE)
        )
        bus.hub().wake(bus.chat_channel(chat.pk))
        await events.__anext__()  # the new state: answered
        # Resumed, the stream changes channels and reads once more, then waits for a wake-up.
        pending = asyncio.ensure_future(events.__anext__())
        for _ in range(200):
            if bus.queue_channel(service.pk) not in bus.hub().listeners:
                break
            await asyncio.wait([pending], timeout=0.01)
        after = set(bus.hub().listeners)
        pending.cancel()
        await asyncio.gather(pending, return_exceptions=True)
        return before, after

    before, after = run_in_own_loop(run)
    assert bus.queue_channel(service.pk) in before
    assert after == {bus.chat_channel(chat.pk)}
