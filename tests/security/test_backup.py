"""`harbour backup` makes a consistent, owner-only copy of the database and never copies the keys."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from harbour.accounts.models import User
from harbour.core import crypto
from harbour.core.management.commands.backup import backup_postgres, backup_sqlite

# Committed data: SQLite's backup API cannot copy a database inside the test's open transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def _pg_dump() -> str | None:
    bundled = Path(os.environ.get("HARBOUR_PG_BIN", "/usr/lib/postgresql/15/bin")) / "pg_dump"
    return str(bundled) if bundled.exists() else shutil.which("pg_dump")


def run_backup(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    extra = ["--pg-dump", _pg_dump() or "pg_dump"] if connection.vendor == "postgresql" else []
    call_command("backup", *args, *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.HARBOUR_KEY_FILE = settings.DATA_DIR / "keys" / "harbour-keys.json"
    settings.HARBOUR_KEYS_JSON = ""
    crypto.write_key_file(settings.HARBOUR_KEY_FILE, crypto.keyring())
    return settings.DATA_DIR


def test_backup_writes_a_timestamped_owner_only_file_in_the_backups_directory(data_dir, case_a):
    out, _ = run_backup()
    backups = list((data_dir / "backups").iterdir())
    assert len(backups) == 1
    backup = backups[0]
    suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
    assert re.fullmatch(rf"harbour-\d{{8}}T\d{{6}}Z\.{suffix}", backup.name)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE((data_dir / "backups").stat().st_mode) & 0o077 == 0
    assert f"Backup written to {backup}" in out


def test_backup_never_copies_the_keys_and_says_to_back_them_up_separately(data_dir, case_a):
    _, err = run_backup()
    assert "encryption keys are NOT in this backup" in err
    assert str(data_dir / "keys" / "harbour-keys.json") in err
    key_json = (data_dir / "keys" / "harbour-keys.json").read_text()
    index_key = re.search(r'"index_key": "([^"]+)"', key_json).group(1)
    for path in (data_dir / "backups").iterdir():
        content = path.read_bytes()
        assert index_key.encode() not in content
        assert b"harbour-keys/1" not in content
        assert b"Zebedee" not in content and b"Quillfeather" not in content
    assert not list((data_dir / "backups").glob("*.json"))


def test_backup_refuses_to_write_beside_the_keys(data_dir):
    with pytest.raises(CommandError, match="beside the encryption keys"):
        run_backup("--output-dir", str(data_dir / "keys"))
    with pytest.raises(CommandError, match="beside the encryption keys"):
        run_backup("--output-dir", str(data_dir / "keys" / "backups"))


def test_an_sqlite_backup_is_a_complete_database_that_opens_on_its_own(data_dir, tmp_path, cast):
    source = sqlite3.connect(tmp_path / "live.sqlite3")
    source.execute("PRAGMA journal_mode=WAL")
    source.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    source.executemany("INSERT INTO t (v) VALUES (?)", [(f"row {i}",) for i in range(500)])
    source.commit()
    target = tmp_path / "copy.sqlite3"
    backup_sqlite(source, target)
    source.execute("INSERT INTO t (v) VALUES ('after the backup')")
    source.commit()
    source.close()
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT count(*) FROM t").fetchone()[0] == 500
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copy.close()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not Path(f"{target}-wal").exists()


def test_an_sqlite_backup_gives_up_instead_of_hanging_on_a_locked_database(tmp_path):
    path = tmp_path / "live.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE t (v TEXT)")
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("INSERT INTO t VALUES ('x')")
    reader = sqlite3.connect(path, timeout=0)
    with pytest.raises(CommandError, match="stayed locked"):
        backup_sqlite(reader, tmp_path / "copy.sqlite3", wait_seconds=0.3)
    writer.execute("ROLLBACK")
    assert not (tmp_path / "copy.sqlite3").exists()


def test_an_sqlite_backup_never_overwrites_an_earlier_one(tmp_path):
    source = sqlite3.connect(":memory:")
    target = tmp_path / "copy.sqlite3"
    target.write_bytes(b"an earlier backup")
    with pytest.raises(CommandError, match="already exists"):
        backup_sqlite(source, target)
    assert target.read_bytes() == b"an earlier backup"


def test_the_backup_of_this_database_holds_its_rows(data_dir, cast):
    run_backup()
    (backup,) = (data_dir / "backups").iterdir()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(backup)
        count = copy.execute("SELECT count(*) FROM accounts_user").fetchone()[0]
        copy.close()
        assert count == User.objects.count() == len(cast)
    else:
        assert backup.read_bytes().startswith(b"PGDMP")


def test_without_pg_dump_the_operator_is_told_how_to_back_up_postgresql(tmp_path):
    database = {"NAME": "harbour", "USER": "harbour", "HOST": "db.internal", "PORT": 5433}
    with pytest.raises(CommandError, match="pg_dump was not found") as caught:
        backup_postgres(database, tmp_path / "harbour.dump", None)
    assert "--host=db.internal --port=5433 --username=harbour harbour" in str(caught.value)
    assert not (tmp_path / "harbour.dump").exists()


def test_a_failing_pg_dump_leaves_no_partial_file(tmp_path):
    failing = tmp_path / "pg_dump"
    failing.write_text("#!/bin/sh\necho 'connection refused' >&2\nexit 1\n")
    failing.chmod(0o700)
    with pytest.raises(CommandError, match="pg_dump failed .*connection refused"):
        backup_postgres({"NAME": "harbour"}, tmp_path / "harbour.dump", str(failing))
    assert not (tmp_path / "harbour.dump").exists()
