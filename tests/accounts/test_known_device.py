"""A device that has completed sign-in before keeps working: a stalker failing for an advocate's
username, even from the same address (an office or home network), cannot lock her out of the
browser she usually signs in from."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from harbour.accounts.devices import COOKIE
from tests.accounts.flow import VERIFY, sign_in, submit_password

pytestmark = pytest.mark.django_db

SHARED_ADDRESS = "198.51.100.20"  # the office network: the stalker is on it too


def fail(username: str, times: int, client: HttpClient | None = None) -> None:
    for _ in range(times):
        submit_password(
            client or HttpClient(), username, "a wrong guess", REMOTE_ADDR=SHARED_ADDRESS
        )


@pytest.fixture
def alices_laptop(cast) -> HttpClient:
    laptop = HttpClient()
    sign_in(laptop, cast["alice"], REMOTE_ADDR=SHARED_ADDRESS)
    assert COOKIE in laptop.cookies
    laptop.post("/accounts/sign-out/", REMOTE_ADDR=SHARED_ADDRESS)
    assert laptop.cookies[COOKIE].value  # signing out keeps the device known
    return laptop


def test_failures_from_the_same_address_do_not_lock_out_a_known_device(
    cast, settings, alices_laptop
):
    fail("alice", settings.AXES_FAILURE_LIMIT + 3)
    stranger = submit_password(HttpClient(), "alice", REMOTE_ADDR=SHARED_ADDRESS)
    assert stranger.status_code == 429  # a new browser at that address is locked
    response = submit_password(alices_laptop, "alice", REMOTE_ADDR=SHARED_ADDRESS)
    assert response.status_code == 302 and response["Location"] == VERIFY


def test_the_address_tier_does_not_block_a_known_device(cast, settings, alices_laptop):
    settings.HARBOUR_ADDRESS_FAILURE_LIMIT = 3
    for number in range(4):
        fail(f"guess-{number}", 1)
    assert submit_password(HttpClient(), "amir", REMOTE_ADDR=SHARED_ADDRESS).status_code == 429
    response = submit_password(alices_laptop, "alice", REMOTE_ADDR=SHARED_ADDRESS)
    assert response.status_code == 302


def test_a_known_device_helps_only_the_username_it_signed_in_as(cast, settings, alices_laptop):
    fail("amir", settings.AXES_FAILURE_LIMIT)
    response = submit_password(alices_laptop, "amir", REMOTE_ADDR=SHARED_ADDRESS)
    assert response.status_code == 429


def test_a_forged_device_cookie_helps_nobody(cast, settings):
    fail("alice", settings.AXES_FAILURE_LIMIT)
    forger = HttpClient()
    forger.cookies[COOKIE] = "eyJ1IjoxLCJkIjoiMDAwMCJ9:forged:signature"
    assert submit_password(forger, "alice", REMOTE_ADDR=SHARED_ADDRESS).status_code == 429


def test_a_known_device_that_keeps_failing_is_locked_like_any_other(cast, settings, alices_laptop):
    fail("alice", settings.AXES_FAILURE_LIMIT, client=alices_laptop)
    response = submit_password(alices_laptop, "alice", REMOTE_ADDR=SHARED_ADDRESS)
    assert response.status_code == 429
