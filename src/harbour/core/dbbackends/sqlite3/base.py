"""Django's SQLite backend, with the database file created readable by its owner only, and the
query planner's statistics kept current.

SQLite gives the -wal, -shm and -journal files it creates the permissions of the database file, so
creating the database file 0600 (before SQLite opens it) makes all of them private. An existing file
with wider permissions is narrowed when Harbour connects.

Without statistics SQLite guesses, and at 100,000 cases it guessed badly: the caseload's
next-action column walked every open action in the database for every case shown (issue #8).
SQLite's own advice is to run ``PRAGMA optimize`` as each connection closes: it analyses only the
tables this connection used whose statistics are missing or stale, bounded by ``analysis_limit``.
It never waits for a busy writer: statistics can wait for the next connection, a request cannot.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper

PRIVATE = 0o600
COMPANIONS = ("", "-wal", "-shm", "-journal")


def make_private(path: Path) -> None:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    for suffix in COMPANIONS:
        companion = Path(f"{path}{suffix}")
        if companion.exists() and companion.stat().st_mode & 0o077:
            companion.chmod(PRIVATE)


def _file_of(name: Any) -> Path | None:
    text = str(name)
    if not text or text == ":memory:" or "mode=memory" in text or text.startswith("file:"):
        return None
    return Path(text)


class DatabaseWrapper(SQLiteDatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        path = _file_of(conn_params.get("database", ""))
        if path is not None:
            make_private(path)
        connection = super().get_new_connection(conn_params)
        if path is not None:
            make_private(path)  # the -wal and -shm files opened by the init command
        elif "cache=shared" in str(conn_params.get("database", "")):
            # The test suite's in-memory database is shared between the connections of one
            # process (the live server's threads, the chat's event streams). In shared-cache mode
            # a reader takes a table lock that makes a concurrent writer fail at once with
            # "database table is locked" (no busy timeout applies). Reading uncommitted rows
            # lifts the readers' locks; a file database (any real deployment) uses WAL instead.
            connection.execute("PRAGMA read_uncommitted = true")
        return connection

    def _close(self) -> Any:
        if self.connection is not None and not self.in_atomic_block:
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute("PRAGMA busy_timeout = 0")
                self.connection.execute("PRAGMA analysis_limit = 1000")
                self.connection.execute("PRAGMA optimize")
        return super()._close()  # type: ignore[misc]  # django-stubs omits this private hook
