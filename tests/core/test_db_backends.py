"""The database backends' own behaviour: the signed-in person loaded with their organisation, and
PostgreSQL's prepared statements (issue #8)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harbour.accounts.backends import PATH, StaffBackend
from harbour.accounts.models import User
from harbour.core.dbbackends.postgresql.base import PREPARED_MAX


def test_sessions_name_the_backend_settings_lists():
    assert PATH in settings.AUTHENTICATION_BACKENDS


@pytest.mark.django_db
def test_a_signed_in_persons_organisation_comes_with_them(cast):
    alice = cast["alice"]
    with CaptureQueriesContext(connection) as captured:
        user = StaffBackend().get_user(alice.pk)
        assert user is not None
        assert user.organisation.name == alice.organisation.name
    assert len(captured.captured_queries) == 1


@pytest.mark.django_db
def test_a_disabled_person_is_not_loaded(cast):
    alice = cast["alice"]
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert StaffBackend().get_user(alice.pk) is None
    assert StaffBackend().get_user(10**9) is None


def _prepared(text: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{text}%"]
        )
        (count,) = cursor.fetchone()
    return int(count)


@pytest.mark.django_db
def test_on_postgresql_a_query_with_parameters_is_prepared_once_per_connection(cast):
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # SQLite keeps its own statement cache
        return
    for _ in range(3):
        assert User.objects.filter(username="alice").exists()
    assert _prepared('FROM "accounts_user" WHERE "accounts_user"."username" = $') == 1
    assert connection.connection.prepared_max == PREPARED_MAX


@pytest.mark.django_db
def test_on_postgresql_a_statement_without_parameters_may_hold_several_commands():
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"
        return
    # Django's schema editor sends "ALTER TABLE ...; SET CONSTRAINTS ..." as one statement, which
    # PostgreSQL refuses to prepare: such statements run unprepared.
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute("SELECT 1; SELECT 2")
            cursor.execute("SELECT 3; SELECT 4", [])
    assert _prepared("SELECT 1; SELECT 2") == 0
    assert _prepared("SELECT 3; SELECT 4") == 0
