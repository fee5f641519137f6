"""A session save waits out a moment's database lock instead of answering 400, and still fails at
once for a session that was really deleted."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import DatabaseError

from harbour.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def saved_session() -> SessionStore:
    store = SessionStore()
    store["n"] = 1
    store.save(must_create=True)
    return store


def test_a_locked_moment_is_waited_out_and_the_save_lands(monkeypatch: Any) -> None:
    store = saved_session()
    real_save = Session.save
    failures = iter([True, True])

    def locked_then_fine(self: Session, *args: Any, **kwargs: Any) -> None:
        if next(failures, False):
            raise DatabaseError("database table is locked")
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(Session, "save", locked_then_fine)
    store["n"] = 2
    store.save()
    assert SessionStore(store.session_key)["n"] == 2


def test_a_session_deleted_meanwhile_still_fails_at_once(monkeypatch: Any) -> None:
    store = saved_session()
    SessionStore(store.session_key).delete()
    calls = []
    real_save = Session.save

    def counting(self: Session, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(Session, "save", counting)
    store["n"] = 3
    with pytest.raises(UpdateError):
        store.save()
    assert len(calls) == 1
