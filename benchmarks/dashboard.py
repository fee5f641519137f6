"""The reporting dashboard at national scale, on SQLite and PostgreSQL, with DuckDB as the floor.

    .venv/bin/python benchmarks/dashboard.py [--cases 1000000] [--incidents-per-case 10] [--runs 3]
                                             [--no-postgres]

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


def _time_dashboard(username: str, runs: int) -> dict[str, Any]:
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
    times = []
    for _ in range(runs):
        began = time.perf_counter()
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
        times.append(time.perf_counter() - began)
    return {
        "first": times[0],
        "median": statistics.median(times),
        "cells": len(protected.values),
        "hidden": protected.hidden_count,
        "referrals": dash.headlines["referrals"],
        "html_kb": len(html) // 1024,
        "providers": len(scope.providers),
    }


def _largest_office() -> tuple[str, str, list[int], int]:
    """(office username, a manager-less provider's advocate username, provider ids, force id)."""
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
    for office in Organisation.objects.filter(kind="commissioner"):
        funded = list(
            CommissionedOrganisation.objects.filter(commissioner=office).values_list(
                "organisation_id", "organisation__kind"
            )
        )
        size = sum(sizes.get(pk, 0) for pk, kind in funded if kind == "provider")
        if size > best_size:
            best, best_size = (office, funded), size
    assert best is not None
    office, funded = best
    providers = [pk for pk, kind in funded if kind == "provider"]
    force = next(pk for pk, kind in funded if kind == "police_force")
    username = User.objects.get(organisation=office).username
    provider = Organisation.objects.get(pk=providers[0])
    manager = User.objects.create(
        username=f"manager-{provider.pk}", organisation=provider, role="manager"
    )
    return username, manager.username, providers, force


def child(args: argparse.Namespace) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="harbour-dash-"))
    _setup(data_dir)
    from django.db import connection

    from benchmarks.national import generate

    made = generate(
        cases=args.cases,
        incidents_per_case=args.incidents_per_case,
        progress=lambda m: print("  " + m, flush=True),
    )
    office, manager, providers, force = _largest_office()
    result: dict[str, Any] = {
        "vendor": connection.vendor,
        "generated": made,
        "office": _time_dashboard(office, args.runs),
        "manager": _time_dashboard(manager, args.runs),
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
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    for line in proc.stdout.splitlines():
        if not line.startswith("RESULT "):
            print(line)
    if proc.returncode:
        print(proc.stderr[-4000:])
        raise SystemExit(proc.returncode)
    found = next(line for line in proc.stdout.splitlines() if line.startswith("RESULT "))
    result: dict[str, Any] = json.loads(found[len("RESULT ") :])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--incidents-per-case", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
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
    results = [_run(base)]
    if not args.no_postgres:
        results.append(_run([str(ROOT / "scripts" / "with-postgres"), *base, "--no-floor"]))
    made = results[0]["generated"]
    print()
    print(
        f"dashboard: {made['cases']:,} cases, {made['referrals']:,} referrals, "
        f"{made['incidents']:,} incidents, 43 forces; the current financial year"
    )
    print(f"{'measure':<58}{'first':>9}{'median':>9}  unit")
    print("-" * 84)
    for res in results:
        for who in ("office", "manager"):
            got = res[who]
            label = (
                f"{res['vendor']}: {'largest commissioner' if who == 'office' else 'one provider manager'}"
                f" ({got['providers']} providers, {got['cells']:,} cells, {got['hidden']:,} hidden)"
            )
            print(f"{label:<58}{got['first']:>9.2f}{got['median']:>9.2f}  s")
    floor = results[0].get("floor")
    if floor:
        print(
            f"{'floor: duckdb, the same aggregates (' + str(floor['queries']) + ' queries)':<58}{floor['first']:>9.2f}{floor['median']:>9.2f}  s"
        )
    print()
    for res in results:
        timings = res["generated"]["timings"]
        print(
            f"generated on {res['vendor']}: "
            + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
        )
    targets = {"sqlite": 5.0, "postgresql": 2.0}
    for res in results:
        worst = max(res["office"]["median"], res["manager"]["median"])
        verdict = "met" if worst <= targets[res["vendor"]] else "NOT met"
        print(
            f"target {res['vendor']} <= {targets[res['vendor']]:.0f} s: {verdict} ({worst:.2f} s)"
        )


if __name__ == "__main__":
    main()
