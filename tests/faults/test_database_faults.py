"""The database failing during a write (read-only, or its disk full) gives a clear error page, not
a crash: it says what is wrong, that nothing of this request was saved and nothing before was lost;
and once the fault clears, the same request works.

How the faults are made without root: SQLite's ``PRAGMA max_page_count`` caps the database at its
current size (a write that needs another page fails exactly as on a full disk: "database or disk is
full"); ``PRAGMA query_only`` (SQLite) or ``default_transaction_read_only`` (PostgreSQL) refuses
every write, as a read-only replica or a database being failed over does. The full-disk case runs
where the cap exists (SQLite); PostgreSQL's equivalent needs a full filesystem.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from harbour.cases.models import Client, ContactLogEntry
from tests.conftest import page_of

pytestmark = pytest.mark.django_db(transaction=True)

SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


@contextmanager
def disk_full() -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {int(pages)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 1073741823")


@contextmanager
def read_only() -> Iterator[None]:
    on, off = (
        ("PRAGMA query_only = 1", "PRAGMA query_only = 0")
        if connection.vendor == "sqlite"
        else ("SET default_transaction_read_only = on", "SET default_transaction_read_only = off")
    )
    with connection.cursor() as cursor:
        cursor.execute(on)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(off)


FAULTS = {"read-only": (read_only, "read-only")}
if SQLITE:
    FAULTS["disk-full"] = (disk_full, "database is full")


def contact(note: str) -> dict[str, str]:
    today = timezone.localdate().isoformat()
    return {"method": "phone", "direction": "out", "on": today, "at": "10:00", "note": note}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_write_during_a_database_fault_gets_a_clear_error_and_loses_nothing(
    fault, case_a, as_user
):
    make_fault, words = FAULTS[fault]
    alice = as_user("alice")
    alice.raise_request_exception = False
    url = f"/cases/{case_a.public_id}/contacts/new/"
    assert alice.post(url, contact("First call, all well.")).status_code == 302
    # Large enough to need new pages whatever free space the file has.
    big = "Long call about the doorbell camera footage. " * 40_000

    with make_fault():
        response = alice.post(url, contact(big))
    html = page_of(response, "Sorry, Harbour could not save or show this just now", status=503)
    assert words in html
    assert "Nothing from what you just did was saved" in html
    assert response["Retry-After"] == "120"
    assert big[:40] not in html

    # What was saved before is all there, and nothing of the failed request is.
    assert [e.note for e in ContactLogEntry.unscoped.filter(case=case_a)] == [
        "First call, all well."
    ]
    assert Client.unscoped.get(pk=case_a.client_id).given_name == "Zebedee"

    # The fault cleared, the same request works.
    assert alice.post(url, contact(big)).status_code == 302
    assert ContactLogEntry.unscoped.filter(case=case_a).count() == 2


def test_the_api_answers_a_database_fault_in_json(orgs, client):
    from harbour.api.models import ApiToken

    token = ApiToken.issue(orgs["police"], "fault")[1]
    client.raise_request_exception = False
    with read_only():
        response = client.post(
            "/api/v1/referrals",
            "{}",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert response.status_code == 503
    assert "read-only" in response.json()["error"]
