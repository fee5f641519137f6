"""The fixed test cast (see docs/testing.md) and helpers shared by every test module.

Provider A ("Northshire Advocacy") has Alice (advocate), Amir (second advocate), Mia (manager),
Tariq (trainer) and Ada (admin). Provider B ("Southshire Support") has Bob (advocate) and Bea
(manager). Pete is a police coordinator, Cora a commissioner, Priya a programme practitioner.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.http.response import HttpResponseBase
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.accounts.backends import PATH as STAFF_BACKEND
from harbour.accounts.middleware import SESSION_SEEN, SESSION_STARTED
from harbour.accounts.models import Organisation, ServiceArea, User
from harbour.cases.models import Case
from harbour.cases.services import open_case

PASSWORD = "correct horse battery staple"

CAST = {
    # name: (organisation key, role)
    "alice": ("provider_a", "advocate"),
    "amir": ("provider_a", "advocate"),
    "mia": ("provider_a", "manager"),
    "tariq": ("provider_a", "trainer"),
    "ada": ("provider_a", "admin"),
    "bob": ("provider_b", "advocate"),
    "bea": ("provider_b", "manager"),
    "pete": ("police", "police_coordinator"),
    "cora": ("commissioner", "commissioner"),
    "priya": ("programme", "programme_practitioner"),
}
ROLES = tuple(CAST)


@contextmanager
def assert_query_count(expected: int) -> Iterator[CaptureQueriesContext]:
    """Exactly ``expected`` database queries inside the block (zulip's
    ``assert_database_query_count``): more is an N+1 or a new query to justify, fewer a claim to
    bring up to date. A failure lists every query that ran.
    """
    with CaptureQueriesContext(connection) as captured:
        yield captured
    ran = captured.captured_queries
    if statements(captured) != expected:
        listing = "\n".join(f"  {i}. {q['sql'][:400]}" for i, q in enumerate(ran, start=1))
        raise AssertionError(f"expected {expected} queries, {statements(captured)} ran:\n{listing}")


#: How PostgreSQL begins the one statement that writes an audit row and moves the chain head.
AUDIT_INSERT_AND_MOVE = 'WITH event AS (INSERT INTO "audit_auditevent"'


def statements(captured: CaptureQueriesContext) -> int:
    """The statements that ran, counted as SQLite runs them, the one count each test pins: on
    PostgreSQL an audit row's insert and the chain head's move are one statement, on SQLite two
    (``harbour.audit.log``; ``tests/audit/test_chain.py`` pins each database's own figure)."""
    ran = captured.captured_queries
    return len(ran) + sum(1 for q in ran if q["sql"].startswith(AUDIT_INSERT_AND_MOVE))


def page_of(response: HttpResponseBase, title: str, status: int = 200) -> str:
    """The HTML of a response, once it is shown to be the page meant: its status and its title.

    Use it before asserting that something is *absent*, so that an error page, a redirect or an
    empty body cannot pass for a page that leaves the thing out.
    """
    where = response.get("Location", "")
    assert response.status_code == status, f"expected {status}, got {response.status_code} {where}"
    body = response.content.decode()
    assert f"<title>{title} - Harbour</title>" in body, f"not the {title!r} page"
    return body


def make_orgs() -> dict[str, Organisation]:
    """The cast's organisations; fixtures and the role x URL matrix both build them here."""
    made = {
        "provider_a": Organisation.objects.create(name="Northshire Advocacy", kind="provider"),
        "provider_b": Organisation.objects.create(name="Southshire Support", kind="provider"),
        "police": Organisation.objects.create(name="Northshire Police", kind="police_force"),
        "commissioner": Organisation.objects.create(
            name="Office of the Northshire PCC", kind="commissioner"
        ),
        "programme": Organisation.objects.create(
            name="Northshire Change Programme", kind="perpetrator_programme"
        ),
    }
    ServiceArea.objects.create(organisation=made["provider_a"], postcode_district="NS1")
    ServiceArea.objects.create(organisation=made["provider_b"], postcode_district="SS1")
    return made


def make_cast(orgs: dict[str, Organisation]) -> dict[str, User]:
    """The cast itself, each with a confirmed authenticator."""
    people = {}
    for name, (org_key, role) in CAST.items():
        user = User(username=name, organisation=orgs[org_key], role=role, full_name=name.title())
        user.set_password(PASSWORD)
        user.save()
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        people[name] = user
    return people


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: nothing kept from another test's data."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def orgs(db: None) -> dict[str, Organisation]:
    return make_orgs()


@pytest.fixture
def cast(orgs: dict[str, Organisation]) -> dict[str, User]:
    return make_cast(orgs)


def signed_in_client(user: User) -> HttpClient:
    """A test client signed in with a verified second factor, as the real flow leaves it."""
    client = HttpClient()
    client.force_login(user, backend=STAFF_BACKEND)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    now = time.time()
    session[SESSION_STARTED] = now
    session[SESSION_SEEN] = now
    session.save()
    return client


@pytest.fixture
def steady_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """For query-count pins: the once-a-minute write of the session's activity stamp must not land
    inside a measurement when a loaded machine takes more than a minute between two requests."""
    from harbour.accounts import middleware

    monkeypatch.setattr(middleware, "SEEN_EVERY_SECONDS", 24 * 3600)


@pytest.fixture
def as_user(cast: dict[str, User]) -> Callable[[str], HttpClient]:
    return lambda name: signed_in_client(cast[name])


@pytest.fixture
def case_a(cast: dict[str, User], orgs: dict[str, Organisation]) -> Case:
    """An open case at provider A allocated to Alice, with a synthetic client."""
    return open_case(
        organisation=orgs["provider_a"],
        client_fields={
            "given_name": "Zebedee",
            "family_name": "Quillfeather",
            "phone": "07700 900123",
            "email": "zq@example.org",
            "address": "14 Larkspur Crescent\nNorthtown",
            "postcode": "NS1 4ZZ",
        },
        by=cast["mia"],
        allocated_to=cast["alice"],
        source="test",
    )


@pytest.fixture
def case_b(cast: dict[str, User], orgs: dict[str, Organisation]) -> Case:
    return open_case(
        organisation=orgs["provider_b"],
        client_fields={"given_name": "Ottoline", "family_name": "Brackwater"},
        by=cast["bea"],
        allocated_to=cast["bob"],
        source="test",
    )
