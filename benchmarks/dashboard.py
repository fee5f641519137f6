"""The reporting dashboard at national scale, on SQLite and PostgreSQL, with DuckDB as the floor.

    .venv/bin/python benchmarks/dashboard.py [--cases 1000000] [--incidents-per-case 10] [--runs 3]
                                             [--no-postgres] [--no-sqlite]
                                             [--data-dir DIR] [--pg-dir DIR]

One run: a fresh SQLite database gets the synthetic national dataset (``benchmarks/national.py``,
bulk-written in the database), then the whole dashboard is timed for the largest commissioner's
office (its providers and force, the current financial year: every count, the disclosure control of
the year's 17 periods, the headlines, the iceberg, and the page rendered to HTML) and for one
provider's manager. The same happens on a throwaway PostgreSQL cluster (``scripts/with-postgres``).
The floor is DuckDB running the same GROUP BY aggregates over the same rows (exported from the
SQLite database; loading is not timed). Targets (issue #17): PostgreSQL 2 s or less, SQLite 5 s.
"""

# ruff: noqa: S603, S608 - the commands and SQL are built from this script's own literals and numbers
from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _setup(data_dir: Path) -> None:
    os.environ.update(
        HARBOUR_ENV="test",
        HARBOUR_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="harbour.settings",
    )
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _dashboard_once(username: str) -> tuple[Any, Any, str, Any]:
    from django.template.loader import render_to_string
    from django.utils import timezone

    from harbour.accounts.models import User
    from harbour.core import policy
    from harbour.reporting import dashboard, figures
    from harbour.reporting.charts import bar_chart
    from harbour.reporting.periods import Period
    from harbour.reporting.tables import ALL

    user = User.objects.select_related("organisation").get(username=username)
    today = timezone.localdate()
    period = Period.financial_year_of(today)
    scope = figures.scope_for(user, policy.reporting_organisations(user))
    protected = figures.protected_year(scope, period.start.year, today)
    dash = dashboard.build(scope, protected, period, (ALL,), figures.largest_hidden())
    html = render_to_string(
        "reporting/dashboard.html",
        {
            "dash": dash,
            "charts": {t.key: bar_chart(t.key, t.title, t.chart()) for t in dash.tables},
            "periods": [period],
            "query": "",
        },
    )
    return scope, protected, html, dash


