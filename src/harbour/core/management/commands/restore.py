"""``harbour restore FILE``: bring back a backup written by ``harbour backup``.

Everything is checked before anything changes: the backup is decrypted into a private staging
directory under DATA_DIR, every chunk authenticated and every member's SHA-256 compared with the
manifest. A wrong keyring, a damaged or cut-short file, or a backup of the other kind of database
is refused with the reason, and the database and the evidence files are left as they were.

Stop Harbour (``harbour serve`` and every ``harbour worker``) first: the database is replaced as a
whole (SQLite's backup API, or ``pg_restore --clean --single-transaction``), then the evidence
storage is made to hold exactly the backup's files.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from harbour.core import crypto
from harbour.core.backups import (
    BackupError,
    backup_key,
    restore_evidence,
    restore_postgres,
    restore_sqlite,
    stage_backup,
)


class Command(BaseCommand):
    help = (
        "Restore a backup made by `harbour backup` (the database and the evidence files), after "
        "checking all of it with this keyring; a damaged or wrong-key backup is refused with the "
        "reason and nothing is changed. Stop Harbour first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="the .hbk file")
        parser.add_argument(
            "--check", action="store_true", help="only check the backup; change nothing"
        )
        parser.add_argument(
            "--yes", action="store_true", help="do not ask before replacing the current data"
        )
        parser.add_argument("--pg-restore", help="path of pg_restore (PostgreSQL; default: PATH)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["backup"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            staged = stage_backup(
                path,
                key=backup_key(crypto.keyring()),
                staging_parent=settings.DATA_DIR / "restore-staging",
            )
        except BackupError as exc:
            raise CommandError(f"Refused: {exc}. Nothing was changed.") from None
        try:
            vendor = connection.vendor
            if staged.database_kind != vendor:
                raise CommandError(
                    f"Refused: the backup holds a {staged.database_kind} database and Harbour is "
                    f"configured for {vendor}. Nothing was changed."
                )
            count = len(staged.evidence_names)
            if options["check"]:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"The backup is intact and opens with this keyring ({vendor} database, "
                        f"{count} evidence files)."
                    )
                )
                return
            if not options["yes"] and options.get("interactive", True):
                answer = input(
                    "This replaces the whole database and every evidence file. Type 'restore': "
                )
                if answer.strip() != "restore":
                    raise CommandError("Not restored. Nothing was changed.")
            try:
                if vendor == "sqlite":
                    connection.ensure_connection()
                    raw = connection.connection
                    assert isinstance(raw, sqlite3.Connection)
                    restore_sqlite(staged.database_file, raw)
                else:
                    pg_restore = options["pg_restore"] or shutil.which("pg_restore")
                    connection.close()
                    restore_postgres(connection.settings_dict, staged.database_file, pg_restore)
                written, removed = restore_evidence(staged, storages["evidence"])
            except BackupError as exc:
                raise CommandError(f"Restore failed: {exc}") from None
        finally:
            staged.cleanup()
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the database and {written} evidence files from {path} "
                f"({removed} files not in the backup removed). Run `harbour keys status` and "
                "`harbour audit verify` to confirm."
            )
        )
