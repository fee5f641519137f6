"""Staff pages at demo size and at 100,000 cases, served by ``harbour serve``, against a floor.

    .venv/bin/python benchmarks/pages.py [--large 25000] [--requests 20] [--keep DIR]
    scripts/with-postgres .venv/bin/python benchmarks/pages.py      # the same on PostgreSQL
    HARBOUR_PG_KEEP=DIR/pg scripts/with-postgres .venv/bin/python benchmarks/pages.py --keep DIR
                                                  # PostgreSQL, its cluster and data kept for the next run

For each size it loads the synthetic demo (``harbour demo --cases-per-provider N``: the first 24
cases of each of the four providers fully worked, the rest bulk-written through Harbour's models,
so encryption and blind indexes are real) into a fresh database and starts ``harbour serve`` on a
loopback port (both sizes served at once), signs in as the Victim Support Kent advocate and
manager and the Kent police coordinator, and requests every staff list and page:

* at concurrency 1, each page ``--requests`` times at each size, the sizes interleaved request by
  request and each request followed by one of that size's floor page (``/public/help/``, the
  cheapest page Harbour serves), so the two sizes and the floor see the same machine state;
* at concurrency 10, ten threads cycling through every page ``--requests`` times each, counting
  errors (any status other than 200).

It prints p50 and p95 per page for both sizes side by side, each size's ratio to its own floor,
and the large size's ratio to the demo size. Targets (issue #8): at concurrency 1 every page's p50
within 10 times the floor at 100,000 cases and within 1.5 times its own demo-size p50; no errors at
concurrency 10. With PostgreSQL (``DATABASE_URL`` set) each size gets a fresh database in the same
cluster. Loopback only; bounded in count; stops by itself.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HARBOUR = str(ROOT / ".venv" / "bin" / "harbour")
sys.path.insert(0, str(ROOT / "src"))

from harbour.demo import data  # noqa: E402  (pure module: no Django set-up needed)

FLOOR = "/public/help/"
SEED = data.DEFAULT_SEED


@dataclass
class Session:
    base: str
    opener: urllib.request.OpenerDirector
    jar: http.cookiejar.CookieJar

    def get(self, path: str) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=120) as response:
                body = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            body, status = error.read(), error.code
        return status, body, (time.perf_counter() - started) * 1000

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, bytes]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(  # noqa: S310 - loopback http only
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


def new_session(base: str) -> Session:
    jar = http.cookiejar.CookieJar()
    return Session(base, urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar)


def totp_now(username: str) -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(data.totp_key(SEED, username)).token():06d}"


def sign_in(base: str, username: str) -> Session:
    session = new_session(base)
    session.get("/accounts/sign-in/")
    status, _ = session.post(
        "/accounts/sign-in/", {"username": username, "password": data.DEMO_PASSWORD}
    )
    session.get("/accounts/sign-in/code/")
    status, body = session.post("/accounts/sign-in/code/", {"code": totp_now(username)})
    status, body, _ = session.get("/home/")
    if status != 200 or b"Sign out" not in body:
        raise SystemExit(f"could not sign in as {username} (status {status})")
    return session


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command, loopback only
        [HARBOUR, "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("harbour serve did not start") from None
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@dataclass
class Measured:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    floor: list[float] = field(default_factory=list)
    concurrent: dict[str, list[float]] = field(default_factory=dict)
    concurrent_errors: int = 0
    concurrent_floor: list[float] = field(default_factory=list)


#: The deep page of the manager's "all cases" list at 100,000 cases. The demo's list has two
#: pages, the second of a few rows; its figure for this row is its first page, a full page of 25
#: rows as page 200 is, so that "x demo" compares a full page with a full page.
DEEP_PAGE = 200
DEEP_LABEL = f"cases: all, page {DEEP_PAGE} (manager)*"


def pages(
    base: str, deep: int = DEEP_PAGE
) -> tuple[dict[str, Session], list[tuple[str, str, str]]]:
    """Sign in and find the ids the pages need; returns the sessions and (label, who, path)."""
    who = {
        "advocate": sign_in(base, "km-advocate"),
        "manager": sign_in(base, "km-manager"),
        "police": sign_in(base, "kent-police"),
    }
    _, listing, _ = who["advocate"].get("/cases/")
    case = re.search(rb'href="/cases/([0-9a-f-]{36})/"', listing)
    _, manager_list, _ = who["manager"].get("/cases/")
    advocate = re.search(rb'<option value="(\d+)"', manager_list)
    if not case or not advocate:
        raise SystemExit("the demo data has no case or advocate to measure")
    c = f"/cases/{case.group(1).decode()}"
    a = advocate.group(1).decode()
    return who, [
        ("home (advocate)", "advocate", "/home/"),
        ("home (manager)", "manager", "/home/"),
        ("cases: mine", "advocate", "/cases/"),
        ("cases: waiting (advocate)", "advocate", "/cases/?show=unallocated"),
        ("cases: open (advocate)", "advocate", "/cases/?show=open"),
        ("cases: closed (advocate)", "advocate", "/cases/?show=closed"),
        ("cases: all (advocate)", "advocate", "/cases/?show=all"),
        ("cases: open (manager)", "manager", "/cases/"),
        ("cases: waiting (manager)", "manager", "/cases/?show=unallocated"),
        ("cases: closed (manager)", "manager", "/cases/?show=closed"),
        ("cases: all (manager)", "manager", "/cases/?show=all"),
        (DEEP_LABEL, "manager", f"/cases/?show=all&page={deep}"),
        ("caseload of one advocate", "manager", f"/cases/?show=open&advocate={a}"),
        ("case page", "advocate", f"{c}/"),
        ("case: contact log", "advocate", f"{c}/contacts/"),
        ("case: details form", "advocate", f"{c}/details/"),
        ("case: safety plan", "advocate", f"{c}/safety-plan/"),
        ("case: access log", "manager", f"{c}/access-log/"),
        ("referrals queue", "advocate", "/referrals/"),
        ("referrals closed", "advocate", "/referrals/?show=closed"),
        ("referrals sent (police)", "police", "/referrals/sent/"),
        ("emergency access reviews", "manager", "/cases/emergency-access/reviews/"),
    ]


def measure(bases: dict[str, str], requests: int) -> dict[str, Measured]:
    """Every page at each size, the sizes interleaved request by request (demo, its floor, large,
    its floor, ...) so that both see the same machine at the same minute: on a shared machine the
    speed drifts by a fifth from one minute to the next, which measuring one size after the other
    would count as a difference between the sizes. Then concurrency 10, one size after the
    other."""
    signed = {tag: pages(base, 1 if tag == "demo" else DEEP_PAGE) for tag, base in bases.items()}
    floors = {tag: new_session(base) for tag, base in bases.items()}
    results = {tag: Measured() for tag in bases}
    for who, wanted in signed.values():  # warm every page once
        for _label, role, path in wanted:
            who[role].get(path)
    labels = [label for label, _role, _path in next(iter(signed.values()))[1]]
    for index, label in enumerate(labels):
        for _ in range(requests):
            for tag, (who, wanted) in signed.items():
                _label, role, path = wanted[index]
                result = results[tag]
                status, _, ms = who[role].get(path)
                result.latencies.setdefault(label, []).append(ms)
                if status != 200:
                    result.errors[label] = result.errors.get(label, 0) + 1
                result.floor.append(floors[tag].get(FLOOR)[2])
    for tag, (who, wanted) in signed.items():
        concurrently(who, wanted, floors[tag], requests, results[tag])
    return results


def concurrently(
    who: dict[str, Session],
    wanted: list[tuple[str, str, str]],
    floor_session: Session,
    requests: int,
    result: Measured,
) -> None:
    lock = threading.Lock()

    def worker(offset: int) -> None:
        order = wanted[offset:] + wanted[:offset]
        for _ in range(requests):
            for label, role, path in order:
                status, _, ms = who[role].get(path)
                _, _, floor_ms = floor_session.get(FLOOR)
                with lock:
                    result.concurrent.setdefault(label, []).append(ms)
                    result.concurrent_floor.append(floor_ms)
                    if status != 200:
                        result.concurrent_errors += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def pct(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def load(env: dict[str, str], per_provider: int) -> float:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [HARBOUR, "demo", "--cases-per-provider", str(per_provider)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


@contextmanager
def database(tag: str, keep: Path | None) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HARBOUR_")}
    env["HARBOUR_ENV"] = "development"
    data_dir = (keep / tag) if keep else Path(tempfile.mkdtemp(prefix=f"harbour-bench-{tag}-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    env["HARBOUR_DATA_DIR"] = str(data_dir)
    url = os.environ.get("DATABASE_URL")
    if url:  # a database per size in the same cluster (kept and reused with --keep)
        name = f"bench_{tag}" if keep else f"bench_{tag}_{os.getpid()}"
        exists = subprocess.run(  # noqa: S603
            ["psql", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S607, S608 - our own name
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not exists:
            subprocess.run(["createdb", name], check=True)  # noqa: S603, S607
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    try:
        yield env
    finally:
        if url and not keep:
            subprocess.run(["dropdb", "--if-exists", name], check=False)  # noqa: S603, S607
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", type=int, default=25000, help="cases per provider (4 providers)")
    parser.add_argument("--requests", type=int, default=20, help="requests per page and size")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the data directories here")
    args = parser.parse_args()
    backend = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    sizes = [("demo", 24), ("large", args.large)]
    load_times: dict[str, float] = {}
    with ExitStack() as stack:
        bases: dict[str, str] = {}
        for tag, per_provider in sizes:
            env = stack.enter_context(database(tag, args.keep))
            marker = Path(env["HARBOUR_DATA_DIR"]) / f"loaded-{backend.lower()}"
            sqlite_made = backend == "SQLite" and (marker.parent / "harbour.sqlite3").exists()
            reuse = bool(args.keep) and (marker.exists() or sqlite_made)
            load_times[tag] = 0.0 if reuse else load(env, per_provider)
            if args.keep:
                marker.write_text(f"{per_provider} cases per provider\n")
            print(
                f"{tag}: {4 * per_provider:,} cases loaded in {load_times[tag]:.0f} s", flush=True
            )
            bases[tag] = stack.enter_context(served(env))
        results = measure(bases, args.requests)
    demo, large = results["demo"], results["large"]
    n_large = 4 * args.large
    header = (
        f"{'page':34} {'demo p50':>9} {'p95':>7} {'x floor':>8} │ "
        f"{f'{n_large:,} p50':>13} {'p95':>7} {'x floor':>8} {'x demo':>7}  c=10 p95"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    floors = {tag: statistics.median(r.floor) for tag, r in results.items()}
    worst_floor = worst_demo = 0.0
    for label in demo.latencies:
        d, big = demo.latencies[label], large.latencies[label]
        d50, b50 = statistics.median(d), statistics.median(big)
        worst_floor = max(worst_floor, b50 / floors["large"])
        worst_demo = max(worst_demo, b50 / d50)
        print(
            f"{label:34} {d50:9.1f} {pct(d, 95):7.1f} {d50 / floors['demo']:7.1f}x │ "
            f"{b50:13.1f} {pct(big, 95):7.1f} {b50 / floors['large']:7.1f}x {b50 / d50:6.2f}x "
            f"{pct(large.concurrent[label], 95):8.1f}"
        )
    for tag in ("demo", "large"):
        r = results[tag]
        print(
            f"{'floor ' + FLOOR + ' (' + tag + ')':34} p50 {floors[tag]:.1f} ms; "
            f"at c=10 p50 {statistics.median(r.concurrent_floor):.1f} "
            f"p95 {pct(r.concurrent_floor, 95):.1f} ms"
        )
    errors = sum(sum(r.errors.values()) + r.concurrent_errors for r in results.values())
    print(f"* demo size: the list's first page (a full page; the demo has no page {DEEP_PAGE})")
    print(
        f"\nworst p50 at {n_large:,} cases: {worst_floor:.1f}x the floor (target 10x), "
        f"{worst_demo:.2f}x its demo-size figure (target 1.5x); errors: {errors} (target 0)"
    )
    print(
        f"({backend}, harbour serve with {2 * (os.cpu_count() or 1)} workers x 4 threads, {args.requests} requests per page, "
        f"load {load_times['large']:.0f} s for {n_large:,} cases, Python {sys.version.split()[0]})"
    )


if __name__ == "__main__":
    main()
