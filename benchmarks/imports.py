"""How long a full evidence import takes: a 200,000-message WhatsApp export into a case.

    .venv/bin/python benchmarks/imports.py [--messages 200000]
    scripts/with-postgres .venv/bin/python benchmarks/imports.py      # the same on PostgreSQL

Runs against a throwaway database (SQLite in a temporary data directory, or the DATABASE_URL that
scripts/with-postgres gives), never real data. Times, in one run on one machine:

- **floor**: read the file, SHA-256 it, split it into lines, and store one plain row per line
  (sequence number and text, no encryption) in batches of 5,000 (INSERT on SQLite, COPY on
  PostgreSQL): the least any import could do;
- **parse only**: harbour_parsers reading the export into records;
- **Harbour**: the whole import as an advocate's upload runs it: checks before storing (a full
  parse for files up to 32 MB), the exhibit encrypted and hashed into storage, the scan (who is in
  it), then, after who-is-who, the import proper (parse, classify the suspect's messages with the
  flag rules, fingerprint every record, encrypt its text, write in checkpointed batches) and the
  diary entries grouped per day. Target: 10 s. Peak memory is the process's maximum resident set.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from generate_exports import write_whatsapp  # noqa: E402

TARGET_SECONDS = 10.0


def _setup(data_dir: Path) -> str:
    os.environ.update(
        HARBOUR_ENV="test",
        HARBOUR_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="harbour.settings",
    )
    for name in ("HARBOUR_KEYS", "HARBOUR_KEY_FILE"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    return str(connection.vendor)


def _written_mb() -> float | None:
    """Bytes this process has caused to be written to storage (Linux ``/proc/self/io``): unlike
    time, not inflated by other work on a shared machine."""
    try:
        with open("/proc/self/io") as io:
            return (
                next(int(line.split()[1]) for line in io if line.startswith("write_bytes:")) / 1e6
            )
    except (OSError, StopIteration, ValueError):
        return None


def _schedstat() -> tuple[float, float] | None:
    """Seconds this process has run on a CPU and waited, ready, for one (Linux
    ``/proc/self/schedstat``). Wall time less these two is time blocked: disk, locks, sleeps."""
    try:
        with open("/proc/self/schedstat") as stat:
            ran, waited, _slices = stat.read().split()
        return int(ran) / 1e9, int(waited) / 1e9
    except (OSError, ValueError):
        return None


def _server_cpu() -> float | None:
    """CPU seconds of the PostgreSQL server process serving this connection (``/proc``), or None
    (SQLite runs inside this process)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None  # the server is on another machine


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def floor(path: Path) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_floor (seq integer PRIMARY KEY, body text NOT NULL)")
    start = time.perf_counter()
    digest = hashlib.sha256()
    rows: list[tuple[int, str]] = []
    with open(path, "rb") as f:
        data = f.read()
    digest.update(data)
    for seq, line in enumerate(data.decode("utf-8").split("\n"), start=1):
        rows.append((seq, line))
        if len(rows) == 5000:
            _floor_rows(rows)
            rows = []
    _floor_rows(rows)
    return time.perf_counter() - start


