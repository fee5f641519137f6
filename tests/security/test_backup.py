"""`harbour backup` writes an encrypted, consistent backup of the database and the evidence files
(never the keys); `harbour restore` brings it back identically, and refuses a damaged or wrong-key
backup with the reason, changing nothing."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection

from harbour.cases.models import Case
from harbour.core import crypto
from harbour.core.backups import BackupError, snapshot_postgres, snapshot_sqlite, storage_files
from harbour.evidence import services
from tests.evidence.conftest import png_with_exif, upload_file

# Committed data: SQLite's backup API cannot copy a database inside the test's open transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def _pg_tool(name: str) -> str | None:
    bundled = Path(os.environ.get("HARBOUR_PG_BIN", "/usr/lib/postgresql/15/bin")) / name
    return str(bundled) if bundled.exists() else shutil.which(name)


def run_backup(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    extra = ["--pg-dump", _pg_tool("pg_dump") or "pg_dump"] if connection.vendor != "sqlite" else []
    call_command("backup", *args, *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_restore(path: Path, *args: str) -> str:
    out = StringIO()
    extra = (
        ["--pg-restore", _pg_tool("pg_restore") or "pg_restore"]
        if connection.vendor != "sqlite"
        else []
    )
    call_command("restore", str(path), "--yes", *args, *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.HARBOUR_KEY_FILE = settings.DATA_DIR / "keys" / "harbour-keys.json"
    settings.HARBOUR_KEYS_JSON = ""
    crypto.write_key_file(settings.HARBOUR_KEY_FILE, crypto.keyring())
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(settings.DATA_DIR / "evidence")},
        },
    }
    return settings.DATA_DIR


def everything() -> dict[str, Any]:
    """Every row of every table (through the unscoped base managers) and every evidence file."""
    rows = {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }
    evidence = storages["evidence"]
    files = {}
    for name in storage_files(evidence):
        with evidence.open(name, "rb") as handle:
            files[name] = handle.read()
    return {"rows": rows, "files": files}


def the_backup(data_dir: Path) -> Path:
    (backup,) = (data_dir / "backups").glob("*.hbk")
    return backup


@pytest.fixture
def stored(data_dir, case_a, cast):
    """A case with a photo and an export on file."""
    services.store_evidence(
        case_a, upload_file("photo.png", png_with_exif()), kind="photo", by=cast["alice"]
    )
    services.store_evidence(
        case_a,
        upload_file("chat.txt", b"03/03/2026, 21:00 - Unknown: hello\n" * 200),
        kind="export",
        by=cast["alice"],
    )
    return case_a


def test_backup_writes_a_timestamped_owner_only_encrypted_file_in_the_backups_directory(stored):
    from django.conf import settings

    out, _ = run_backup()
    backup = the_backup(settings.DATA_DIR)
    assert re.fullmatch(r"harbour-\d{8}T\d{6}Z\.hbk", backup.name)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE((settings.DATA_DIR / "backups").stat().st_mode) & 0o077 == 0
    assert f"Backup written to {backup}" in out and "and 3 evidence files" in out
    raw = backup.read_bytes()
    assert raw.startswith(b"HBK1")
    # Encrypted as a whole: no table names, no file layout, no SQLite or pg_dump header.
    for visible in (b"SQLite format", b"PGDMP", b"accounts_user", b"manifest.json", b"HBF1"):
        assert visible not in raw
    # Nothing left behind but the backup itself.
    assert [p.name for p in (settings.DATA_DIR / "backups").iterdir()] == [backup.name]


def test_backup_never_copies_the_keys_and_says_to_back_them_up_separately(data_dir, case_a):
    _, err = run_backup()
    assert "encryption keys are NOT in this backup" in err
    assert str(data_dir / "keys" / "harbour-keys.json") in err
    key_json = (data_dir / "keys" / "harbour-keys.json").read_text()
    index_key = re.search(r'"index_key": "([^"]+)"', key_json).group(1)
    content = the_backup(data_dir).read_bytes()
    assert index_key.encode() not in content
    assert b"harbour-keys/1" not in content
    assert b"Zebedee" not in content and b"Quillfeather" not in content


def test_backup_refuses_to_write_beside_the_keys(data_dir):
    with pytest.raises(CommandError, match="beside the encryption keys"):
        run_backup("--output-dir", str(data_dir / "keys"))
    with pytest.raises(CommandError, match="beside the encryption keys"):
        run_backup("--output-dir", str(data_dir / "keys" / "backups"))


def test_restore_brings_back_every_row_and_every_evidence_file_identically(stored, cast):
    from django.conf import settings

    before = everything()
    assert len(before["files"]) == 3
    run_backup()
    backup = the_backup(settings.DATA_DIR)

    # Afterwards: a new case, a changed case, a lost file and a stray one.
    Case.unscoped.filter(pk=stored.pk).update(status=Case.Status.CLOSED)
    services.store_evidence(
        stored,
        upload_file("later.txt", b"written after the backup\n"),
        kind="export",
        by=cast["alice"],
    )
    evidence = storages["evidence"]
    evidence.delete(next(iter(before["files"])))
    assert everything() != before

    out = run_restore(backup)
    assert "Restored the database and 3 evidence files" in out
    assert everything() == before
    assert not list((settings.DATA_DIR / "restore-staging").iterdir())


def test_restore_check_opens_the_whole_backup_and_changes_nothing(stored):
    from django.conf import settings

    run_backup()
    Case.unscoped.filter(pk=stored.pk).update(status=Case.Status.CLOSED)
    after = everything()
    out = run_restore(the_backup(settings.DATA_DIR), "--check")
    assert "The backup is intact and opens with this keyring" in out
    assert everything() == after


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda raw: raw[: len(raw) // 2], "cut short"),
        (lambda raw: raw[:-40] + bytes([raw[-40] ^ 1]) + raw[-39:], "was altered"),
        (lambda raw: raw + b"extra", "data after its end"),
        (lambda raw: b"PK\x03\x04" + raw[4:], "not a Harbour backup"),
    ],
    ids=["truncated", "one-bit-flipped", "appended-to", "not-a-backup"],
)
def test_a_damaged_backup_is_refused_with_the_reason_and_nothing_changes(stored, damage, reason):
    from django.conf import settings

    run_backup()
    backup = the_backup(settings.DATA_DIR)
    backup.write_bytes(damage(backup.read_bytes()))
    Case.unscoped.filter(pk=stored.pk).update(status=Case.Status.CLOSED)
    after = everything()
    with pytest.raises(CommandError, match=f"Refused: .*{reason}.*Nothing was changed"):
        run_restore(backup)
    assert everything() == after
    assert not list((settings.DATA_DIR / "restore-staging").iterdir())


def test_a_backup_made_under_another_keyring_is_refused_and_nothing_changes(stored, settings):
    run_backup()
    backup = the_backup(settings.DATA_DIR)
    after = everything()
    original = crypto.keyring()
    try:
        crypto.set_keyring(crypto.Keyring.generate())
        with pytest.raises(CommandError, match="made with a different keyring"):
            run_restore(backup)
    finally:
        crypto.set_keyring(original)
    assert everything() == after


def test_key_rotation_keeps_old_backups_restorable(stored, settings):
    run_backup()
    original = crypto.keyring()
    try:
        crypto.set_keyring(original.with_new_data_key())
        out = run_restore(the_backup(settings.DATA_DIR), "--check")
    finally:
        crypto.set_keyring(original)
    assert "intact" in out


def test_an_sqlite_snapshot_is_a_complete_database_that_opens_on_its_own(tmp_path):
    source = sqlite3.connect(tmp_path / "live.sqlite3")
    source.execute("PRAGMA journal_mode=WAL")
    source.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    source.executemany("INSERT INTO t (v) VALUES (?)", [(f"row {i}",) for i in range(500)])
    source.commit()
    target = tmp_path / "copy.sqlite3"
    snapshot_sqlite(source, target)
    source.execute("INSERT INTO t (v) VALUES ('after the backup')")
    source.commit()
    source.close()
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT count(*) FROM t").fetchone()[0] == 500
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copy.close()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not Path(f"{target}-wal").exists()


def test_an_sqlite_snapshot_gives_up_instead_of_hanging_on_a_locked_database(tmp_path):
    path = tmp_path / "live.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE t (v TEXT)")
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("INSERT INTO t VALUES ('x')")
    reader = sqlite3.connect(path, timeout=0)
    with pytest.raises(BackupError, match="stayed locked"):
        snapshot_sqlite(reader, tmp_path / "copy.sqlite3", wait_seconds=0.3)
    writer.execute("ROLLBACK")
    assert not (tmp_path / "copy.sqlite3").exists()


def test_an_sqlite_snapshot_never_overwrites_an_earlier_file(tmp_path):
    source = sqlite3.connect(":memory:")
    target = tmp_path / "copy.sqlite3"
    target.write_bytes(b"an earlier backup")
    with pytest.raises(BackupError, match="already exists"):
        snapshot_sqlite(source, target)
    assert target.read_bytes() == b"an earlier backup"


def test_without_pg_dump_the_operator_is_told_how_to_back_up_postgresql(tmp_path):
    database = {"NAME": "harbour", "USER": "harbour", "HOST": "db.internal", "PORT": 5433}
    with pytest.raises(BackupError, match="pg_dump was not found") as caught:
        snapshot_postgres(database, tmp_path / "harbour.dump", None)
    assert "--host=db.internal --port=5433 --username=harbour harbour" in str(caught.value)
    assert not (tmp_path / "harbour.dump").exists()


def test_a_failing_pg_dump_leaves_no_partial_file(tmp_path):
    failing = tmp_path / "pg_dump"
    failing.write_text("#!/bin/sh\necho 'connection refused' >&2\nexit 1\n")
    failing.chmod(0o700)
    with pytest.raises(BackupError, match="pg_dump failed .*connection refused"):
        snapshot_postgres({"NAME": "harbour"}, tmp_path / "harbour.dump", str(failing))
    assert not (tmp_path / "harbour.dump").exists()
