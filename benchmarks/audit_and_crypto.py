"""How much encryption at rest and the audit hash chain cost, next to a floor measured in the same run.

    .venv/bin/python benchmarks/audit_and_crypto.py [--quick]

Runs against a throwaway file-backed SQLite database (the embedded default) in a temporary data
directory, so it never touches real data. Prints one table:

* encrypt + decrypt through each encrypted model field (µs per value), against one SHA-256 of the
  same bytes;
* a blind index (HMAC-SHA256 of a normalised value), against one SHA-256;
* ``audit.log.record()`` rows per second, each in its own committed transaction as in a view,
  against a plain INSERT of a similar row, also committed one by one;
* ``harbour audit verify`` rows per second, against reading the same rows without checking them.

The ratio column is Harbour's cost over the floor ("x3.0" = three times slower than the floor).
Takes well under 30 seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SAMPLES = {
    "given_name": "Zebedee",
    "family_name": "Quillfeather-Marchbanks",
    "address": "Flat 9, Juniperwick Mansions\n14 Larkspur Crescent\nNorthtown",
    "postcode": "NS1 4ZZ",
    "phone": "07700 900123",
    "email": "zebedee.quillfeather@example.org",
    "full_name": "Philippa Cattermole-Drax",
}
LONG_TEXT = "She said he was outside the house again at 23:10 and followed her to work. " * 14


def _setup(data_dir: Path) -> None:
    os.environ.update(
        HARBOUR_ENV="test",
        HARBOUR_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="harbour.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("HARBOUR_KEYS", None)
    os.environ.pop("HARBOUR_KEY_FILE", None)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def per_call_us(fn: Callable[[], object], *, min_seconds: float) -> float:
    """Median µs per call over several timed batches (after a warm-up)."""
    for _ in range(50):
        fn()
    results = []
    batch = 200
    deadline = time.perf_counter() + min_seconds
    while time.perf_counter() < deadline or len(results) < 3:
        started = time.perf_counter()
        for _ in range(batch):
            fn()
        results.append((time.perf_counter() - started) / batch * 1e6)
    return statistics.median(results)


def _sample_for(field: object) -> object:
    import datetime

    from harbour.core.fields import EncryptedDateField

    if isinstance(field, EncryptedDateField):
        return datetime.date(1984, 2, 29)
    name = getattr(field, "name", "")
    return SAMPLES.get(name, LONG_TEXT if "note" in name or "detail" in name else "Example value")


def crypto_rows(min_seconds: float) -> list[tuple[str, float, float, str]]:
    from harbour.core.crypto import keyring
    from harbour.core.rotation import encrypted_columns

    rows = []
    for model, fields in encrypted_columns():
        for field in fields:
            value = _sample_for(field)
            raw = field.get_prep_value(value)  # type: ignore[attr-defined]
            plain_bytes = str(value).encode()

            def round_trip(field: object = field, value: object = value) -> object:
                stored = field.get_prep_value(value)  # type: ignore[attr-defined]
                return field.from_db_value(stored, None, None)  # type: ignore[attr-defined]

            assert round_trip() == value and raw != value
            harbour = per_call_us(round_trip, min_seconds=min_seconds)
            floor = per_call_us(lambda b=plain_bytes: hashlib.sha256(b).digest(), min_seconds=0.02)
            rows.append(
                (f"encrypt+decrypt {model._meta.label_lower}.{field.name}", harbour, floor, "µs")
            )
    ring = keyring()
    harbour = per_call_us(lambda: ring.blind_index("phone", "+447700900123"), min_seconds=0.2)
    floor = per_call_us(lambda: hashlib.sha256(b"phone\x00+447700900123").digest(), min_seconds=0.1)
    rows.append(("blind index (phone)", harbour, floor, "µs"))
    return rows


def audit_rows(count: int) -> list[tuple[str, float, float, str]]:
    from django.db import connection, transaction

    from harbour.audit.log import record
    from harbour.audit.models import AuditEvent
    from harbour.audit.verify import verify_chain

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_plain (id INTEGER PRIMARY KEY, seq INTEGER, at TEXT, actor_id "
            "INTEGER, verb TEXT, object_type TEXT, object_id TEXT, ip_address TEXT, payload TEXT, "
            "prev_hash TEXT, hash TEXT)"
        )

    started = time.perf_counter()
    for n in range(count):
        with transaction.atomic():
            record(
                actor=None,
                username="benchmark",
                verb="case.viewed",
                object_type="cases.case",
                object_id="6f1c2b8e-3d4a-4c5b-9e7f-0a1b2c3d4e5f",
                payload={"n": n, "route": "cases/<uuid:public_id>/"},
            )
    record_rate = count / (time.perf_counter() - started)

    started = time.perf_counter()
    for n in range(count):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_plain (seq, at, actor_id, verb, object_type, object_id, "
                "ip_address, payload, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    n,
                    "2026-01-01T00:00:00",
                    None,
                    "case.viewed",
                    "cases.case",
                    "x",
                    None,
                    "{}",
                    "0" * 64,
                    "1" * 64,
                ],
            )
    insert_rate = count / (time.perf_counter() - started)

    assert AuditEvent.objects.count() == count
    started = time.perf_counter()
    checked, broken = verify_chain()
    verify_rate = checked / (time.perf_counter() - started)
    assert broken is None and checked == count

    # Floor: fetch the same rows with a plain cursor and take one SHA-256 of each.
    started = time.perf_counter()
    read = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seq, at, actor_id, actor_username, organisation_id, verb, object_type, "
            "object_id, ip_address, payload, prev_hash, hash FROM audit_auditevent ORDER BY seq"
        )
        for row in cursor.fetchall():
            hashlib.sha256(repr(row).encode()).hexdigest()
            read += 1
    read_rate = read / (time.perf_counter() - started)
    return [
        ("audit record(), one transaction each", record_rate, insert_rate, "rows/s"),
        ("audit verify (whole chain)", verify_rate, read_rate, "rows/s"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (about 5 seconds)")
    args = parser.parse_args()
    begun = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="harbour-bench-") as tmp:
        _setup(Path(tmp))
        crypto = crypto_rows(min_seconds=0.01 if args.quick else 0.05)
        audit = audit_rows(500 if args.quick else 3000)
        from django.db import connection

        connection.close()

    floors = {"µs": "sha256 of the same bytes", "rows/s": "plain INSERT / SELECT + sha256"}
    print(f"{'measure':<60} {'Harbour':>12} {'floor':>12} {'cost':>7}  unit (floor)")
    print("-" * 120)
    for name, harbour, floor, unit in crypto + audit:
        cost = harbour / floor if unit == "µs" else floor / harbour
        print(
            f"{name:<60} {harbour:>12.1f} {floor:>12.1f} {f'x{cost:.1f}':>7}  {unit} ({floors[unit]})"
        )
    print(
        f"\n({time.perf_counter() - begun:.1f} s, SQLite file database, Python {sys.version.split()[0]})"
    )


if __name__ == "__main__":
    main()
