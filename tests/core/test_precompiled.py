"""Queries compiled once per connection (``harbour.core.precompiled``) return exactly what Django
returns for the same queryset, with each call's own values, and refuse what they cannot run safely.
``CaseRecords`` takes that path only for a caseworker admitted to the case."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harbour.accounts.models import User
from harbour.cases import services
from harbour.cases.access import get_case_for_user
from harbour.cases.models import Case, ContactLogEntry, SupportAction
from harbour.core import policy
from harbour.core.precompiled import NotPrecompilable, Precompiled
from harbour.core.scoping import CaseRecords, first

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _case(orgs: dict[str, Any], cast: dict[str, Any], to: str = "alice") -> Case:
    return services.open_case(
        organisation=orgs["provider_a"],
        client_fields={"given_name": "Pre", "family_name": "Compiled"},
        by=cast["mia"],
        allocated_to=cast[to],
    )


def _actions(case: Case, owner: Any, *due_in_days: int) -> list[SupportAction]:
    return [
        SupportAction.unscoped.create(
            case=case,
            area="housing",
            description=f"Action due in {days} days, 'quoted' \\ and backslashed",
            owner=owner,
            due_on=TODAY + datetime.timedelta(days=days),
        )
        for days in due_in_days
    ]


def _same(ours: list[Any], django: list[Any], fields: tuple[str, ...]) -> None:
    assert [type(o) for o in ours] == [type(d) for d in django]
    for one, other in zip(ours, django, strict=True):
        for name in fields:
            assert getattr(one, name) == getattr(other, name), name
        assert one.get_deferred_fields() == other.get_deferred_fields()
        assert one._state.adding is False and one._state.db == "default"


def _due_actions(case_id: int, until: datetime.date) -> Any:
    return (
        SupportAction.unscoped.filter(case_id=case_id, due_on__lte=until)
        .select_related("owner")
        .only("public_id", "description", "due_on", "owner__username")
    )


def test_rows_are_what_django_returns_with_each_calls_own_values(
    orgs: dict[str, Any], cast: dict[str, Any]
) -> None:
    one, two = _case(orgs, cast), _case(orgs, cast, to="amir")
    _actions(one, cast["alice"], -3, 0, 5, 40)
    _actions(two, cast["amir"], 1, 2)
    query = Precompiled(_due_actions)
    for case, until in ((one, TODAY), (one, TODAY + datetime.timedelta(days=10)), (two, TODAY)):
        ours = query(case.pk, until)
        django = list(_due_actions(case.pk, until))
        _same(ours, django, ("pk", "public_id", "description", "due_on", "case_id"))
        # The related row as select_related() makes it, deferred fields and all
        for mine, theirs in zip(ours, django, strict=True):
            assert mine.owner.username == theirs.owner.username
            assert mine.owner.get_deferred_fields() == theirs.owner.get_deferred_fields()
    assert [a.due_on for a in query(one.pk, TODAY)] == [
        TODAY - datetime.timedelta(days=3),
        TODAY,
    ]
    assert query(two.pk, TODAY - datetime.timedelta(days=1)) == []


def test_after_the_first_call_a_call_is_one_query_and_compiles_nothing(
    orgs: dict[str, Any], cast: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _case(orgs, cast)
    _actions(case, cast["alice"], 1)
    query = Precompiled(_due_actions)
    query(case.pk, TODAY)

    def no_compiling(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("compiled again")

    monkeypatch.setattr(Precompiled, "_compile", no_compiling)
    with CaptureQueriesContext(connection) as ran:
        rows = query(case.pk, TODAY + datetime.timedelta(days=2))
    assert len(ran.captured_queries) == 1
    assert len(rows) == 1


def test_values_list_rows_are_tuples_as_django_gives_them(
    orgs: dict[str, Any], cast: dict[str, Any]
) -> None:
    one, two = _case(orgs, cast), _case(orgs, cast)
    one.named_users.set([cast["alice"], cast["amir"], cast["mia"]])

    def counted(organisation_id: int, opened_after: datetime.datetime) -> Any:
        return (
            Case.unscoped.filter(organisation_id=organisation_id, opened_at__gte=opened_after)
            .annotate(named=Count("named_users"))
            .order_by("pk")
            .values_list("pk", "reference", "named")
        )

    query = Precompiled(counted)
    long_ago = timezone.now() - datetime.timedelta(days=1)
    for since in (long_ago, timezone.now() + datetime.timedelta(days=1)):
        ours = query(orgs["provider_a"].pk, since)
        assert ours == list(counted(orgs["provider_a"].pk, since))
    assert query(orgs["provider_a"].pk, long_ago) == [
        (one.pk, one.reference, 3),
        (two.pk, two.reference, 0),
    ]


def test_a_constant_equal_to_a_value_stays_a_constant(
    orgs: dict[str, Any], cast: dict[str, Any]
) -> None:
    """The values' places are found by compiling with made-up values, so a condition's constant
    that happens to equal this call's value is never taken for it."""
    case = _case(orgs, cast)
    action = _actions(case, cast["alice"], 1)[0]
    SupportAction.unscoped.filter(pk=action.pk).update(version=action.pk)
    query = Precompiled(lambda pk: SupportAction.unscoped.filter(pk=pk, version=action.pk))
    assert [a.pk for a in query(action.pk)] == [action.pk]
    other = _actions(case, cast["alice"], 2)[0]
    SupportAction.unscoped.filter(pk=other.pk).update(version=action.pk)
    assert [a.pk for a in query(other.pk)] == [other.pk]


