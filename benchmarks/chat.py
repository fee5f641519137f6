"""Live chat: 100 concurrent simulated chats on loopback through a real ``harbour serve``.

    .venv/bin/python benchmarks/chat.py [--chats 100] [--messages 5] [--workers 4] [--redis]

Sets up a fresh SQLite database (``harbour.testing.chatserver.prepare``: a provider with an
always-open chat service and ten advisers taking chats), starts ``harbour serve`` with ``--workers``
processes on a loopback port, then:

1. every visitor (each from its own address, as a proxy reports it) opens the start page, starts a
   chat and opens its event stream; the advisers answer every chat and open one stream per chat
   (2 x ``--chats`` streams held open at once);
2. in every chat at once, the visitor and the adviser take turns to send ``--messages`` messages
   each, ``--pause`` seconds apart (default 5 s: each side speaks every 10 s, brisker than a real
   chat, where people read, think and type; 100 chats then send about 20 messages a second.
   ``--pause 1`` is five times that pace, and ``--pause 0`` a flood, measuring throughput); each message's **latency** is from just before its POST is sent until it arrives on the
   other side's stream (so the streams may be held by a different server process than the POST);
3. **errors**: any POST answered with anything but a redirect, a stream that fails, or a message
   that does not arrive within 10 seconds.

The floor, measured in the same run: the POST's own round trip (request sent to redirect read),
which every delivered message includes. Target (issue #16): 0 errors and p95 latency under 200 ms
on this machine class. With ``--redis`` a private redis-server on loopback is the bus (it must be
installed: ``make setup``). Bounded: the whole run stops after ``--seconds`` (default 180).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from harbour.testing.chatserver import Http, free_port, prepare, serving  # noqa: E402

SLUG = "loopback"
ADVISERS = 10
ARRIVAL_TIMEOUT = 10.0


class Run:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.posts: list[float] = []
        self.errors: list[str] = []
        self.waiting: dict[str, float] = {}  # message text -> when its POST started
        self.arrived: dict[str, asyncio.Event] = {}

    def expect(self, text: str) -> asyncio.Event:
        self.waiting[text] = time.perf_counter()
        event = self.arrived[text] = asyncio.Event()
        return event

    def heard(self, text: str) -> None:
        started = self.waiting.pop(text, None)
        if started is not None:
            self.latencies.append((time.perf_counter() - started) * 1000)
            self.arrived[text].set()


async def listen(run: Run, client: Http, path: str, ready: asyncio.Event, stop: asyncio.Event):
    """Hold one stream open (reconnecting after the server ends it), noting each message heard."""
    after = 0
    while not stop.is_set():
        try:
            async for name, data in client.events(f"{path}?after={after}"):
                if name == "state":
                    ready.set()
                elif name == "message":
                    after = max(after, int(data["id"]))
                    run.heard(data["body"])
                if stop.is_set():
                    return
        except (OSError, RuntimeError, asyncio.IncompleteReadError) as error:
            if not stop.is_set():
                run.errors.append(f"stream {path}: {error}")
                return


async def post(run: Run, client: Http, path: str, text: str) -> None:
    arrived = run.expect(text)
    started = time.perf_counter()
    try:
        status, _, _ = await client.request("POST", path, {"text": text})
    except OSError as error:
        run.errors.append(f"POST {path}: {error}")
        return
    run.posts.append((time.perf_counter() - started) * 1000)
    if status != 302:
        run.errors.append(f"POST {path}: {status}")
        return
    try:
        await asyncio.wait_for(arrived.wait(), ARRIVAL_TIMEOUT)
    except TimeoutError:
        run.errors.append(f"{text!r} did not arrive within {ARRIVAL_TIMEOUT:.0f} s")


async def scenario(port: int, cookies: list[str], chats: int, messages: int, pause: float) -> Run:
    run = Run()
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    visitors = [Http(port, address=f"10.{n // 250}.{n % 250}.{7}") for n in range(chats)]

    async def join(visitor: Http, n: int) -> None:
        await visitor.request("GET", f"/public/chat/{SLUG}/")
        status, headers, _ = await visitor.request(
            "POST", f"/public/chat/{SLUG}/", {"alias": f"V{n}"}
        )
        if status != 302:
            run.errors.append(f"start chat {n}: {status} {headers.get('location', '')}")
        await visitor.request("GET", f"/public/chat/{SLUG}/conversation/")

    await asyncio.gather(*(join(v, n) for n, v in enumerate(visitors)))
    visitor_ready = [asyncio.Event() for _ in visitors]
    for visitor, ready in zip(visitors, visitor_ready, strict=True):
        path = f"/public/chat/{SLUG}/conversation/events/"
        tasks.append(asyncio.create_task(listen(run, visitor, path, ready, stop)))

    advisers = [Http(port, cookies={"harbour_session": c}) for c in cookies]
    for adviser in advisers:
        await adviser.request("GET", "/chat/")
    taken: list[tuple[Http, str]] = []
    for n in range(chats):
        adviser = advisers[n % len(advisers)]
        status, headers, _ = await adviser.request("POST", "/chat/take-next/", {})
        if status != 302 or not headers.get("location", "").startswith("/chat/"):
            run.errors.append(f"take chat {n}: {status}")
            continue
        taken.append((adviser, headers["location"]))
    adviser_ready = [asyncio.Event() for _ in taken]
    for (adviser, path), ready in zip(taken, adviser_ready, strict=True):
        listener = Http(port, cookies=adviser.cookies)
        tasks.append(asyncio.create_task(listen(run, listener, path + "events/", ready, stop)))
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in visitor_ready + adviser_ready)), 60)

    # Which visitor is in which chat: the advisers took them oldest first, in order.
    async def converse(n: int, visitor: Http, adviser: Http, path: str) -> None:
        visitor_page = f"/public/chat/{SLUG}/conversation/"
        await asyncio.sleep(random.uniform(0, pause))  # chats do not all start on the same beat
        for i in range(messages):
            await post(run, visitor, visitor_page, f"chat {n} visitor {i} {time.perf_counter()}")
            await asyncio.sleep(pause)
            await post(run, adviser, path, f"chat {n} adviser {i} {time.perf_counter()}")
            await asyncio.sleep(pause)

    await asyncio.gather(
        *(converse(n, visitors[n], adviser, path) for n, (adviser, path) in enumerate(taken))
    )
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return run


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed (make setup installs it)")
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
            str(workdir),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "Ready to accept connections" in line:
            break
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def pct(values: list[float], p: int) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--messages", type=int, default=5, help="per side, per chat")
    parser.add_argument("--pause", type=float, default=5.0, help="seconds between turns")
    parser.add_argument("--workers", type=int, default=4, help="as harbour serve on 2 cores")
    parser.add_argument("--redis", action="store_true", help="Redis as the bus")
    parser.add_argument("--seconds", type=float, default=180)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="harbour-chat-bench-") as tmp:
        data = Path(tmp)
        started = time.perf_counter()
        cookies = prepare(data, advisers=ADVISERS)
        setup = time.perf_counter() - started
        port = free_port()
        with contextmanager(lambda: (yield ""))() if not args.redis else redis_server(data) as url:
            extra = {"HARBOUR_CHAT_REDIS_URL": url} if url else {}
            with serving(data, port, workers=args.workers, **extra):
                began = time.perf_counter()
                run = asyncio.run(
                    asyncio.wait_for(
                        scenario(port, cookies, args.chats, args.messages, args.pause), args.seconds
                    )
                )
                took = time.perf_counter() - began

    me = resource.getrusage(resource.RUSAGE_SELF)
    servers = resource.getrusage(resource.RUSAGE_CHILDREN)  # harbour serve and its workers
    bus = "Redis" if args.redis else "database (SQLite)"
    sent = args.chats * args.messages * 2
    print(
        f"chat: {args.chats} concurrent chats, {args.messages} messages per side each ({sent} in "
        f"all, {args.pause:g} s apart), {2 * args.chats} streams open, {args.workers} server "
        f"processes, bus: {bus} (setup {setup:.1f} s, run {took:.1f} s)\n"
    )
    print(f"{'measure':<44}{'p50':>9}{'p95':>9}{'max':>9}{'n':>7}  unit")
    print("-" * 90)
    for label, values in (
        ("message latency, send to the other's stream", run.latencies),
        ("floor: the POST's own round trip", run.posts),
    ):
        print(
            f"{label:<44}{pct(values, 50):>9.1f}{pct(values, 95):>9.1f}"
            f"{max(values, default=float('nan')):>9.1f}{len(values):>7}  ms"
        )
    print(
        f"\nCPU time: server processes {servers.ru_utime + servers.ru_stime:.1f} s, "
        f"this client {me.ru_utime + me.ru_stime:.1f} s, over {took:.1f} s on "
        f"{os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f} at the end)"
    )
    print(f"errors: {len(run.errors)}")
    for error in run.errors[:10]:
        print(f"  {error}")
    ratio = pct(run.latencies, 95) / pct(run.posts, 95) if run.posts else float("nan")
    print(f"p95 latency / p95 POST round trip: x{ratio:.2f}")
    target = not run.errors and pct(run.latencies, 95) < 200
    print(f"target (0 errors, p95 < 200 ms): {'met' if target else 'NOT met'}")
    sys.exit(0 if target else 1)


if __name__ == "__main__":
    main()
