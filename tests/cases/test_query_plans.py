"""The caseload's queries are planned through the indexes made for them, on SQLite and PostgreSQL.

At 100,000 cases the next-action column was once planned through the (status, due date) index of
actions, walking every open action in the database for every case shown (issue #8). These tests
read the database's own plan. PostgreSQL prefers a sequential scan of tiny test tables whatever the
indexes, so there the test forbids sequential scans for the EXPLAIN, which asks "is an index usable
for this?" rather than "is it cheapest at this size?".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from harbour.cases.models import Case
from harbour.cases.queries import last_contacts, open_actions
from harbour.core.statistics import analyse_database
from tests.cases.test_list_costs import add_unit


@pytest.fixture
def planned(orgs: dict[str, Any], cast: dict[str, Any]) -> Iterator[None]:
    for n in range(6):
        add_unit(orgs, cast, n)
    analyse_database()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
        yield
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
    else:
        yield


def plan_of(qs: Any) -> str:
    return str(qs.explain())


def read_by_index(plan: str, index: str, table: str) -> bool:
    """SQLite names the index it chose. PostgreSQL's choice among usable indexes on a few test rows
    is arbitrary, so there the test is that no index-less scan of the table was needed."""
    if connection.vendor == "postgresql":
        return f"Seq Scan on {table}" not in plan
    return index in plan


def test_caseload_columns_use_each_records_case_index(planned: None, cast: dict[str, Any]) -> None:
    page_ids = list(
        Case.objects.for_user(cast["alice"]).order_by("-opened_at").values_list("pk", flat=True)
    )[:50]
    plan = plan_of(open_actions(page_ids).values_list("case_id", "due_on", "area"))
    assert read_by_index(plan, "action_case_status_due", "cases_supportaction")
    plan += plan_of(last_contacts(page_ids))
    assert read_by_index(plan, "contact_case_at", "cases_contactlogentry")
    if connection.vendor == "sqlite":
        assert "action_owner_status_due" not in plan
        assert "action_status_due" not in plan.replace("action_case_status_due", "")


def test_a_caseload_sorted_by_risk_is_read_through_the_risk_index(
    planned: None, cast: dict[str, Any]
) -> None:
    open_cases = Case.objects.for_user(cast["mia"]).filter(status=Case.Status.OPEN)
    plan = plan_of(open_cases.order_by("-risk_level", "-opened_at", "-pk").values("pk")[:50])
    assert read_by_index(plan, "case_org_risk", "cases_case")


def test_an_advocates_own_caseload_is_read_through_the_allocation_index(
    planned: None, cast: dict[str, Any]
) -> None:
    mine = Case.objects.for_user(cast["alice"]).filter(
        allocated_to=cast["alice"], status=Case.Status.OPEN
    )
    plan = plan_of(mine.order_by("-opened_at", "-pk").values("pk")[:50])
    assert read_by_index(plan, "case_allocated", "cases_case")


def test_a_managers_list_is_read_in_order_through_the_organisation_index(
    planned: None, cast: dict[str, Any]
) -> None:
    everything = Case.objects.for_user(cast["mia"]).order_by("-opened_at", "-pk").values("pk")
    plan = plan_of(everything[:50])
    assert read_by_index(plan, "case_org_", "cases_case")


def test_one_cases_records_are_scoped_without_the_visible_case_set(
    planned: None, cast: dict[str, Any]
) -> None:
    from harbour.cases.models import ContactLogEntry

    case = Case.objects.for_user(cast["alice"]).first()
    assert case is not None
    sql = str(ContactLogEntry.objects.for_user(cast["alice"]).filter(case=case).query)
    assert "DISTINCT" not in sql.upper()
    # The only subqueries are the user's own few rows (cases they are named on, emergency grants
    # they hold), never a reading of the cases table: the visible-case set is not rebuilt.
    subqueries = re.findall(r"IN \(SELECT (.*?) WHERE", sql)
    assert subqueries
    assert all(
        re.search(r'FROM "(cases_case_named_users|cases_breakglassgrant)"( U0)?$', sub)
        for sub in subqueries
    ), subqueries
    plan = plan_of(
        ContactLogEntry.objects.for_user(cast["alice"]).filter(case=case).order_by("-at")
    )
    assert read_by_index(plan, "contact_case_at", "cases_contactlogentry")