@pytest.mark.parametrize(
    ("build", "value", "why"),
    [
        (lambda n: SupportAction.unscoped.filter(pk=n), None, "whole numbers"),
        (lambda n: SupportAction.unscoped.filter(pk=n), True, "whole numbers"),
        (lambda n: SupportAction.unscoped.filter(pk=n), 1.5, "whole numbers"),
        (lambda n: SupportAction.unscoped.filter(pk=n), b"7", "whole numbers"),
        # a string where Django would turn it into a number: refused, not run as text
        (lambda n: SupportAction.unscoped.filter(pk=n), "7", "cannot be built"),
        # lookups that change their value before it reaches the database (LIKE patterns)
        (lambda s: User.objects.filter(username__contains=s), "ali", "not one"),
        (lambda s: User.objects.filter(username__startswith=s), "ali", "not one"),
        (lambda s: User.objects.filter(username__iendswith=s), "ali", "not one"),
        (
            lambda t: SupportAction.unscoped.filter(completed_at__lt=t),
            datetime.datetime(2026, 1, 1),  # noqa: DTZ001 - a time without a zone, refused
            "zone",
        ),
        (lambda n: SupportAction.unscoped.filter(pk__in=range(1, 2 + n % 2)), 3, "different SQL"),
        (lambda n: SupportAction.unscoped.filter(pk=n + 1), 3, "not one"),
        (lambda n: SupportAction.unscoped.filter(pk__in=[]).filter(pk=n), 3, "cannot be compiled"),
        (lambda n: SupportAction.unscoped.filter(pk=n).values("pk"), 3, "not a plain query"),
        (lambda n: SupportAction.unscoped.filter(pk=n).values_list("pk", flat=True), 3, "plain"),
        (lambda n: Case.unscoped.filter(pk=n).prefetch_related("named_users"), 3, "plain"),
    ],
)
def test_what_cannot_be_compiled_once_is_refused(build: Any, value: Any, why: str) -> None:
    with pytest.raises(NotPrecompilable, match=why):
        Precompiled(build)(value)


def test_strings_are_values_as_django_prepares_them(
    orgs: dict[str, Any], cast: dict[str, Any]
) -> None:
    query = Precompiled(
        lambda name, since: User.objects.filter(username=name, date_joined__lte=since).order_by(
            "pk"
        )
    )
    later = timezone.now() + datetime.timedelta(minutes=1)
    for name in ("alice", "amir", "nobody", "o'brien \\ 100% _x_"):
        assert [u.pk for u in query(name, later)] == [
            u.pk for u in User.objects.filter(username=name, date_joined__lte=later)
        ]
    assert query("alice", timezone.now() - datetime.timedelta(days=400)) == []
    assert [u.username for u in query("alice", later)] == ["alice"]


