"""Encrypted backups of the database and the evidence files, and restoring them. No Django models.

A backup file (``harbour-YYYYmmddTHHMMSSZ.hbk``) is:

``HBK1`` | key check (32 bytes) | a sealed stream (``evidence.sealedfile`` layout) of a tar archive.

The stream is sealed under a key derived from the keyring's index key (``Keyring.derived_key``), so
a backup opens only with the keyring it was made under (rotation adds data keys and keeps the index
key, so old backups stay readable) and the keyring itself is never inside it. The key check (an
HMAC of a fixed text under that key) lets restore tell "wrong keyring" from "damaged file" and say
which. Chunks are authenticated, numbered and the last one marked, so a file altered, cut short or
spliced is refused.

The tar holds ``database.sqlite3`` (SQLite's online backup API: one consistent snapshot while
Harbour runs) or ``database.dump`` (``pg_dump --format=custom``: one transaction snapshot), then
every file in the ``evidence`` storage under ``evidence/`` (stored bytes, already encrypted by
Harbour), then ``manifest.json`` with each member's size and SHA-256. The database is copied first:
evidence files are written before the rows that name them commit, so every file the snapshot names
is in the backup (a file uploaded meanwhile may be in it too, unnamed by any row: harmless).

Restore reads the whole backup into a private staging directory and checks everything (key,
every chunk, every member's hash, the database kind) *before* it changes anything; a refusal says
why and leaves the database and the evidence files as they were.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.files.base import File
from django.core.files.storage import Storage

from harbour.core.crypto import Keyring

MAGIC = b"HBK1"
FORMAT = "harbour-backup/1"
CHUNK = 1024 * 1024
_KEY_CHECK_TEXT = b"harbour backup key check"
_CONTEXT = b"harbour backup"
_LEN = struct.Struct(">I")
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


class BackupError(RuntimeError):
    """A backup could not be written, or a backup file was refused (the message says why)."""


def backup_key(ring: Keyring) -> bytes:
    return ring.derived_key("backup")


def _key_check(key: bytes) -> bytes:
    return hmac.new(key, _KEY_CHECK_TEXT, hashlib.sha256).digest()


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


class SealingWriter(io.RawIOBase):
    """A write-only file object that seals what is written in numbered chunks, the last marked."""

    def __init__(self, target: IO[bytes], key: bytes) -> None:
        super().__init__()
        self._target = target
        self._aead = AESGCM(key)
        self._prefix = os.urandom(7)
        self._buffer = bytearray()
        self._counter = 0
        target.write(MAGIC + _key_check(key) + self._prefix)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += bytes(data)
        # Keep at least one byte back so the final chunk is never empty-and-unmarked.
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._counter, last), plain, _CONTEXT)
        self._target.write(_LEN.pack(len(sealed)) + sealed)
        self._counter += 1

    def finish(self) -> None:
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()


def open_backup(source: IO[bytes], key: bytes) -> Iterator[bytes]:
    """Yield the plaintext of a backup chunk by chunk; raises ``BackupError`` saying why not."""
    header = source.read(len(MAGIC) + 32 + 7)
    if len(header) < len(MAGIC) or header[: len(MAGIC)] != MAGIC:
        raise BackupError("this is not a Harbour backup file")
    if len(header) != len(MAGIC) + 32 + 7:
        raise BackupError("the backup is damaged: it ends inside its header")
    check, prefix = header[len(MAGIC) : len(MAGIC) + 32], header[len(MAGIC) + 32 :]
    if not hmac.compare_digest(check, _key_check(key)):
        raise BackupError(
            "the backup was made with a different keyring: restore needs the keyring (key file "
            "or HARBOUR_KEYS) that was in use when it was made"
        )
    aead = AESGCM(key)
    counter = 0
    while True:
        raw_len = source.read(_LEN.size)
        if len(raw_len) != _LEN.size:
            raise BackupError(f"the backup is damaged: it is cut short after chunk {counter}")
        (length,) = _LEN.unpack(raw_len)
        if length > CHUNK + 16:
            raise BackupError(f"the backup is damaged: chunk {counter} has an impossible length")
        sealed = source.read(length)
        if len(sealed) != length:
            raise BackupError(f"the backup is damaged: it is cut short in chunk {counter}")
        for last in (False, True):
            try:
                plain = aead.decrypt(_nonce(prefix, counter, last), sealed, _CONTEXT)
            except InvalidTag:
                continue
            break
        else:
            raise BackupError(f"the backup is damaged: chunk {counter} was altered")
        yield plain
        if last:
            if source.read(1):
                raise BackupError("the backup is damaged: there is data after its end")
            return
        counter += 1


class _ChunkReader(io.RawIOBase):
    """A readable file object over an iterator of byte chunks (for tarfile's stream mode)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


class _HashingReader:
    def __init__(self, source: IO[bytes]) -> None:
        self._source = source
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self._source.read(n)
        self.sha256.update(data)
        self.size += len(data)
        return data


# --- taking a backup -----------------------------------------------------------------------------


def exclusive_file(path: Path) -> int:
    """Create ``path`` owner-only, failing if it exists (never overwrite a backup); returns an fd."""
    try:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{path} already exists; try again in a second.") from None


def snapshot_sqlite(source: sqlite3.Connection, target: Path, *, wait_seconds: float = 60) -> None:
    """Copy ``source`` into a new file ``target`` with the online backup API, in one step (one
    consistent snapshot while Harbour writes); gives up after ``wait_seconds`` of locks."""
    deadline = time.monotonic() + wait_seconds

    def give_up_when_locked_too_long(status: int, remaining: int, total: int) -> None:
        if status in (_SQLITE_BUSY, _SQLITE_LOCKED) and time.monotonic() > deadline:
            raise BackupError(f"The database stayed locked for {wait_seconds:g}s; try again.")

    os.close(exclusive_file(target))
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy, pages=-1, progress=give_up_when_locked_too_long, sleep=0.1)
            copy.execute("PRAGMA journal_mode=DELETE")  # self-contained: no write-ahead log
            result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
        if result != "ok":
            raise BackupError(f"The copy failed its integrity check: {result}")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    os.chmod(target, 0o600)


