"""Planner statistics after bulk changes (demo data, imports, restores), on either database."""

from __future__ import annotations

from django.db import connection


def analyse_database() -> None:
    """Refresh the query planner's statistics for every table (``ANALYZE`` on both backends)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 0")  # full statistics: this is a one-off
        cursor.execute("ANALYZE")
