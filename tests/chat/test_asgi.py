"""harbour serve's ASGI application: only the chat's event streams go to Django's asynchronous
handler; every other request runs as before in a thread pool; uvicorn leaves the client address to
Harbour."""

from __future__ import annotations

import os

import pytest
from django.core.management import load_command_class

from harbour.asgi import STREAM_PATH
from harbour.core.management.commands.serve import HarbourWorker, gunicorn_config


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


def test_harbour_serve_keeps_idle_connections_longer_than_a_reverse_proxy_would():
    """gunicorn's default of 2 s closed connections that clients were about to reuse: requests
    with no response at all under load (a 502 behind a proxy with a 60 s idle timeout)."""
    config = gunicorn_config("127.0.0.1:8000", workers=4, threads=4)
    assert config["keepalive"] > 60
    assert config["workers"] == 4 and config["threads"] == 4


def test_harbour_serve_runs_two_processes_per_core_by_default(settings):
    command = load_command_class("harbour.core", "serve")
    parser = command.create_parser("harbour", "serve")
    assert parser.parse_args([]).workers == settings.HARBOUR_WORKERS
    assert 2 * (os.cpu_count() or 1) == settings.HARBOUR_WORKERS
