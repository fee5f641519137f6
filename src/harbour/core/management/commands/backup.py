"""``harbour backup``: a consistent copy of the database, never stored with the encryption keys.

SQLite: SQLite's online backup API copies the live database (safe while Harbour is running) into
``DATA_DIR/backups/harbour-YYYYmmddTHHMMSSZ.sqlite3``, readable by its owner only, then checks it.
PostgreSQL: runs ``pg_dump`` (custom format) when it is available, otherwise says how to.

The backup holds identifying fields encrypted. The keys that open them are deliberately *not*
copied: keep them in a separate place (a password manager or a sealed envelope), because a backup
and its keys stored together protect nothing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

KEYS_WARNING = (
    "The encryption keys are NOT in this backup, and must not be stored with it. Back up {keys} "
    "separately: without it the backup cannot be read."
)


def _exclusive_file(path: Path) -> None:
    """Create ``path`` empty, owner-only, failing if it exists (never overwrite a backup)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise CommandError(f"{path} already exists; try again in a second.") from None
    os.close(fd)


_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


def backup_sqlite(source: sqlite3.Connection, target: Path, *, wait_seconds: float = 60) -> int:
    """Copy ``source`` into a new file ``target`` with the online backup API; returns its size.

    The copy is taken in one step, so it is one consistent snapshot even while Harbour writes.
    If the database stays locked for ``wait_seconds`` the backup gives up rather than hang.
    """
    deadline = time.monotonic() + wait_seconds

    def give_up_when_locked_too_long(status: int, remaining: int, total: int) -> None:
        if status in (_SQLITE_BUSY, _SQLITE_LOCKED) and time.monotonic() > deadline:
            raise CommandError(f"The database stayed locked for {wait_seconds:g}s; try again.")

    _exclusive_file(target)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy, pages=-1, progress=give_up_when_locked_too_long, sleep=0.1)
            # A self-contained file: no write-ahead log beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
            result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
        if result != "ok":
            raise CommandError(f"The copy failed its integrity check: {result}")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    os.chmod(target, 0o600)
    return target.stat().st_size


def backup_postgres(database: dict[str, Any], target: Path, pg_dump: str | None) -> int:
    """Run ``pg_dump -Fc`` for ``database`` (Django settings) into ``target``; returns its size."""
    if pg_dump is None:
        raise CommandError(
            "pg_dump was not found. Back up PostgreSQL with pg_dump, for example:\n"
            f"  pg_dump --format=custom --file={target} "
            f"--host={database.get('HOST') or 'localhost'} --port={database.get('PORT') or 5432} "
            f"--username={database.get('USER')} {database.get('NAME')}\n"
            "or run `harbour backup --pg-dump /path/to/pg_dump`."
        )
    _exclusive_file(target)
    env = {**os.environ, "PGPASSWORD": str(database.get("PASSWORD") or "")}
    command = [pg_dump, "--format=custom", f"--file={target}", "--no-password"]
    if database.get("HOST"):
        command.append(f"--host={database['HOST']}")
    if database.get("PORT"):
        command.append(f"--port={database['PORT']}")
    if database.get("USER"):
        command.append(f"--username={database['USER']}")
    command.append(str(database["NAME"]))
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise CommandError(f"pg_dump failed ({result.returncode}): {result.stderr.strip()}")
    os.chmod(target, 0o600)
    return target.stat().st_size


class Command(BaseCommand):
    help = (
        "Make a consistent backup of the database in DATA_DIR/backups (owner-only files). "
        "The encryption keys are not included: back them up separately."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output-dir", type=Path, help="where to write the backup (default DATA_DIR/backups)"
        )
        parser.add_argument("--pg-dump", help="path of pg_dump (PostgreSQL; default: from PATH)")

    def handle(self, *args: Any, **options: Any) -> None:
        out_dir: Path = (options["output_dir"] or settings.DATA_DIR / "backups").resolve()
        key_file: Path = settings.HARBOUR_KEY_FILE.resolve()
        if out_dir == key_file.parent or key_file.parent in out_dir.parents:
            raise CommandError(
                "Backups must not be written beside the encryption keys; choose another directory."
            )
        out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")  # USE_TZ: now() is UTC

        vendor = connection.vendor
        if vendor == "sqlite":
            target = out_dir / f"harbour-{stamp}.sqlite3"
            connection.ensure_connection()
            raw = connection.connection
            assert isinstance(raw, sqlite3.Connection)
            size = backup_sqlite(raw, target)
        elif vendor == "postgresql":
            target = out_dir / f"harbour-{stamp}.dump"
            pg_dump = options["pg_dump"] or shutil.which("pg_dump")
            size = backup_postgres(connection.settings_dict, target, pg_dump)
        else:
            raise CommandError(f"harbour backup does not know how to back up {vendor}.")

        self.stdout.write(self.style.SUCCESS(f"Backup written to {target} ({size} bytes)."))
        keys = "the HARBOUR_KEYS value" if settings.HARBOUR_KEYS_JSON else str(key_file)
        self.stderr.write(self.style.WARNING(KEYS_WARNING.format(keys=keys)))
