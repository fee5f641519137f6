"""The scopes written from plain values for queries compiled once (``policy.caseworker_scope``,
``caseworker_reminders``, ``own_caseload_of``) are the very conditions ``scope(model, user)``
gives each caseworker: the same SQL with the same parameters, for every model caseworkers see
through its case, for an advocate and a manager. A change to one without the other fails here."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone

from harbour.core import policy
from harbour.justice.models import Reminder

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC)


def _sql(qs: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    return qs.query.sql_with_params()


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.mark.parametrize("who", ["alice", "mia"])
@pytest.mark.parametrize("label", sorted(policy._CASE_PATHS))
def test_caseworker_scope_is_the_scope(cast, frozen, who: str, label: str) -> None:
    user, model = cast[who], apps.get_model(label)
    plain = policy.caseworker_scope(
        model,
        policy.caseworker(user),
        user.organisation_id,
        user.pk,
        NOW,
        model._default_manager._unscoped(),
    )
    assert _sql(plain) == _sql(model.objects.for_user(user))


@pytest.mark.parametrize("who", ["alice", "mia"])
def test_caseworker_reminders_are_the_scope(cast, frozen, who: str) -> None:
    user = cast[who]
    plain = policy.caseworker_reminders(
        policy.caseworker(user), user.organisation_id, user.pk, NOW, Reminder.unscoped.all()
    )
    assert _sql(plain) == _sql(Reminder.objects.for_user(user))


@pytest.mark.parametrize("who", ["alice", "amir"])
def test_own_caseload_of_is_own_caseload(cast, who: str) -> None:
    from harbour.cases.models import Case

    user = cast[who]
    mine = policy.own_caseload(user)
    assert mine is not None
    plain = policy.own_caseload_of(user.organisation_id, user.pk)
    assert _sql(Case.unscoped.filter(plain)) == _sql(Case.unscoped.filter(mine))


def test_the_kinds_are_the_caseworker_roles(cast) -> None:
    assert policy.caseworker(cast["alice"]) == "advocate"
    assert policy.caseworker(cast["mia"]) == "manager"
    assert set(policy.CASEWORKER_KINDS) == {"advocate", "manager"}
    # Anyone else has no caseworker scope at all: their reminders are none
    for who in ("pete", "cora", "tariq", "ada"):
        assert not Reminder.objects.for_user(cast[who]).exists()
        assert policy.case_visibility(cast[who]) is None