def _server_cpu() -> float:
    """CPU seconds the PostgreSQL cluster has used (0 on SQLite, which runs in this process): the
    postmaster with every child it has reaped (parallel workers), plus its live children (this
    connection's backend among them). The cluster is the benchmark's own, so nothing else is in it
    but its background processes."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        (data_directory,) = cursor.fetchone()
    try:
        postmaster = int(Path(data_directory, "postmaster.pid").read_text().split()[0])
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, ppid = int(stat.parent.name), int(fields[1])
            if pid == postmaster:
                total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
            elif ppid == postmaster:
                total += int(fields[11]) + int(fields[12])
        return total / tick
    except (OSError, ValueError, IndexError):
        return float("nan")


def _time_dashboard(username: str, runs: int) -> dict[str, Any]:
    """The first run is cold for this dashboard (nothing of it cached: every count read, the year
    protected); the process is warm, as a running server is (modules imported, templates compiled,
    the bank-holiday calendar loaded: see ``_warm_up``). Later runs reuse the cached protection."""
    from django.core.cache import cache

    cache.clear()
    times, cpu, server = [], [], []
    for _ in range(runs):
        began, began_cpu, began_server = time.perf_counter(), time.process_time(), _server_cpu()
        scope, protected, html, dash = _dashboard_once(username)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
        server.append(_server_cpu() - began_server)
    return {
        "first": times[0],
        "median": statistics.median(times),
        "first_cpu": cpu[0] + server[0],
        "median_cpu": statistics.median(c + s for c, s in zip(cpu, server, strict=True)),
        "first_server_cpu": server[0],
        "cells": len(protected.values),
        "hidden": protected.hidden_count,
        "referrals": dash.headlines["referrals"],
        "html_kb": len(html) // 1024,
        "providers": len(scope.providers),
    }


def _warm_up(username: str) -> None:
    """Render one other (the smallest) office's dashboard, so that what is timed is the data work,
    not Python importing modules and compiling templates for the first time."""
    from django.core.cache import cache

    _dashboard_once(username)
    cache.clear()


def _largest_office() -> tuple[str, str, list[int], int, str]:
    """(office username, a provider manager's username, provider ids, force id, the smallest
    office's username)."""
    from django.db.models import Count

    from harbour.accounts.models import Organisation, User
    from harbour.referrals.models import Referral
    from harbour.reporting.models import CommissionedOrganisation

    sizes = dict(
        Referral.unscoped.values("routed_to_id")
        .annotate(n=Count("pk"))
        .values_list("routed_to_id", "n")
    )
    best, best_size = None, -1
    smallest, smallest_size = None, None
    for office in Organisation.objects.filter(kind="commissioner"):
        funded = list(
            CommissionedOrganisation.objects.filter(commissioner=office).values_list(
                "organisation_id", "organisation__kind"
            )
        )
        size = sum(sizes.get(pk, 0) for pk, kind in funded if kind == "provider")
        if smallest_size is None or size < smallest_size:
            smallest, smallest_size = office, size
        if size > best_size:
            best, best_size = (office, funded), size
    assert best is not None
    office, funded = best
    providers = [pk for pk, kind in funded if kind == "provider"]
    force = next(pk for pk, kind in funded if kind == "police_force")
    username = User.objects.get(organisation=office).username
    provider = Organisation.objects.get(pk=providers[0])
    manager, _made = User.objects.get_or_create(
        username=f"manager-{provider.pk}", defaults={"organisation": provider, "role": "manager"}
    )
    assert smallest is not None
    return (
        username,
        manager.username,
        providers,
        force,
        User.objects.get(organisation=smallest).username,
    )


def child(args: argparse.Namespace) -> None:
    data_dir = (
        Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="harbour-dash-"))
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    _setup(data_dir)
    from django.db import connection

    from benchmarks.national import generate

    # The data directory belongs to one database (SQLite's file is in it; for PostgreSQL it holds
    # the keys the kept cluster's rows were written with), so a marker there means "already made".
    marker = data_dir / "generated.json"
    if marker.exists():
        made = json.loads(marker.read_text())
        made["reused"] = True
        print(f"  reusing the dataset in {data_dir}", flush=True)
    else:
        began = time.process_time()
        made = generate(
            cases=args.cases,
            incidents_per_case=args.incidents_per_case,
            progress=lambda m: print("  " + m, flush=True),
        )
        made["cpu"] = time.process_time() - began
        if args.data_dir:
            marker.write_text(json.dumps(made))
    office, manager, providers, force, smallest = _largest_office()
    _warm_up(smallest)
    result: dict[str, Any] = {
        "vendor": connection.vendor,
        "generated": made,
        "office": _time_dashboard(office, args.runs),
        "manager": _time_dashboard(manager, args.runs),
        "load": os.getloadavg(),
    }
    if connection.vendor == "sqlite" and args.floor:
        result["floor"] = _duckdb_floor(data_dir, providers, force, args.runs)
    print("RESULT " + json.dumps(result, default=str), flush=True)


# The floor ----------------------------------------------------------------------------------------

EXPORTS = {
    "referral": "SELECT routed_to_id, source, status, received_at, due_by, first_contact_at, "
    "referring_organisation_id, crime_reported_on FROM referrals_referral",
    "cases": "SELECT organisation_id, opened_at, closed_at, status, gender, age_band, ethnicity, "
    "disability, relationship_to_suspect, risk_level, domestic_abuse, cyber_elements FROM cases_case",
    "needs": "SELECT n.case_id, c.organisation_id, c.closed_at, n.emotional_support, n.housing, "
    "n.safety_planning FROM cases_needsassessment n JOIN cases_case c ON c.id = n.case_id",
    "milestones": 'SELECT m.kind, m.outcome, m."on", c.organisation_id FROM justice_journeymilestone m '
    "JOIN justice_journey j ON j.id = m.journey_id JOIN cases_case c ON c.id = j.case_id",
}


