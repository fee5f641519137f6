"""Django's SQLite backend, keeping the query planner's statistics current.

Without statistics SQLite guesses, and at 100,000 cases it guessed badly: the caseload's
next-action column walked every open action in the database for every case shown (issue #8).
SQLite's own advice is to run ``PRAGMA optimize`` as each connection closes: it analyses only the
tables this connection used whose statistics are missing or stale, bounded by ``analysis_limit``.
It never waits for a busy writer: statistics can wait for the next connection, a request cannot.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def _close(self) -> Any:
        if self.connection is not None and not self.in_atomic_block:
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute("PRAGMA busy_timeout = 0")
                self.connection.execute("PRAGMA analysis_limit = 1000")
                self.connection.execute("PRAGMA optimize")
        return super()._close()  # type: ignore[misc]  # django-stubs omits this private hook
