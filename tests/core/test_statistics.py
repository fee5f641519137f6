"""Every SQLite index has planner statistics: a migration's new index is analysed at once."""

from __future__ import annotations

import pytest
from django.db import connection

from harbour.core.statistics import analyse_unanalysed, unanalysed_tables


def _make_table(rows: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE stats_probe (kind INTEGER, at INTEGER)")
        for n in range(rows):
            cursor.execute("INSERT INTO stats_probe VALUES (%s, %s)", [n % 3, n])


@pytest.mark.django_db
def test_a_new_index_on_a_table_with_rows_is_found_and_analysed() -> None:
    if connection.vendor != "sqlite":
        assert unanalysed_tables() == []  # PostgreSQL's autovacuum analyses tables itself
        return
    _make_table(50)
    analyse_unanalysed()
    assert "stats_probe" not in unanalysed_tables()
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX stats_probe_kind ON stats_probe (kind, at)")
    assert "stats_probe" in unanalysed_tables()

    assert "stats_probe" in analyse_unanalysed()

    assert "stats_probe" not in unanalysed_tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'stats_probe_kind'")
        assert cursor.fetchone()[0].startswith("50 ")


@pytest.mark.django_db
def test_an_empty_table_is_not_analysed_for_nothing() -> None:
    if connection.vendor != "sqlite":
        assert analyse_unanalysed() == []
        return
    _make_table(0)
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX stats_probe_kind ON stats_probe (kind)")
    assert "stats_probe" not in unanalysed_tables()
