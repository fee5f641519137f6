"""The home page's open and overdue referral figures are read from the queue's index alone: every
column the query names is in ``referral_queue_due``, so neither database reads the provider's
referrals themselves (at 100,000 cases that was every referral the provider ever had)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harbour.core.statistics import analyse_database
from harbour.referrals.home import referrals_home

pytestmark = pytest.mark.django_db


def test_the_figures_name_only_indexed_columns_and_sqlite_reads_only_the_index(
    cast: dict[str, Any],
) -> None:
    analyse_database()
    with CaptureQueriesContext(connection) as ran:
        figures = referrals_home(cast["alice"])
    assert figures == {"referrals_open": 0, "referrals_overdue": 0}
    (query,) = ran.captured_queries
    sql = query["sql"]
    assert '"referrals_referral"."id"' not in sql  # the primary key is not in the index
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "USING COVERING INDEX referral_queue_due" in plan, plan
        else:
            cursor.execute("SET enable_seqscan = off")
            try:
                cursor.execute("EXPLAIN " + sql)
                plan = " ".join(row[0] for row in cursor.fetchall())
            finally:
                cursor.execute("RESET enable_seqscan")
            assert "Seq Scan on referrals_referral" not in plan, plan
