"""Planner statistics after bulk changes (demo data, imports, restores, migrations), on either
database.

SQLite plans with the statistics ``ANALYZE`` leaves in ``sqlite_stat1``. An index with no row there
(one a migration has just added to a database analysed before) looks to the planner better than it
is: at 100,000 cases the new reporting index ``case_reporting`` was chosen for an advocate's own
open cases, walking all 25,000 of the organisation's cases instead of 300 (issue #8). So every
index must have statistics: :func:`analyse_unanalysed` fills in the missing ones (after each
``migrate`` and when the server starts), and each connection's ``PRAGMA optimize`` as it closes
keeps the rest current. PostgreSQL's autovacuum analyses tables itself.
"""

from __future__ import annotations

from typing import Any

from django.db import connection as default_connection


def analyse_database() -> None:
    """Refresh the query planner's statistics for every table (``ANALYZE`` on both backends)."""
    with default_connection.cursor() as cursor:
        if default_connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 0")  # full statistics: this is a one-off
        cursor.execute("ANALYZE")


def unanalysed_tables(connection: Any = default_connection) -> list[str]:
    """SQLite tables with at least one index the planner has no statistics for (an empty table
    has none to give, so it is not listed)."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        analysed = cursor.fetchone() is not None
        missing = "AND m.name NOT IN (SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL)"
        query = (
            "SELECT DISTINCT m.tbl_name FROM sqlite_master m WHERE m.type = 'index'"  # noqa: S608 - literals only
            f" AND m.tbl_name NOT LIKE 'sqlite_%' {missing if analysed else ''} ORDER BY 1"
        )
        cursor.execute(query)
        tables = [row[0] for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        return [
            table
            for table in tables
            if cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1").fetchone() is not None  # noqa: S608 - a name from sqlite_master, quoted
        ]


def analyse_unanalysed(connection: Any = default_connection) -> list[str]:
    """``ANALYZE`` each SQLite table an index of which has no statistics; the tables analysed."""
    tables = unanalysed_tables(connection)
    if tables:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit = 0")
            for table in tables:
                cursor.execute(f"ANALYZE {quote(table)}")
    return tables
