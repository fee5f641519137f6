"""The role x URL matrix: every URL in the project, every member of the cast, one expected status.

Routes come from every ``tests/access/expect_*.py`` module (the contract is in routes.py). The
coverage test fails when the project has a URL name (and declared method) no module lists, so no
page can be added unchecked. Django's admin is one group checked here: only a verified superuser may
use it, and nobody in the cast is one.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from types import ModuleType
from typing import Any

import pytest
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

import tests.access
from harbour.accounts.backends import PATH as STAFF_BACKEND
from harbour.accounts.middleware import is_public_path
from tests.access.routes import PEOPLE, Route, World
from tests.conftest import PASSWORD, make_cast, make_orgs, signed_in_client

SIGN_IN = "/accounts/sign-in/"
ADMIN_NAMESPACE = "admin"
CHECKED_METHODS = ("GET", "POST")
#: What a view that declares no methods accepts: anything (Django does not refuse a POST to it).
EVERY_METHOD = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


# Collecting the expectations ---------------------------------------------------------------------


def expectation_modules() -> list[ModuleType]:
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(tests.access.__path__)
        if info.name.startswith("expect_")
    )
    return [importlib.import_module(f"tests.access.{name}") for name in names]


@dataclass(frozen=True)
class Listed:
    module: ModuleType
    route: Route

    @property
    def build(self) -> Callable[[World], None] | None:
        return getattr(self.module, "build", None)


def listed_routes() -> list[Listed]:
    return [Listed(m, r) for m in expectation_modules() for r in m.ROUTES]


def route_ids(listed: list[Listed]) -> list[str]:
    seen: dict[str, int] = {}
    ids = []
    for item in listed:
        base = f"{item.route.name}-{item.route.method}"
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


LISTED = listed_routes()


# Walking the project's URLs ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    route: str  # the full pattern text, e.g. "cases/<uuid:public_id>/"
    name: str | None  # namespaced, e.g. "cases:detail"; None when the pattern has no name
    namespace: str
    callback: Callable[..., Any]
    converters: dict[str, Any]


def walk_urls(
    resolver: URLResolver | None = None,
    prefix: str = "",
    namespace: str = "",
    converters: dict[str, Any] | None = None,
) -> Iterator[Pattern]:
    resolver = resolver or get_resolver()
    converters = converters or {}
    for entry in resolver.url_patterns:
        text = prefix + str(entry.pattern)
        found = {**converters, **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk_urls(entry, text, inner, found)
        else:
            assert isinstance(entry, URLPattern)
            name = None
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Pattern(text, name, namespace, entry.callback, found)


def declared_methods(view: Callable[..., Any]) -> set[str]:
    """The methods a view declares (require_http_methods / require_POST, or a class's handlers).

    A view that declares nothing accepts every method, so it needs a Route for GET and for POST;
    declare the methods a view takes (``require_GET`` for a page) instead.
    """
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return {
            m.upper()
            for m in view_class.http_method_names
            if m not in ("head", "options") and hasattr(view_class, m)
        }
    func: Any = view
    while func is not None:
        if inspect.isfunction(func):
            allowed = inspect.getclosurevars(func).nonlocals.get("request_method_list")
            if allowed is not None:
                return {m.upper() for m in allowed}
        func = getattr(func, "__wrapped__", None)
    return set(EVERY_METHOD)


def project_patterns() -> list[Pattern]:
    return list(walk_urls())


# Requests ----------------------------------------------------------------------------------------


class Visitors:
    """One test client whose cookies are swapped per person.

    Each Django test client loads the whole middleware stack on its first request (WhiteNoise then
    scans every static file), so the matrix keeps one client and changes who it is instead.
    """

    client: HttpClient | None = None

    def __init__(self, sessions: dict[str, SimpleCookie]) -> None:
        self.sessions = sessions
        if Visitors.client is None:
            Visitors.client = HttpClient()

    def as_(self, person: str) -> HttpClient:
        client = Visitors.client
        assert client is not None
        client.cookies = SimpleCookie(self.sessions.get(person, SimpleCookie()))
        return client


def send(client: HttpClient, method: str, path: str, data: dict[str, Any] | None) -> Any:
    call = getattr(client, method.lower())
    return call(path, data) if data is not None else call(path)


def describe(person: str, expected: int, response: Any) -> str:
    where = response.get("Location", "")
    return f"  {person:6} expected {expected}, got {response.status_code} {where}".rstrip()


# Tests -------------------------------------------------------------------------------------------


def coverage_problems(patterns: list[Pattern], listed: list[Listed]) -> list[str]:
    """What the project serves that no Route covers, unnamed patterns, and Routes for nothing."""
    covered = {(item.route.name, item.route.method) for item in listed}
    missing, unnamed = [], []
    known: set[str] = set()
    for pattern in patterns:
        if pattern.namespace.split(":")[0] == ADMIN_NAMESPACE:
            continue  # one group, checked by the admin tests below
        if pattern.name is None:
            unnamed.append(pattern.route)
            continue
        known.add(pattern.name)
        for method in sorted(declared_methods(pattern.callback) & set(CHECKED_METHODS)):
            if (pattern.name, method) not in covered:
                missing.append(f"{method} {pattern.name} ({pattern.route})")
    stale = sorted({f"{method} {name}" for name, method in covered if name not in known})
    problems = []
    if missing:
        problems.append("No Route in tests/access/expect_*.py for:\n  " + "\n  ".join(missing))
    if unnamed:
        problems.append("URL patterns without a name:\n  " + "\n  ".join(unnamed))
    if stale:
        problems.append("Routes for URL names the project does not have:\n  " + "\n  ".join(stale))
    return problems


def test_every_url_name_and_method_in_the_project_has_a_route() -> None:
    problems = coverage_problems(project_patterns(), LISTED)
    assert not problems, "\n".join(problems)


def test_a_new_url_without_a_route_is_caught() -> None:
    from django.views.decorators.http import require_POST

    @require_POST
    def new_view(request: Any) -> Any:
        raise AssertionError("never called")

    patterns = [
        *project_patterns(),
        Pattern("things/new/", "things:new", "things", new_view, {}),
        Pattern("things/other/", None, "things", new_view, {}),
    ]
    listed = [*LISTED, Listed(tests.access, Route("things:gone", {}))]
    problems = "\n".join(coverage_problems(patterns, listed))
    assert "POST things:new (things/new/)" in problems
    assert "GET things:new" not in problems  # the view only takes POST
    assert "things/other/" in problems  # unnamed
    assert "GET things:gone" in problems  # a Route for a URL that does not exist


def test_a_view_that_declares_no_methods_needs_a_route_for_post_too() -> None:
    def undeclared(request: Any) -> Any:
        raise AssertionError("never called")

    patterns = [*project_patterns(), Pattern("things/", "things:list", "things", undeclared, {})]
    listed = [*LISTED, Listed(tests.access, Route("things:list", {}))]
    problems = "\n".join(coverage_problems(patterns, listed))
    assert "POST things:list (things/)" in problems
    assert "GET things:list" not in problems


def test_every_route_names_an_expected_status_for_every_person() -> None:
    incomplete = [
        f"{item.route.name} {item.route.method}: missing {sorted(set(PEOPLE) - set(item.route.expect))}"
        for item in LISTED
        if set(item.route.expect) != set(PEOPLE)
    ]
    assert not incomplete, "\n".join(incomplete)


def test_the_matrix_finds_methods_declared_by_decorators() -> None:
    from harbour.accounts import views

    assert declared_methods(views.sign_out) == {"POST"}
    assert declared_methods(views.user_new) == {"GET", "POST"}
    assert declared_methods(views.user_detail) == {"GET"}
    assert declared_methods(lambda request: None) == EVERY_METHOD


# One world per module --------------------------------------------------------------------------
#
# The cast, their organisations and a signed-in session for each are made once for this module, in
# a transaction rolled back at the end; each test runs in a savepoint inside it (pytest-django's
# ``db``), and each person's attempt at a mutating route in a savepoint of its own.


@dataclass
class Shared:
    world: World
    sessions: dict[str, SimpleCookie]


@pytest.fixture(scope="module")
def shared(django_db_setup: None, django_db_blocker: Any) -> Iterator[Shared]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            orgs = make_orgs()
            cast = make_cast(orgs)
            sessions = {name: signed_in_client(user).cookies for name, user in cast.items()}
            yield Shared(World(cast=cast, orgs=orgs), sessions)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(shared: Shared, db: None) -> World:
    """A fresh World (same cast) per test: what ``build`` adds is rolled back afterwards."""
    return World(cast=shared.world.cast, orgs=shared.world.orgs)


@pytest.fixture
def visitors(shared: Shared, db: None) -> Visitors:
    return Visitors(shared.sessions)


@pytest.mark.parametrize("item", LISTED, ids=route_ids(LISTED))
def test_route_gives_each_person_the_expected_status(
    item: Listed, world: World, visitors: Visitors
) -> None:
    if item.build is not None:
        item.build(world)
    route = item.route
    path = reverse(route.name, kwargs=route.kwargs(world))
    wrong = []
    for person in PEOPLE:
        expected = route.expect[person]
        if route.mutates:
            # A savepoint per person: whatever this person changes is gone before the next one.
            with transaction.atomic():
                data = route.data(world) if route.data else None
                response = send(visitors.as_(person), route.method, path, data)
                transaction.set_rollback(True)
        else:
            data = route.data(world) if route.data else None
            response = send(visitors.as_(person), route.method, path, data)
        if response.status_code != expected:
            wrong.append(describe(person, expected, response))
        elif (
            person == "anon"
            and expected == 302
            and not is_public_path(path)
            and not response.get("Location", "").startswith(SIGN_IN)
        ):
            # Signed out at a staff URL: the redirect must be to sign-in, nowhere else.
            wrong.append(describe(person, expected, response) + " (not to sign-in)")
    assert not wrong, f"{route.method} {path} ({route.name}):\n" + "\n".join(wrong)


# Views that take no POST refuse it, for everyone -------------------------------------------------


def _callbacks() -> dict[str, Callable[..., Any]]:
    return {p.name: p.callback for p in project_patterns() if p.name is not None}


def _get_only_routes() -> list[Listed]:
    """One GET Route for each URL name whose view does not take POST."""
    callbacks, seen, found = _callbacks(), set(), []
    for item in LISTED:
        name = item.route.name
        if item.route.method != "GET" or name in seen or name not in callbacks:
            continue
        seen.add(name)
        if "POST" not in declared_methods(callbacks[name]):
            found.append(item)
    return found


GET_ONLY = _get_only_routes()


@pytest.mark.parametrize("item", GET_ONLY, ids=[item.route.name for item in GET_ONLY])
def test_a_view_that_takes_no_post_refuses_a_post_from_everyone(
    item: Listed, world: World, visitors: Visitors
) -> None:
    """405 for every signed-in person; signed out, a staff URL still sends you to sign in first."""
    if item.build is not None:
        item.build(world)
    path = reverse(item.route.name, kwargs=item.route.kwargs(world))
    wrong = []
    for person in PEOPLE:
        with transaction.atomic():
            response = send(visitors.as_(person), "POST", path, {})
            transaction.set_rollback(True)
        expected = 302 if person == "anon" and not is_public_path(path) else 405
        if response.status_code != expected:
            wrong.append(describe(person, expected, response))
    assert not wrong, f"POST {path} ({item.route.name}):\n" + "\n".join(wrong)


def test_the_post_sweep_covers_every_get_only_page() -> None:
    assert len(GET_ONLY) > 20
    assert {"cases:detail", "core:home", "accounts:user_detail"} <= {
        item.route.name for item in GET_ONLY
    }


# Django's admin: one group ------------------------------------------------------------------------

SAMPLE_VALUES = {"app_label": "accounts", "url": "no-such-page/"}


def admin_path(pattern: Pattern) -> str:
    """A concrete path that resolves to this admin pattern, with sample values for its parts."""
    path = "/" + pattern.route
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLE_VALUES.get(m.group(1), "1"), path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE_VALUES.get(m.group(1), "1"), path)
    return path.replace("^", "").removesuffix("$")


ADMIN_PATTERNS = [p for p in project_patterns() if p.namespace.split(":")[0] == ADMIN_NAMESPACE]

#: What signed-in staff who are not superusers get from the admin, where it is not a redirect to
#: the admin's login page. The admin's own login is replaced by a redirect to Harbour's sign-in
#: (core/admin_site.py), so Django's password-only form is never offered.
ADMIN_STAFF_EXCEPTIONS: dict[str, tuple[int, str | None]] = {
    "admin:login": (302, SIGN_IN),
    "admin:logout": (302, "/django-admin/"),
}


def admin_expectation(pattern: Pattern, person: str) -> tuple[int, str | None]:
    """(status, start of the redirect target) for one person at one admin pattern."""
    if person == "anon":
        return 302, SIGN_IN
    if pattern.name in ADMIN_STAFF_EXCEPTIONS:
        return ADMIN_STAFF_EXCEPTIONS[pattern.name]
    return 302, "/django-admin/login/?next="


def test_the_admin_group_has_patterns_and_sample_paths_resolve_to_them() -> None:
    assert len(ADMIN_PATTERNS) > 10
    for pattern in ADMIN_PATTERNS:
        match = resolve(admin_path(pattern))
        assert match.func == pattern.callback, pattern.route


@pytest.mark.parametrize("pattern", ADMIN_PATTERNS, ids=[p.route for p in ADMIN_PATTERNS])
def test_admin_refuses_everyone_in_the_cast(pattern: Pattern, visitors: Visitors) -> None:
    path = admin_path(pattern)
    wrong = []
    for person in PEOPLE:
        for method in CHECKED_METHODS:
            client = visitors.as_(person)
            status, location = admin_expectation(pattern, person)
            response = send(client, method, path, None)
            got_location = response.get("Location", "")
            if response.status_code != status or (
                location is not None and not got_location.startswith(location)
            ):
                wrong.append(
                    f"  {method} {person}: expected {status} {location or ''}, got "
                    f"{response.status_code} {got_location}"
                )
    assert not wrong, f"{path} ({pattern.name}):\n" + "\n".join(wrong)


def test_a_verified_superuser_may_use_the_admin_and_an_unverified_one_may_not(
    world: World,
) -> None:
    from harbour.accounts.models import User

    operator = User(username="operator", organisation=world.orgs["provider_a"], role="admin")
    operator.is_superuser = operator.is_staff = True
    operator.set_password(PASSWORD)
    operator.save()
    TOTPDevice.objects.create(user=operator, name="app", confirmed=True)
    assert signed_in_client(operator).get("/django-admin/").status_code == 200

    unverified = HttpClient()
    unverified.force_login(operator, backend=STAFF_BACKEND)
    response = unverified.get("/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)
