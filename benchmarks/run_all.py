"""Run every benchmark and write one Markdown report (machine, date, each figure beside its floor).

    .venv/bin/python benchmarks/run_all.py [--quick] [--output benchmarks/RESULTS.md]
    scripts/with-postgres .venv/bin/python benchmarks/run_all.py      # database ones on PostgreSQL

Each benchmark script prints its own table of Harbour's figure, the floor or peer measured in the
same run, and the ratio; this runs them one after another (never two at once, so they do not
measure each other), puts the load benchmark's figures (JSON) into the summary table, and copies
every other script's table under its name. ``--quick`` runs each at a small size (minutes, not
hours: for checking the harness, not for quoting). The README links the latest report.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")

#: name, full arguments, quick arguments
BENCHMARKS: list[tuple[str, list[str], list[str]]] = [
    ("audit_and_crypto.py", [], ["--quick"]),
    ("parsers.py", [], ["--messages", "20000", "--sms-megabytes", "16", "--repeat", "2"]),
    ("flags.py", [], []),
    ("imports.py", [], ["--messages", "20000"]),
    ("bundle.py", [], ["--entries", "500", "--exhibits", "20"]),
    ("pages.py", [], ["--large", "500", "--requests", "5"]),
    ("chat.py", [], ["--chats", "10", "--seconds", "30"]),
]


def machine() -> str:
    cpus = os.cpu_count()
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    return (
        f"{platform.node()}: {platform.system()} {platform.machine()}, {cpus} CPUs (load "
        f"{load:.1f} at start), Python {platform.python_version()}, "
        f"{'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite'}"
    )


def run(script: str, args: list[str]) -> tuple[int, str, float]:
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 - our own scripts
        [PY, str(ROOT / "benchmarks" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, (done.stdout + done.stderr[-2000:]).strip(), time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--only", nargs="*", help="run only these scripts (e.g. load.py)")
    args = parser.parse_args()
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results",
        "",
        f"Run {when} on {machine()}{' (quick sizes)' if args.quick else ''}.",
        "",
        "| benchmark | figure | Harbour | floor or peer | ratio |",
        "|---|---|---:|---:|---:|",
    ]
    sections: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        load_json = Path(scratch) / "load.json"
        load_args = ["--json", str(load_json)] + (
            ["--cases-per-provider", "500", "--users", "20", "--seconds", "30"]
            if args.quick
            else []
        )
        plan = [*BENCHMARKS, ("load.py", load_args, load_args)]
        for script, full, quick in plan:
            if args.only and script not in args.only:
                continue
            code, output, took = run(script, quick if args.quick else full)
            print(f"{script}: exit {code} in {took:.0f} s", flush=True)
            sections += [f"## {script} ({took:.0f} s, exit {code})", "", "```", output, "```", ""]
            if script == "load.py" and load_json.exists():
                load = json.loads(load_json.read_text())
                where = f"{load['cases']:,} cases, {load['users']} users, {load['backend']}"
                for page in load["pages"]:
                    lines.append(
                        f"| load ({where}) | {page['page']}: p95 ms | {page['p95']:.0f} | "
                        f"{load['floor_p95']:.0f} (floor page p95) | {page['x_floor_p95']:.1f}x |"
                    )
                lines.append(
                    f"| load ({where}) | throughput, errors | {load['requests_per_s']:.1f}/s, "
                    f"{load['errors']} errors | 0 errors (target) | |"
                )
    lines += ["", "Each script's own table (figure, floor, ratio) follows.", "", *sections]
    args.output.write_text("\n".join(lines) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    sys.exit(main())
