"""harbour serve's ASGI application: only the chat's event streams go to Django's asynchronous
handler; every other request runs as before in a thread pool; uvicorn leaves the client address to
Harbour."""

from __future__ import annotations

import pytest

from harbour.asgi import STREAM_PATH
from harbour.core.management.commands.serve import HarbourWorker


@pytest.mark.parametrize(
    "path",
    [
        "/public/chat/northshire/conversation/events/",
        "/public/chat/kent_and_medway/conversation/events/",
        "/chat/0d0e1b9a-6407-49d4-b4c7-145dc1ed773f/events/",
        "/chat/queue/events/",
    ],
)
def test_the_chats_event_streams_run_on_the_event_loop(path):
    assert STREAM_PATH.match(path)


@pytest.mark.parametrize(
    "path",
    [
        "/public/chat/northshire/conversation/",
        "/chat/",
        "/chat/0d0e1b9a-6407-49d4-b4c7-145dc1ed773f/",
        "/public/self-referral/",
        "/evidence/upload/events/",
        "/chat/0d0e1b9a-6407-49d4-b4c7-145dc1ed773f/events/extra/",
    ],
)
def test_every_other_request_runs_in_the_thread_pool(path):
    assert not STREAM_PATH.match(path)


def test_uvicorn_does_not_rewrite_the_client_address_from_forwarded_headers():
    assert HarbourWorker.CONFIG_KWARGS["proxy_headers"] is False
