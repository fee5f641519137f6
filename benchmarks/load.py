"""Load: 50 concurrent staff (locust, headless) against ``harbour serve`` on a loaded database.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/load.py [--cases-per-provider 25000] [--users 50] [--seconds 120]
    scripts/with-postgres .venv/bin/python benchmarks/load.py        # the same on PostgreSQL

Loads the synthetic demo at the size asked (``--cases-per-provider 25000``: 100,000 cases with
their contacts, incidents and audit; 24: the demo), starts ``harbour serve`` on loopback, signs in
an advocate, a manager, a police coordinator and a commissioner's office, and runs
benchmarks/locustfile.py headless: advocates browsing caseloads and cases and logging contacts and
incidents, managers on their lists and the access log, the police on referrals sent, the
commissioner's office reading its dashboard now and then, and everyone also asking for the floor
page (``/public/help/``, the cheapest page Harbour serves) in the same run. Bounded in users, time
and loopback only.

Prints p50/p95/p99 per page, throughput and errors, each page's p95 against the floor's p95, and
writes the figures as JSON (``--json FILE``) for benchmarks/run_all.py. Targets (issue #18): 0
errors; case pages' p95 no more than 3 times the floor's.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import HARBOUR, ROOT, database, load, served, sign_in  # noqa: E402

LOCUST = str(ROOT / ".venv" / "bin" / "locust")
FLOOR = "floor: public help page"


def sessions(base: str) -> dict[str, dict[str, object]]:
    who = {
        "advocate": sign_in(base, "km-advocate"),
        "manager": sign_in(base, "km-manager"),
        "police": sign_in(base, "kent-police"),
        "commissioner": sign_in(base, "kent-pcc"),
    }
    _, listing, _ = who["advocate"].get("/cases/")
    case = re.search(rb'href="(/cases/[0-9a-f-]{36})/"', listing)
    _, manager_list, _ = who["manager"].get("/cases/")
    advocate = re.search(rb'<option value="(\d+)"', manager_list)
    if not case or not advocate:
        raise SystemExit("the demo data has no case or advocate to load")
    return {
        role: {
            "cookies": {c.name: c.value for c in s.jar},
            "case": case.group(1).decode(),
            "advocate": advocate.group(1).decode(),
        }
        for role, s in who.items()
    }


def run_locust(base: str, users: int, seconds: int, env: dict[str, str]) -> list[dict[str, str]]:
    with tempfile.TemporaryDirectory() as scratch:
        prefix = str(Path(scratch) / "load")
        subprocess.run(  # noqa: S603 - our own virtualenv's locust, loopback only
            [
                LOCUST, "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
                "--host", base, "--users", str(users), "--spawn-rate", str(max(1, users // 5)),
                "--run-time", f"{seconds}s", "--stop-timeout", "10", "--csv", prefix,
                "--only-summary", "--loglevel", "WARNING",
            ],
            env=env,
            check=False,  # locust exits 1 when any request failed: the table shows it
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        with open(f"{prefix}_stats.csv", newline="") as handle:
            return list(csv.DictReader(handle))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases-per-provider", type=int, default=25000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    backend = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    n = 4 * args.cases_per_provider
    with database(f"load{args.cases_per_provider}", None) as env:
        loaded = load(env, args.cases_per_provider)
        print(f"{n:,} cases loaded in {loaded:.0f} s ({backend})", flush=True)
        with served(env) as base:
            started = time.monotonic()
            rows = run_locust(
                base,
                args.users,
                args.seconds,
                {**os.environ, "HARBOUR_LOAD_SESSIONS": json.dumps(sessions(base))},
            )
            took = time.monotonic() - started
    by_name = {r["Name"]: r for r in rows if r["Type"] in ("GET", "POST")}
    total = next(r for r in rows if r["Name"] == "Aggregated")
    floor95 = float(by_name[FLOOR]["95%"])
    header = (
        f"{'page':34} {'n':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'x floor p95':>11} {'errors':>6}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    figures = []
    for name, r in sorted(by_name.items()):
        p95 = float(r["95%"])
        figures.append(
            {
                "page": name,
                "requests": int(r["Request Count"]),
                "p50": float(r["50%"]),
                "p95": p95,
                "p99": float(r["99%"]),
                "x_floor_p95": p95 / floor95 if floor95 else 0.0,
                "errors": int(r["Failure Count"]),
            }
        )
        f = figures[-1]
        print(
            f"{name:34} {f['requests']:6} {f['p50']:6.0f} {f['p95']:6.0f} {f['p99']:6.0f} "
            f"{f['x_floor_p95']:10.1f}x {f['errors']:6}"
        )
    errors = int(total["Failure Count"])
    print(
        f"\n{args.users} users for {args.seconds} s: {total['Requests/s'][:6]} requests/s, "
        f"{total['Request Count']} requests, {errors} errors (target 0); ms; "
        f"{backend}, {n:,} cases, harbour serve ({2 * (os.cpu_count() or 1)} workers x 4 threads), wall {took:.0f} s"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "backend": backend,
                    "cases": n,
                    "users": args.users,
                    "seconds": args.seconds,
                    "requests_per_s": float(total["Requests/s"]),
                    "errors": errors,
                    "floor_p95": floor95,
                    "pages": figures,
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    _ = HARBOUR
    main()
