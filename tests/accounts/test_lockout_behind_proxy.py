"""Behind a reverse proxy, the lockout follows the real client address (the right-most untrusted
X-Forwarded-For entry): a stalker cannot lock an advocate out by typing her address into the
header, cannot dodge the lockout by rotating it, and the per-address tier never blocks everyone
behind the proxy."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from harbour.audit.models import AuditEvent
from tests.accounts.flow import VERIFY, sign_in, submit_password

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
ATTACKER = "203.0.113.66"
ADVOCATES_OFFICE = "198.51.100.20"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.HARBOUR_TRUSTED_PROXIES = 1
    settings.HARBOUR_TRUSTED_PROXY_NETWORKS = ["10.0.0.0/24"]


def via_proxy(real: str, forged: str = "") -> dict[str, str]:
    """What the proxy passes on: whatever the client typed, then the address it saw."""
    header = f"{forged}, {real}" if forged else real
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": header}


def test_failures_with_the_advocates_address_forged_do_not_lock_her_out(cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        submit_password(
            HttpClient(), "alice", "a wrong guess", **via_proxy(ATTACKER, ADVOCATES_OFFICE)
        )
    assert submit_password(HttpClient(), "alice", **via_proxy(ATTACKER)).status_code == 429
    office = HttpClient()
    sign_in(office, cast["alice"], **via_proxy(ADVOCATES_OFFICE))
    assert office.get("/home/", **via_proxy(ADVOCATES_OFFICE)).status_code == 200
    locked = AuditEvent.objects.filter(verb="auth.locked_out").first()
    assert locked is not None and locked.ip_address == ATTACKER


def test_five_failures_from_the_attacker_while_the_advocate_signs_in_from_hers(cast, settings):
    office = HttpClient()
    for _ in range(5):
        submit_password(HttpClient(), "alice", "a wrong guess", **via_proxy(ATTACKER))
    sign_in(office, cast["alice"], **via_proxy(ADVOCATES_OFFICE))
    assert office.get("/home/", **via_proxy(ADVOCATES_OFFICE)).status_code == 200


def test_rotating_a_forged_address_does_not_dodge_the_lockout(cast, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        forged = f"192.0.2.{number + 1}"
        submit_password(HttpClient(), "alice", "a wrong guess", **via_proxy(ATTACKER, forged))
    response = submit_password(HttpClient(), "alice", **via_proxy(ATTACKER, "192.0.2.200"))
    assert response.status_code == 429


def test_the_address_tier_never_blocks_everyone_behind_the_proxy(cast, settings):
    settings.HARBOUR_ADDRESS_FAILURE_LIMIT = 3
    # Requests that reach Harbour with only the proxy's address (a health check, a mis-set header).
    for number in range(5):
        submit_password(HttpClient(), f"guess-{number}", "x", REMOTE_ADDR=PROXY)
    response = submit_password(HttpClient(), "alice", REMOTE_ADDR=PROXY)
    assert response.status_code == 302 and response["Location"] == VERIFY


def test_the_address_tier_still_stops_one_client_spraying_usernames(cast, settings):
    settings.HARBOUR_ADDRESS_FAILURE_LIMIT = 3
    for number in range(3):
        submit_password(
            HttpClient(), f"guess-{number}", "x", **via_proxy(ATTACKER, f"192.0.2.{number}")
        )
    assert submit_password(HttpClient(), "alice", **via_proxy(ATTACKER)).status_code == 429
    response = submit_password(HttpClient(), "alice", **via_proxy(ADVOCATES_OFFICE))
    assert response.status_code == 302 and response["Location"] == VERIFY
