"""Guessing is stopped per username *and* address, so a stalker elsewhere cannot lock an advocate
out; an address spraying many usernames is throttled too. Neither says whether an account exists."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from harbour.audit.models import AuditEvent
from tests.accounts.flow import VERIFY, comparable, sign_in, submit_password

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
ADVOCATES_OFFICE = "198.51.100.20"


def fail(username: str, address: str, times: int) -> None:
    for _ in range(times):
        submit_password(HttpClient(), username, "a wrong guess", REMOTE_ADDR=address)


def test_after_the_limit_the_right_password_from_the_same_address_is_refused(cast, settings):
    fail("alice", ATTACKER, settings.AXES_FAILURE_LIMIT)
    response = submit_password(HttpClient(), "alice", REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429
    assert b"Too many unsuccessful sign-in attempts" in response.content
    assert AuditEvent.objects.filter(verb="auth.locked_out").exists()


def test_failures_below_the_limit_do_not_lock(cast, settings):
    fail("alice", ATTACKER, settings.AXES_FAILURE_LIMIT - 1)
    response = submit_password(HttpClient(), "alice", REMOTE_ADDR=ATTACKER)
    assert response.status_code == 302 and response["Location"] == VERIFY


def test_a_locked_username_still_signs_in_from_another_address(cast, settings):
    fail("alice", ATTACKER, settings.AXES_FAILURE_LIMIT + 3)
    assert submit_password(HttpClient(), "alice", REMOTE_ADDR=ATTACKER).status_code == 429
    office = HttpClient(REMOTE_ADDR=ADVOCATES_OFFICE)
    sign_in(office, cast["alice"])
    assert office.get("/home/").status_code == 200


def test_a_locked_address_can_still_be_used_by_other_usernames(cast, settings):
    fail("alice", ATTACKER, settings.AXES_FAILURE_LIMIT)
    response = submit_password(HttpClient(), "amir", REMOTE_ADDR=ATTACKER)
    assert response.status_code == 302 and response["Location"] == VERIFY


def test_locking_out_an_unknown_username_looks_the_same_as_a_real_one(cast, settings):
    fail("alice", ATTACKER, settings.AXES_FAILURE_LIMIT)
    fail("zz-nobody", ATTACKER, settings.AXES_FAILURE_LIMIT)
    real = submit_password(HttpClient(), "alice", REMOTE_ADDR=ATTACKER)
    unknown = submit_password(HttpClient(), "zz-nobody", REMOTE_ADDR=ATTACKER)
    assert real.status_code == unknown.status_code == 429
    assert comparable(real.content) == comparable(unknown.content)


def test_an_address_spraying_many_usernames_is_throttled(cast, settings):
    settings.HARBOUR_ADDRESS_FAILURE_LIMIT = 8
    for number in range(8):
        fail(f"guess-{number}", ATTACKER, 1)
    response = submit_password(HttpClient(), "alice", REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429
    assert AuditEvent.objects.filter(verb="auth.address_throttled").exists()
    # The throttle is on that address only.
    response = submit_password(HttpClient(), "alice", REMOTE_ADDR=ADVOCATES_OFFICE)
    assert response.status_code == 302 and response["Location"] == VERIFY


def test_spraying_below_the_address_limit_is_not_throttled(cast, settings):
    settings.HARBOUR_ADDRESS_FAILURE_LIMIT = 8
    for number in range(7):
        fail(f"guess-{number}", ATTACKER, 1)
    response = submit_password(HttpClient(), "alice", REMOTE_ADDR=ATTACKER)
    assert response.status_code == 302


def test_a_completed_sign_in_resets_the_count_for_that_username_and_address(cast, settings):
    fail("alice", ATTACKER, settings.AXES_FAILURE_LIMIT - 1)
    sign_in(HttpClient(), cast["alice"], REMOTE_ADDR=ATTACKER)
    fail("alice", ATTACKER, settings.AXES_FAILURE_LIMIT - 1)
    response = submit_password(HttpClient(), "alice", REMOTE_ADDR=ATTACKER)
    assert response.status_code == 302 and response["Location"] == VERIFY


def test_a_correct_password_alone_does_not_reset_the_count(cast, settings):
    fail("alice", ATTACKER, settings.AXES_FAILURE_LIMIT - 1)
    assert submit_password(HttpClient(), "alice", REMOTE_ADDR=ATTACKER).status_code == 302
    fail("alice", ATTACKER, 1)
    assert submit_password(HttpClient(), "alice", REMOTE_ADDR=ATTACKER).status_code == 429