def _pg_args(database: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "PGPASSWORD": str(database.get("PASSWORD") or "")}
    args = ["--no-password"]
    if database.get("HOST"):
        args.append(f"--host={database['HOST']}")
    if database.get("PORT"):
        args.append(f"--port={database['PORT']}")
    if database.get("USER"):
        args.append(f"--username={database['USER']}")
    return args, env


def snapshot_postgres(database: dict[str, Any], target: Path, pg_dump: str | None) -> None:
    """``pg_dump --format=custom`` of ``database`` (Django settings) into ``target``."""
    if pg_dump is None:
        raise BackupError(
            "pg_dump was not found. Back up PostgreSQL with pg_dump, for example:\n"
            f"  pg_dump --format=custom --file={target} "
            f"--host={database.get('HOST') or 'localhost'} --port={database.get('PORT') or 5432} "
            f"--username={database.get('USER')} {database.get('NAME')}\n"
            "or run `harbour backup --pg-dump /path/to/pg_dump`."
        )
    os.close(exclusive_file(target))
    args, env = _pg_args(database)
    command = [pg_dump, "--format=custom", f"--file={target}", *args, str(database["NAME"])]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed ({result.returncode}): {result.stderr.strip()}")
    os.chmod(target, 0o600)


def storage_files(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name in ``storage`` (recursively), in a stable order."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(directories):
        yield from storage_files(storage, f"{directory}/{sub}" if directory else sub)


@dataclass
class BackupSummary:
    path: Path
    size: int
    database_bytes: int
    evidence_files: int
    evidence_bytes: int
    members: dict[str, dict[str, Any]] = field(default_factory=dict)


def write_backup(
    target: Path, *, key: bytes, database_file: Path, database_kind: str, evidence: Storage
) -> BackupSummary:
    """Seal ``database_file`` and every evidence file into a new backup file ``target``."""
    fd = exclusive_file(target)
    members: dict[str, dict[str, Any]] = {}
    try:
        with os.fdopen(fd, "wb") as handle:
            writer = SealingWriter(handle, key)
            with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as archive:

                def add(name: str, source: IO[bytes], size: int) -> None:
                    info = tarfile.TarInfo(name)
                    info.size, info.mode, info.mtime = size, 0o600, 0
                    reader = _HashingReader(source)
                    archive.addfile(info, reader)
                    if reader.size != size:
                        raise BackupError(f"{name} changed size while it was copied")
                    members[name] = {"size": size, "sha256": reader.sha256.hexdigest()}

                db_name = "database.sqlite3" if database_kind == "sqlite" else "database.dump"
                with database_file.open("rb") as db:
                    add(db_name, db, database_file.stat().st_size)
                for name in storage_files(evidence):
                    with evidence.open(name, "rb") as stored:
                        add(f"evidence/{name}", stored, evidence.size(name))
                manifest = json.dumps(
                    {"format": FORMAT, "database": database_kind, "members": members},
                    indent=1,
                    sort_keys=True,
                ).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mode, info.mtime = len(manifest), 0o600, 0
                archive.addfile(info, io.BytesIO(manifest))
            writer.finish()
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    evidence_members = [m for n, m in members.items() if n.startswith("evidence/")]
    return BackupSummary(
        path=target,
        size=target.stat().st_size,
        database_bytes=next(m["size"] for n, m in members.items() if n.startswith("database.")),
        evidence_files=len(evidence_members),
        evidence_bytes=sum(m["size"] for m in evidence_members),
        members=members,
    )


# --- restoring -----------------------------------------------------------------------------------


@dataclass
class StagedBackup:
    directory: Path
    database_kind: str
    database_file: Path
    evidence_names: list[str]

    def cleanup(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def _safe_member_name(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and ".." not in parts and "" not in parts


def stage_backup(backup: Path, *, key: bytes, staging_parent: Path) -> StagedBackup:
    """Open, decrypt and check a whole backup into a private directory; nothing else is touched.

    Raises ``BackupError`` naming what is wrong (wrong keyring, damaged or cut short, a member
    whose hash does not match the manifest, a missing or unexpected member)."""
    staging_parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    directory = Path(tempfile.mkdtemp(prefix="restore-", dir=staging_parent))
    try:
        seen: dict[str, dict[str, Any]] = {}
        manifest: dict[str, Any] | None = None
        try:
            with backup.open("rb") as handle:
                stream = _ChunkReader(open_backup(handle, key))
                with tarfile.open(fileobj=stream, mode="r|") as archive:
                    for info in archive:
                        if not info.isfile() or not _safe_member_name(info.name):
                            raise BackupError(f"the backup holds an unexpected entry {info.name!r}")
                        source = archive.extractfile(info)
                        assert source is not None
                        if info.name == "manifest.json":
                            manifest = json.loads(source.read(1024 * 1024 * 64))
                            continue
                        path = directory / "members" / info.name
                        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                        digest = hashlib.sha256()
                        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                        with os.fdopen(fd, "wb") as out:
                            while block := source.read(CHUNK):
                                digest.update(block)
                                out.write(block)
                        seen[info.name] = {"size": info.size, "sha256": digest.hexdigest()}
                # Read to the authenticated end: tar stops at its end marker, the file must not.
                while stream.read(CHUNK):
                    pass
        except tarfile.TarError as exc:
            raise BackupError(f"the backup is damaged: its archive is unreadable ({exc})") from None
        if manifest is None or manifest.get("format") != FORMAT:
            raise BackupError("the backup is damaged or incomplete: it has no manifest")
        expected: dict[str, dict[str, Any]] = manifest["members"]
        for name in sorted(set(expected) | set(seen)):
            if name not in seen:
                raise BackupError(f"the backup is incomplete: {name} is missing")
            if name not in expected:
                raise BackupError(f"the backup holds {name}, which its manifest does not list")
            if seen[name] != expected[name]:
                raise BackupError(f"the backup is damaged: {name} does not match its manifest")
        kind = manifest["database"]
        db_name = "database.sqlite3" if kind == "sqlite" else "database.dump"
        if db_name not in seen:
            raise BackupError("the backup holds no database")
        return StagedBackup(
            directory=directory,
            database_kind=kind,
            database_file=directory / "members" / db_name,
            evidence_names=sorted(n.removeprefix("evidence/") for n in seen if n != db_name),
        )
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


def restore_sqlite(staged: Path, live: sqlite3.Connection) -> None:
    """Replace the live database's content with the staged copy, in one step (backup API)."""
    source = sqlite3.connect(staged)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("the database in the backup fails SQLite's integrity check")
        source.backup(live, pages=-1)
    finally:
        source.close()


def restore_postgres(database: dict[str, Any], staged: Path, pg_restore: str | None) -> None:
    """``pg_restore --clean`` the staged dump into ``database`` in a single transaction."""
    if pg_restore is None:
        raise BackupError("pg_restore was not found; pass --pg-restore /path/to/pg_restore")
    args, env = _pg_args(database)
    command = [
        pg_restore,
        "--clean",
        "--if-exists",
        "--single-transaction",
        "--no-owner",
        "--exit-on-error",
        f"--dbname={database['NAME']}",
        *args,
        str(staged),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed ({result.returncode}): {result.stderr.strip()}")


def restore_evidence(staged: StagedBackup, evidence: Storage) -> tuple[int, int]:
    """Make the evidence storage hold exactly the backup's files; returns (written, removed)."""
    wanted = set(staged.evidence_names)
    removed = 0
    for name in list(storage_files(evidence)):
        if name not in wanted:
            evidence.delete(name)
            removed += 1
    for name in staged.evidence_names:
        if evidence.exists(name):
            evidence.delete(name)
        with (staged.directory / "members" / "evidence" / name).open("rb") as handle:
            saved = evidence.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"the evidence storage renamed {name} to {saved}")
    return len(wanted), removed