def test_a_refused_query_is_refused_every_time_and_runs_nothing() -> None:
    query = Precompiled(lambda n: SupportAction.unscoped.filter(pk=n + 1))
    for _ in range(2):
        with CaptureQueriesContext(connection) as ran, pytest.raises(NotPrecompilable):
            query(3)
        assert ran.captured_queries == []


# CaseRecords ----------------------------------------------------------------------------------


_ACTIONS = CaseRecords(SupportAction, lambda qs: qs.select_related("owner"))
_FIRST_CONTACT = CaseRecords(ContactLogEntry, first)


def test_case_records_are_the_scoped_records_for_an_admitted_caseworker(
    orgs: dict[str, Any], cast: dict[str, Any], rf: Any
) -> None:
    case, other = _case(orgs, cast), _case(orgs, cast)
    mine = _actions(case, cast["alice"], 1, 2)
    _actions(other, cast["alice"], 3)
    request = rf.get("/")
    request.user = cast["alice"]
    admitted = get_case_for_user(request, case.public_id)
    assert policy.sees_every_record(cast["alice"], admitted)
    rows = _ACTIONS(cast["alice"], admitted)
    assert [a.pk for a in rows] == [a.pk for a in mine]
    assert [a.pk for a in rows] == [
        a.pk for a in SupportAction.objects.for_case(cast["alice"], admitted)
    ]
    assert rows[0].owner.username == cast["alice"].username
    assert _FIRST_CONTACT(cast["alice"], admitted) == []
    ContactLogEntry.unscoped.create(case=case, method="call", direction="out", note="Spoke")
    assert [c.note for c in _FIRST_CONTACT(cast["alice"], admitted)] == ["Spoke"]


def test_case_records_keep_the_full_scope_for_anyone_not_admitted(
    orgs: dict[str, Any], cast: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A case read some other way (not through the access helper for this user), or a user who is
    not a caseworker, never takes the precompiled path: the records are the user's scope."""
    case = _case(orgs, cast)
    _actions(case, cast["alice"], 1)
    Case.unscoped.filter(pk=case.pk).update(restricted=True)
    read_otherwise = Case.unscoped.get(pk=case.pk)

    def precompiled(*args: Any) -> Any:
        raise AssertionError("took the precompiled path")

    monkeypatch.setattr(Precompiled, "__call__", precompiled)
    # amir (another advocate) and a police coordinator see none of a restricted case's records
    for who in ("amir", "pete"):
        user = cast[who]
        assert not policy.sees_every_record(user, read_otherwise)
        assert _ACTIONS(user, read_otherwise) == []
    # alice, allocated, sees them through her full scope (restricted: allocated is not enough)
    named = Q(pk=case.pk)
    Case.unscoped.get(named).named_users.set([cast["alice"]])
    assert [a.case_id for a in _ACTIONS(cast["alice"], read_otherwise)] == [case.pk]


def test_a_connections_compiled_queries_go_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each connection keeps its compiled queries itself: a connection made for one request (as
    Django's asynchronous handler makes them) is freed with everything compiled on it, not kept
    alive by a cache elsewhere."""
    import gc
    import weakref

    from django.db import DEFAULT_DB_ALIAS, connections

    from harbour.core import precompiled

    query = Precompiled(lambda pk: SupportAction.unscoped.filter(pk=pk))
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    monkeypatch.setattr(precompiled, "connections", {DEFAULT_DB_ALIAS: other})
    assert query(1) == []
    assert query in other.__dict__[precompiled._PLANS]
    assert query not in connection.__dict__.get(precompiled._PLANS, {})
    gone = weakref.ref(other)
    other.close()
    monkeypatch.undo()
    del other
    gc.collect()
    assert gone() is None