def _duckdb_floor(data_dir: Path, providers: list[int], force: int, runs: int) -> dict[str, Any]:
    import duckdb
    from django.db import connection
    from django.utils import timezone

    from harbour.reporting.periods import Period

    year = Period.financial_year_of(timezone.localdate())
    start, end = year.start.isoformat(), year.end.isoformat() + " 23:59:59"
    db = duckdb.connect()
    for name, sql in EXPORTS.items():
        path = data_dir / f"{name}.csv"
        with connection.cursor() as cursor, path.open("w", newline="") as out:
            cursor.execute(sql)
            writer = csv.writer(out)
            writer.writerow([c[0] for c in cursor.description])
            while rows := cursor.fetchmany(50_000):
                writer.writerows(rows)
        db.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv_auto('{path}')")
    ids = ", ".join(str(p) for p in providers)
    month = "date_trunc('month', CAST({} AS TIMESTAMP))"
    on_month = month.format('"on"')
    queries = [
        f"SELECT routed_to_id, source, {month.format('received_at')}, count(*) FROM referral "
        f"WHERE routed_to_id IN ({ids}) AND received_at BETWEEN '{start}' AND '{end}' GROUP BY ALL",
        f"SELECT routed_to_id, status, {month.format('received_at')}, count(*) FROM referral "
        f"WHERE routed_to_id IN ({ids}) AND received_at BETWEEN '{start}' AND '{end}' GROUP BY ALL",
        f"SELECT routed_to_id, CASE WHEN first_contact_at IS NULL THEN 'none' WHEN first_contact_at <= due_by "
        f"THEN 'within' ELSE 'late' END, {month.format('received_at')}, count(*) FROM referral "
        f"WHERE routed_to_id IN ({ids}) AND received_at BETWEEN '{start}' AND '{end}' GROUP BY ALL",
        f"SELECT referring_organisation_id, {month.format('received_at')}, "
        f"count(*) FILTER (WHERE crime_reported_on IS NULL), count(*) FROM referral "
        f"WHERE routed_to_id IN ({ids}) AND referring_organisation_id = {force} "
        f"AND received_at BETWEEN '{start}' AND '{end}' GROUP BY ALL",
        *(
            f"SELECT organisation_id, {col}, {month.format('opened_at')}, count(*) FROM cases "
            f"WHERE organisation_id IN ({ids}) AND opened_at BETWEEN '{start}' AND '{end}' GROUP BY ALL"
            for col in (
                "gender",
                "age_band",
                "ethnicity",
                "disability",
                "relationship_to_suspect",
                "risk_level",
                "domestic_abuse",
                "cyber_elements",
            )
        ),
        f"SELECT organisation_id, {month.format('closed_at')}, count(*) FILTER (WHERE emotional_support = 'met'), "
        f"count(*) FILTER (WHERE housing = 'met') FROM needs WHERE organisation_id IN ({ids}) "
        f"AND closed_at BETWEEN '{start}' AND '{end}' GROUP BY ALL",
        f"SELECT organisation_id, kind, {on_month}, count(*) FROM milestones "
        f"WHERE organisation_id IN ({ids}) AND \"on\" BETWEEN '{start}' AND '{end}' GROUP BY ALL",
    ]
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        for sql in queries:
            db.execute(sql).fetchall()
        times.append(time.perf_counter() - began)
    return {"first": times[0], "median": statistics.median(times), "queries": len(queries)}


# The parent ---------------------------------------------------------------------------------------