def _floor_rows(rows: list[tuple[int, str]]) -> None:
    """One batch in one transaction, the fastest way each database takes rows: ``executemany``
    (SQLite), ``COPY`` (PostgreSQL, as Harbour's import writes there)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY bench_floor (seq, body) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany("INSERT INTO bench_floor (seq, body) VALUES (%s, %s)", rows)


def parse_only(path: Path) -> tuple[float, int]:
    from harbour_parsers import parse_whatsapp

    start = time.perf_counter()
    count = sum(1 for _ in parse_whatsapp(path))
    return time.perf_counter() - start, count


def harbour_import(path: Path) -> dict[str, float]:
    from django.core.files import File

    from harbour.accounts.models import Organisation, User
    from harbour.cases.services import open_case
    from harbour.imports import services
    from harbour.imports.models import EvidenceImport

    org = Organisation.objects.create(name="Bench Advocacy", kind="provider")
    user = User.objects.create(username="bench", organisation=org, role="advocate")
    case = open_case(
        organisation=org,
        client_fields={"given_name": "Wren", "family_name": "Bench"},
        by=user,
        allocated_to=user,
    )
    times: dict[str, float] = {}
    start = time.perf_counter()
    with open(path, "rb") as handle:
        job = services.start_import(case, File(handle, name="chat.txt"), by=user)
    times["checks, exhibit encrypted and hashed"] = time.perf_counter() - start
    mark = time.perf_counter()
    services.work_on(job.pk)
    times["scan (who is in it)"] = time.perf_counter() - mark
    job.refresh_from_db()
    names = [p["name"] for p in job.participant_list()]
    services.choose_participants(
        job, suspect=names.index("Orin Vale"), client=names.index("Zara Quell"), by=user
    )
    mark = time.perf_counter()
    services.work_on(job.pk)
    times["import (parse, flag, encrypt, store, entries)"] = time.perf_counter() - mark
    times["whole, upload to done"] = time.perf_counter() - start
    job.refresh_from_db()
    assert job.status == EvidenceImport.Status.DONE, job.failure
    times["_records"] = job.added
    times["_entries"] = job.entries
    times["_flags"] = job.flags
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", type=int, default=200_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        vendor = _setup(Path(tmp) / "data")
        path = Path(tmp) / "WhatsApp Chat with Orin Vale.txt"
        write_whatsapp(path, args.messages)
        size = path.stat().st_size
        floor_s = floor(path)
        parse_s, count = parse_only(path)
        server = _server_cpu()
        cpu = time.process_time()
        sched = _schedstat()
        written = _written_mb()
        times = harbour_import(path)
        cpu = time.process_time() - cpu
        sched_after = _schedstat()
        server_after = _server_cpu()
        after = _written_mb()
        written = None if written is None or after is None else after - written
    whole = times["whole, upload to done"]
    print(
        f"import of a {count:,}-message WhatsApp export ({size / 1e6:.1f} MB) into "
        f"{vendor}: {times['_records']:,.0f} records stored, {times['_entries']:,.0f} diary "
        f"entries, {times['_flags']:,.0f} flags\n"
    )
    print(f"{'measure':<52}{'seconds':>9}{'x floor':>9}")
    print("-" * 70)
    print(f"{'floor: read, SHA-256, split, store plain rows':<52}{floor_s:>9.2f}{1:>9.1f}")
    print(f"{'parse only (harbour_parsers)':<52}{parse_s:>9.2f}{parse_s / floor_s:>9.1f}")
    for key, value in times.items():
        if not key.startswith("_"):
            name = ("Harbour: " if key.startswith("whole") else "  ") + key
            print(f"{name:<52}{value:>9.2f}{value / floor_s:>9.1f}")
    print(f"{'  CPU seconds of this process, whole import':<52}{cpu:>9.2f}")
    if server is not None and server_after is not None:
        print(
            f"{'  CPU seconds of the PostgreSQL server process':<52}{server_after - server:>9.2f}"
        )
    if sched is not None and sched_after is not None:
        waited = sched_after[1] - sched[1]
        print(f"{'  waiting for a CPU (other processes had them)':<52}{waited:>9.2f}")
        print(
            f"{'  blocked (disk, locks, database server, sleeps)':<52}{whole - cpu - waited:>9.2f}"
        )
    if written is not None and vendor == "sqlite":
        print(f"{'  MB written to storage by this process':<52}{written:>9.0f}")
    print(
        f"\npeak memory (max resident set of the process): {_peak_mb():.0f} MB; "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, Python {platform.python_version()}"
    )
    verdict = "within" if whole <= TARGET_SECONDS else "OVER"
    print(f"target: {TARGET_SECONDS:.0f} s for the whole import; {verdict} ({whole:.1f} s)")


if __name__ == "__main__":
    main()
