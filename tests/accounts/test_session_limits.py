"""Sessions end after 30 minutes idle or 12 hours in all, and at once when an account is disabled."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from harbour.accounts import mfa
from harbour.accounts.middleware import SESSION_SEEN, SESSION_STARTED
from harbour.accounts.models import User
from harbour.audit.models import AuditEvent
from harbour.core.sessions import stored_key
from tests.accounts.flow import SIGN_IN, sign_in, submit_password
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def _age(client: HttpClient, *, idle_minutes: float = 0, started_minutes_ago: float = 0) -> None:
    session = client.session
    now = time.time()
    session[SESSION_SEEN] = now - idle_minutes * 60
    session[SESSION_STARTED] = now - started_minutes_ago * 60
    session.save()


def test_a_session_idle_for_longer_than_the_limit_is_ended(cast):
    client = signed_in_client(cast["alice"])
    _age(client, idle_minutes=31, started_minutes_ago=40)
    response = client.get("/home/")
    assert response.status_code == 302 and response["Location"] == f"{SIGN_IN}?expired=1"
    assert client.get("/home/")["Location"].startswith(SIGN_IN)
    assert AuditEvent.objects.get(verb="auth.session_expired").payload == {"reason": "idle"}


def test_a_session_idle_for_less_than_the_limit_carries_on(cast):
    client = signed_in_client(cast["alice"])
    _age(client, idle_minutes=29, started_minutes_ago=40)
    assert client.get("/home/").status_code == 200


def test_activity_keeps_a_session_alive(cast):
    client = signed_in_client(cast["alice"])
    _age(client, idle_minutes=29, started_minutes_ago=40)
    assert client.get("/home/").status_code == 200
    assert time.time() - client.session[SESSION_SEEN] < 5  # the request renewed the stamp


def test_the_idle_limit_is_configurable(cast, settings):
    settings.HARBOUR_SESSION_IDLE_MINUTES = 5
    client = signed_in_client(cast["alice"])
    _age(client, idle_minutes=6, started_minutes_ago=6)
    assert client.get("/home/")["Location"] == f"{SIGN_IN}?expired=1"


def test_a_session_older_than_the_absolute_limit_is_ended_even_when_active(cast):
    client = signed_in_client(cast["alice"])
    _age(client, idle_minutes=0, started_minutes_ago=12 * 60 + 1)
    response = client.get("/home/")
    assert response.status_code == 302 and response["Location"] == f"{SIGN_IN}?expired=1"
    assert AuditEvent.objects.get(verb="auth.session_expired").payload == {"reason": "absolute"}
    assert client.get("/home/").status_code == 302


def test_the_expired_sign_in_page_says_why(cast):
    page = HttpClient().get(f"{SIGN_IN}?expired=1")
    assert b"You were signed out to keep the information safe" in page.content


def test_the_session_cookie_does_not_outlive_the_browser(cast):
    client = HttpClient()
    sign_in(client, cast["alice"])
    cookie = client.cookies["harbour_session"]
    assert not cookie["expires"] and not cookie["max-age"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_disabling_a_user_ends_their_sessions_at_once(cast, as_user):
    alice = cast["alice"]
    laptop, phone = HttpClient(), HttpClient()
    sign_in(laptop, alice)
    sign_in(phone, alice, code=mfa.new_recovery_codes(alice)[0])  # a TOTP code works once
    keys = [stored_key(laptop.session.session_key), stored_key(phone.session.session_key)]
    assert laptop.get("/home/").status_code == 200
    assert Session.objects.filter(session_key__in=keys).count() == 2

    response = as_user("ada").post(f"/accounts/users/{alice.pk}/disable/", {"confirm": "yes"})
    assert response.status_code == 302

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert laptop.get("/home/")["Location"].startswith(SIGN_IN)
    assert phone.get("/cases/")["Location"].startswith(SIGN_IN)
    disabled = AuditEvent.objects.get(verb="user.disabled")
    assert disabled.payload == {"sessions_ended": 2}
    assert disabled.actor_id == cast["ada"].pk


def test_a_disabled_user_cannot_sign_in_again(cast):
    cast["alice"].disable(by=cast["ada"])
    response = submit_password(HttpClient(), "alice")
    assert response.status_code == 200
    assert b"The username or password is not right." in response.content


def test_a_disabled_users_untracked_session_is_refused_too(cast):
    client = signed_in_client(cast["alice"])  # force_login: no LoginSession row
    User.objects.filter(pk=cast["alice"].pk).update(is_active=False)
    assert client.get("/home/")["Location"].startswith(SIGN_IN)


def test_enabling_a_user_again_lets_them_sign_in(cast, as_user):
    alice = cast["alice"]
    alice.disable(by=cast["ada"])
    as_user("ada").post(f"/accounts/users/{alice.pk}/enable/")
    sign_in(HttpClient(), User.objects.get(pk=alice.pk))


def test_a_page_within_a_minute_of_the_last_does_not_write_the_session(cast):
    client = signed_in_client(cast["alice"])
    _age(client, idle_minutes=0.5, started_minutes_ago=40)
    stored = Session.objects.get().session_data
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/home/").status_code == 200
    assert not [q for q in captured if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert Session.objects.get().session_data == stored


def test_the_session_start_is_kept_not_rewritten_by_each_page(cast):
    client = signed_in_client(cast["alice"])
    _age(client, idle_minutes=2, started_minutes_ago=40)
    started = client.session[SESSION_STARTED]
    assert client.get("/home/").status_code == 200  # the stamp is due: the session is written
    assert client.session[SESSION_STARTED] == started


def test_a_session_past_its_expiry_date_is_not_loaded(cast):
    """The session is read by a query compiled once per connection, with the time of each
    request: a row whose expiry has passed signs no one in, and the same cookie works while the
    row is live."""
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from harbour.core.sessions import stored_key

    client = signed_in_client(cast["alice"])
    assert client.get("/home/").status_code == 200
    row = Session.objects.filter(session_key=stored_key(client.session.session_key))
    row.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/home/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert response.wsgi_request.user.is_anonymous
