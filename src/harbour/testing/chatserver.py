"""A real ``harbour serve`` on loopback for the live chat's multi-process test and benchmark.

``prepare(data_dir, advisers)`` migrates a fresh SQLite database in ``data_dir`` (in a subprocess, so
the caller's own Django settings are untouched), adds a provider with an always-open chat service
and ``advisers`` advocates taking chats, and returns their verified session cookies.
``serving(data_dir, port)`` runs ``harbour serve`` there until the block ends. ``Http`` is a small
asyncio HTTP/1.1 client (cookies, CSRF tokens, server-sent events) with no dependency.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HARBOUR = str(Path(sys.executable).with_name("harbour"))


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HARBOUR_", "DATABASE_URL"))}
    env.update(
        HARBOUR_ENV="test",
        HARBOUR_DATA_DIR=str(data_dir),
        HARBOUR_LOG_LEVEL="WARNING",
        # Simulated visitors each come from their own address, as a proxy would report it.
        HARBOUR_TRUSTED_PROXIES="1",
    )
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(data_dir: Path, advisers: int = 1, **extra: str) -> list[str]:
    """Set up the database; the advisers' session cookies, in order."""
    out = subprocess.run(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", "harbour.testing.chatserver", "prepare", str(advisers)],
        env=environment(data_dir, **extra),
        check=True,
        capture_output=True,
        text=True,
    )
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def _prepare_here(advisers: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
    django.setup()
    import time

    from django.core.management import call_command
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from harbour.accounts.middleware import SESSION_SEEN, SESSION_STARTED
    from harbour.accounts.models import Organisation, User
    from harbour.chat import services
    from harbour.chat.models import ChatService

    call_command("migrate", interactive=False, verbosity=0)
    org = Organisation.objects.create(name="Loopback Advocacy", kind="provider")
    service = ChatService.objects.create(
        organisation=org,
        slug="loopback",
        opening_hours={str(d): [["00:00", "23:59:59.999999"]] for d in range(7)},
        max_chats_per_adviser=1000,
    )
    cookies = []
    for n in range(advisers):
        user = User.objects.create(
            username=f"adviser{n}", organisation=org, role="advocate", full_name=f"Adviser {n}"
        )
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        from harbour.accounts.backends import PATH as STAFF_BACKEND

        client = Client()
        client.force_login(user, backend=STAFF_BACKEND)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[SESSION_STARTED] = session[SESSION_SEEN] = time.time()
        session.save()
        services.set_available(user, service, available=True)
        cookies.append(session.session_key)
    print(json.dumps(cookies))


@contextmanager
def serving(data_dir: Path, port: int, *, workers: int = 1, **extra: str) -> Iterator[str]:
    """``harbour serve`` on 127.0.0.1:port until the block ends; yields its base URL."""
    process = subprocess.Popen(  # noqa: S603
        [HARBOUR, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        env=environment(data_dir, **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    started = 0
    lines: list[str] = []
    for line in process.stderr:  # blocks until each worker says it is ready (no sleeping)
        lines.append(line)
        if "Application startup complete" in line:
            started += 1
            if started == workers:
                break
    else:
        raise RuntimeError("harbour serve stopped:\n" + "".join(lines[-30:]))
    # Keep reading its error output so the pipe never fills up and blocks the server.
    threading.Thread(target=lambda: [None for _ in process.stderr or ()], daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


# A small HTTP/1.1 client -----------------------------------------------------------------------

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Http:
    """One browser: a cookie jar, the last CSRF token seen, an address it says it comes from."""

    def __init__(self, port: int, *, address: str = "", cookies: dict[str, str] | None = None):
        self.port = port
        self.address = address
        self.cookies: dict[str, str] = dict(cookies or {})
        self.token = ""

    def _head(self, method: str, path: str, body: bytes = b"", extra: str = "") -> bytes:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            "Connection: close",
            f"Origin: http://127.0.0.1:{self.port}",
            f"Referer: http://127.0.0.1:{self.port}{path}",
        ]
        if cookie:
            lines.append(f"Cookie: {cookie}")
        if self.address:
            lines.append(f"X-Forwarded-For: {self.address}")
        if body:
            lines.append("Content-Type: application/x-www-form-urlencoded")
        lines.append(f"Content-Length: {len(body)}")
        if extra:
            lines.append(extra)
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    def _cookies_from(self, headers: list[str]) -> None:
        for header in headers:
            name, _, value = header.partition(":")
            if name.lower() == "set-cookie":
                pair = value.strip().split(";", 1)[0]
                key, _, val = pair.partition("=")
                if val and val != '""':
                    self.cookies[key] = val
                else:
                    self.cookies.pop(key, None)

    async def request(
        self, method: str, path: str, form: dict[str, str] | None = None, extra: str = ""
    ) -> tuple[int, dict[str, str], str]:
        from urllib.parse import urlencode

        body = urlencode(
            {**(form or {}), **({"csrfmiddlewaretoken": self.token} if form is not None else {})}
        ).encode()
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        writer.write(self._head(method, path, body, extra))
        await writer.drain()
        raw = await reader.read()
        writer.close()
        head, _, payload = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        self._cookies_from(lines[1:])
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])
        }
        text = payload.decode("utf-8", "replace")
        if "chunked" in headers.get("transfer-encoding", ""):
            text = _unchunk(payload).decode("utf-8", "replace")
        found = TOKEN.search(text)
        if found:
            self.token = found.group(1)
        return status, headers, text

    async def events(self, path: str) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        """(event name, data) from a server-sent event stream, as they arrive."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        writer.write(self._head("GET", path, extra="Accept: text/event-stream"))
        await writer.drain()
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            if b" 200 " not in head.split(b"\r\n", 1)[0]:
                raise RuntimeError(f"stream refused: {head[:200]!r}")
            chunked = b"chunked" in head.lower()
            buffer = b""
            while True:
                if chunked:
                    size_line = await reader.readline()
                    size = int(size_line.strip() or b"0", 16)
                    if size == 0:
                        return
                    buffer += await reader.readexactly(size)
                    await reader.readexactly(2)
                else:
                    more = await reader.read(65536)
                    if not more:
                        return
                    buffer += more
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    name, data = "message", ""
                    for line in block.decode().split("\n"):
                        if line.startswith("event: "):
                            name = line[7:]
                        elif line.startswith("data: "):
                            data += line[6:]
                    if data:
                        yield name, json.loads(data)
        finally:
            writer.close()


def _unchunk(payload: bytes) -> bytes:
    out = b""
    while payload:
        size_line, _, rest = payload.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        payload = rest[size + 2 :]
    return out


if __name__ == "__main__":
    if sys.argv[1:2] == ["prepare"]:
        _prepare_here(int(sys.argv[2]))
