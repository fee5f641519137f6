"""Two ``harbour serve`` processes on loopback, one database: a message sent through one reaches a
stream held open by the other, with the embedded database bus and with Redis."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from harbour.testing.chatserver import Http, free_port, prepare, serving

VISITOR = "/public/chat/loopback/"
STREAM = "/public/chat/loopback/conversation/events/"


@pytest.fixture
def redis_url(tmp_path) -> Iterator[str]:
    """A private redis-server on loopback (installed by `make setup` with apt), no persistence."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: run `make setup` (it installs Debian's redis-server)"
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    ready = threading.Event()

    def watch(stream) -> None:
        for line in stream:  # wait for it to say so, no sleeping
            if "Ready to accept connections" in line:
                ready.set()
        # Drained to the end so that redis-server never blocks writing its log.

    threading.Thread(target=watch, args=(process.stdout,), daemon=True).start()
    if not ready.wait(timeout=30):
        process.kill()
        process.wait(timeout=10)
        pytest.fail(
            f"redis-server did not say it was ready within 30 s (exit code {process.poll()})"
        )
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def run(coroutine) -> None:
    """In a thread of its own: a browser test earlier in this process leaves an event loop here."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


async def _first(stream, wanted, timeout: float = 15.0):
    async def look():
        async for name, data in stream:
            if wanted(name, data):
                return data
        raise AssertionError("the stream ended first")

    return await asyncio.wait_for(look(), timeout)


async def _conversation(port_a: int, port_b: int, adviser_cookie: str) -> None:
    # The advisers' desk on B hears of a visitor who joins the queue through A.
    desk = Http(port_b, cookies={"harbour_session": adviser_cookie}).events("/chat/queue/events/")
    await _first(desk, lambda n, d: n == "state" and d["waiting"] == 0)
    visitor = Http(port_a, address="198.51.100.7")
    await visitor.request("GET", VISITOR)
    status, headers, _ = await visitor.request("POST", VISITOR, {"alias": "Sam"})
    assert status == 302, headers
    await _first(desk, lambda n, d: n == "state" and d["waiting"] == 1)
    await desk.aclose()

    adviser = Http(port_b, cookies={"harbour_session": adviser_cookie})
    await adviser.request("GET", "/chat/")
    status, headers, _ = await adviser.request("POST", "/chat/take-next/", {})
    assert status == 302 and headers["location"].startswith("/chat/"), headers
    chat_path = headers["location"]

    # The visitor's stream is held by process B; the adviser writes through process A.
    visitor_on_b = Http(port_b, cookies=visitor.cookies).events(STREAM)
    await _first(visitor_on_b, lambda n, d: n == "state" and d["status"] == "active")
    adviser_on_a = Http(port_a, cookies=adviser.cookies)
    adviser_on_a.token = adviser.token
    status, _, _ = await adviser_on_a.request("POST", chat_path, {"text": "Hello from A"})
    assert status == 302
    message = await _first(visitor_on_b, lambda n, d: n == "message" and d["sender"] == "adviser")
    assert message["body"] == "Hello from A" and message["who"] == "Adviser"

    # And back: the visitor writes through B, the adviser's stream on A hears it.
    adviser_stream = Http(port_a, cookies=adviser.cookies).events(chat_path + "events/")
    await _first(adviser_stream, lambda n, d: n == "state")
    visitor_b = Http(port_b, cookies=visitor.cookies, address="198.51.100.7")
    await visitor_b.request("GET", "/public/chat/loopback/conversation/")
    status, _, _ = await visitor_b.request(
        "POST", "/public/chat/loopback/conversation/", {"text": "Hello from B"}
    )
    assert status == 302
    heard = await _first(adviser_stream, lambda n, d: n == "message" and d["sender"] == "visitor")
    assert heard["body"] == "Hello from B"
    await visitor_on_b.aclose()
    await adviser_stream.aclose()


def test_two_server_processes_share_a_chat_through_the_database_bus(tmp_path):
    [cookie] = prepare(tmp_path, advisers=1)
    port_a, port_b = free_port(), free_port()
    with serving(tmp_path, port_a), serving(tmp_path, port_b):
        run(_conversation(port_a, port_b, cookie))


def test_two_server_processes_share_a_chat_through_redis(tmp_path, redis_url):
    [cookie] = prepare(tmp_path, advisers=1)
    port_a, port_b = free_port(), free_port()
    bus = {"HARBOUR_CHAT_REDIS_URL": redis_url}
    with serving(tmp_path, port_a, **bus), serving(tmp_path, port_b, **bus):
        run(_conversation(port_a, port_b, cookie))
