"""``harbour backup``: an encrypted, consistent backup of the database and the evidence files.

Safe while Harbour runs: SQLite's online backup API (one consistent snapshot) or ``pg_dump`` (one
transaction snapshot), then every file in the evidence storage, sealed into one owner-only file
``DATA_DIR/backups/harbour-YYYYmmddTHHMMSSZ.hbk`` (format: ``harbour.core.backups``). The backup is
encrypted under a key derived from the keyring, and the keyring is deliberately *not* in it: keep
the keyring in a separate place (a password manager or a sealed envelope); without it the backup
cannot be restored, and a backup stored with its keys protects nothing.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from harbour.core import crypto
from harbour.core.backups import (
    BackupError,
    backup_key,
    snapshot_postgres,
    snapshot_sqlite,
    write_backup,
)

KEYS_WARNING = (
    "The encryption keys are NOT in this backup, and must not be stored with it. Back up {keys} "
    "separately: without it the backup cannot be restored."
)


def check_not_beside_keys(out_dir: Path) -> None:
    key_file: Path = settings.HARBOUR_KEY_FILE.resolve()
    if out_dir == key_file.parent or key_file.parent in out_dir.parents:
        raise CommandError(
            "Backups must not be written beside the encryption keys; choose another directory."
        )


class Command(BaseCommand):
    help = (
        "Write an encrypted, consistent backup of the database and the evidence files into "
        "DATA_DIR/backups (owner-only), safe while Harbour runs. The encryption keys are not "
        "included: back them up separately. `harbour restore FILE` brings one back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output-dir", type=Path, help="where to write the backup (default DATA_DIR/backups)"
        )
        parser.add_argument("--pg-dump", help="path of pg_dump (PostgreSQL; default: from PATH)")

    def handle(self, *args: Any, **options: Any) -> None:
        out_dir: Path = (options["output_dir"] or settings.DATA_DIR / "backups").resolve()
        check_not_beside_keys(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")  # USE_TZ: now() is UTC
        target = out_dir / f"harbour-{stamp}.hbk"
        if target.exists():
            raise CommandError(f"{target} already exists; try again in a second.")

        vendor = connection.vendor
        scratch = Path(tempfile.mkdtemp(prefix=".backup-", dir=out_dir))
        try:
            if vendor == "sqlite":
                snapshot = scratch / "database.sqlite3"
                connection.ensure_connection()
                raw = connection.connection
                assert isinstance(raw, sqlite3.Connection)
                snapshot_sqlite(raw, snapshot)
            elif vendor == "postgresql":
                snapshot = scratch / "database.dump"
                pg_dump = options["pg_dump"] or shutil.which("pg_dump")
                snapshot_postgres(connection.settings_dict, snapshot, pg_dump)
            else:
                raise CommandError(f"harbour backup does not know how to back up {vendor}.")
            summary = write_backup(
                target,
                key=backup_key(crypto.keyring()),
                database_file=snapshot,
                database_kind=vendor,
                evidence=storages["evidence"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {target} ({summary.size} bytes: the database, "
                f"{summary.database_bytes} bytes, and {summary.evidence_files} evidence files, "
                f"{summary.evidence_bytes} bytes; encrypted)."
            )
        )
        keys = (
            "the HARBOUR_KEYS value"
            if settings.HARBOUR_KEYS_JSON
            else str(settings.HARBOUR_KEY_FILE)
        )
        self.stderr.write(self.style.WARNING(KEYS_WARNING.format(keys=keys)))