def _run(command: list[str]) -> dict[str, Any]:
    print("$ " + " ".join(command), flush=True)
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    found = ""
    assert proc.stdout is not None
    for line in proc.stdout:  # progress as it happens
        if line.startswith("RESULT "):
            found = line
        else:
            print(line, end="", flush=True)
    if proc.wait():
        raise SystemExit(proc.returncode)
    result: dict[str, Any] = json.loads(found[len("RESULT ") :])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--incidents-per-case", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--data-dir",
        help="keep the SQLite dataset here and reuse it on the next run",
    )
    parser.add_argument(
        "--pg-dir",
        help="keep the PostgreSQL cluster and its dataset here (stopped between runs) and reuse it "
        "on the next run; without it the cluster is thrown away and generated each time",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-floor", dest="floor", action="store_false", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    python = str(ROOT / ".venv" / "bin" / "python")
    base = [python, str(Path(__file__)), "--child", "--cases", str(args.cases)]
    base += ["--incidents-per-case", str(args.incidents_per_case), "--runs", str(args.runs)]
    env_free = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    os.environ.clear()
    os.environ.update(env_free)
    sqlite = base + (["--data-dir", str(Path(args.data_dir).resolve())] if args.data_dir else [])
    results = [] if args.no_sqlite else [_run(sqlite)]
    if not args.no_postgres:
        postgres = [str(ROOT / "scripts" / "with-postgres"), *base, "--no-floor"]
        if args.pg_dir:
            kept = Path(args.pg_dir).resolve()
            os.environ["HARBOUR_PG_KEEP"] = str(kept / "cluster")
            postgres += ["--data-dir", str(kept / "harbour")]
        results.append(_run(postgres))
    if not results:
        raise SystemExit("nothing to measure: both --no-sqlite and --no-postgres")
    made = results[0]["generated"]
    print()
    print(
        f"dashboard: {made['cases']:,} cases, {made['referrals']:,} referrals, "
        f"{made['incidents']:,} incidents, 43 forces; the current financial year"
    )
    print(
        "first = cold (nothing of this dashboard cached); median of the runs (the protection "
        "reused); cpu = this process plus, on PostgreSQL, the cluster's own processes"
    )
    print(f"{'measure':<62}{'first':>8}{'cpu':>7}{'median':>8}{'cpu':>7}  unit")
    print("-" * 98)
    for res in results:
        for who in ("office", "manager"):
            got = res[who]
            label = (
                f"{res['vendor']}: {'largest commissioner' if who == 'office' else 'one provider manager'}"
                f" ({got['providers']} providers, {got['cells']:,} cells, {got['hidden']:,} hidden)"
            )
            print(
                f"{label:<62}{got['first']:>8.2f}{got['first_cpu']:>7.2f}"
                f"{got['median']:>8.2f}{got['median_cpu']:>7.2f}  s"
            )
    floor = next((res["floor"] for res in results if res.get("floor")), None)
    if floor:
        label = f"floor: duckdb, the same aggregates ({floor['queries']} queries)"
        print(f"{label:<62}{floor['first']:>8.2f}{'':>7}{floor['median']:>8.2f}{'':>7}  s")
    print()
    for res in results:
        gen = res["generated"]
        timings = gen["timings"]
        reused = " (reused from an earlier run)" if gen.get("reused") else ""
        print(
            f"generated on {res['vendor']}{reused}: "
            + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
            + (f"; cpu {gen['cpu']:.0f} s" if "cpu" in gen else "")
        )
        print(
            f"load average during the {res['vendor']} run: "
            + ", ".join(f"{v:.1f}" for v in res["load"])
        )
    targets = {"sqlite": 5.0, "postgresql": 2.0}
    for res in results:
        cold = max(res["office"]["first"], res["manager"]["first"])
        warm = max(res["office"]["median"], res["manager"]["median"])
        limit = targets[res["vendor"]]
        print(
            f"target {res['vendor']} <= {limit:.0f} s cold: "
            f"{'met' if cold <= limit else 'NOT met'} ({cold:.2f} s; repeat {warm:.2f} s)"
        )


if __name__ == "__main__":
    main()
