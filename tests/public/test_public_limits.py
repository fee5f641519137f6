"""Public forms resist abuse without losing what a victim typed: when a limit stops a submission
the form comes back with their entries, an explanation and the National Stalking Helpline number
(never a bare 429 page); the honeypot and forms with errors use up nobody's allowance; a signed
form token with a minimum fill time stops scripts whatever address they use; public pages leave no
cookie that outlives the browser session."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from harbour.public import formtoken
from harbour.referrals.models import Referral
from tests.access.expect_public import SELF_REFERRAL

pytestmark = pytest.mark.django_db

URL = "/public/self-referral/"
FORM_KEY = "public/self_referral.html"
PROXY = "10.0.0.5"


def referrals() -> int:
    return Referral.objects.system("test").count()


def shown(seconds_ago: float) -> str:
    return formtoken.issue(FORM_KEY, now=time.time() - seconds_ago)


def test_at_the_limit_the_form_comes_back_with_every_entry_and_the_helpline(orgs, settings):
    settings.HARBOUR_PUBLIC_SUBMISSIONS_PER_HOUR = 1
    client = Client(REMOTE_ADDR="192.0.2.10")
    assert client.post(URL, SELF_REFERRAL).status_code == 302
    data = {**SELF_REFERRAL, "what_is_happening": "He waits by my car every evening."}
    response = client.post(URL, data)
    body = response.content.decode()
    assert response.status_code == 429
    assert "He waits by my car every evening." in body  # entries intact
    assert 'value="Isadora"' in body
    assert "has not been sent yet" in body
    assert "0808 802 0300" in body
    assert '<form method="post"' in body
    assert referrals() == 1


def test_honeypot_hits_do_not_use_up_the_allowance(orgs, settings):
    settings.HARBOUR_PUBLIC_SUBMISSIONS_PER_HOUR = 1
    client = Client(REMOTE_ADDR="192.0.2.11")
    for _ in range(5):
        client.post(URL, {**SELF_REFERRAL, "website": "http://spam.example"})
    assert client.post(URL, SELF_REFERRAL).status_code == 302
    assert referrals() == 1


def test_forms_with_errors_do_not_use_up_the_allowance(orgs, settings):
    settings.HARBOUR_PUBLIC_SUBMISSIONS_PER_HOUR = 1
    client = Client(REMOTE_ADDR="192.0.2.12")
    for _ in range(5):
        assert client.post(URL, {**SELF_REFERRAL, "postcode": "nonsense"}).status_code == 200
    assert client.post(URL, SELF_REFERRAL).status_code == 302


def test_a_rotating_forged_address_shares_the_senders_real_limit(orgs, settings):
    settings.HARBOUR_PUBLIC_SUBMISSIONS_PER_HOUR = 2
    settings.HARBOUR_TRUSTED_PROXIES = 1
    client = Client()
    for number in range(3):
        response = client.post(
            URL,
            SELF_REFERRAL,
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.66",
        )
    assert response.status_code == 429
    assert referrals() == 2


def test_the_limit_never_applies_to_the_proxys_own_address(orgs, settings):
    settings.HARBOUR_PUBLIC_SUBMISSIONS_PER_HOUR = 1
    settings.HARBOUR_TRUSTED_PROXY_NETWORKS = ["10.0.0.0/24"]
    for _ in range(3):
        assert Client(REMOTE_ADDR=PROXY).post(URL, SELF_REFERRAL).status_code == 302


@pytest.fixture
def token_on(settings):
    settings.HARBOUR_PUBLIC_FORM_MIN_SECONDS = 3


def test_a_form_sent_seconds_after_it_was_shown_is_accepted(orgs, token_on):
    response = Client().post(URL, {**SELF_REFERRAL, "form_token": shown(20)})
    assert response.status_code == 302
    assert referrals() == 1


def test_a_form_sent_too_quickly_is_shown_again_intact_and_not_stored(orgs, token_on):
    response = Client().post(URL, {**SELF_REFERRAL, "form_token": shown(0)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Check your answers below and press Send again" in body
    assert "Someone keeps turning up outside my work." in body
    assert referrals() == 0


@pytest.mark.parametrize("token", ["", "made-up", "a:b:c"])
def test_a_missing_or_forged_token_stores_nothing(orgs, token_on, token):
    assert Client().post(URL, {**SELF_REFERRAL, "form_token": token}).status_code == 200
    assert referrals() == 0


def test_a_token_for_another_form_is_refused(orgs, token_on):
    other = formtoken.issue("public/family.html", now=time.time() - 20)
    Client().post(URL, {**SELF_REFERRAL, "form_token": other})
    assert referrals() == 0


def test_a_form_left_open_overnight_is_kept_and_can_be_sent_again(orgs, token_on):
    response = Client().post(URL, {**SELF_REFERRAL, "form_token": shown(25 * 3600)})
    assert response.status_code == 200 and referrals() == 0
    fresh = response.context["form_token"]
    assert formtoken.check(fresh, FORM_KEY, now=time.time() + 10) is formtoken.Verdict.OK


def test_the_form_page_carries_a_signed_token():
    body = Client().get(URL).content.decode()
    assert 'name="form_token"' in body


@pytest.mark.parametrize("path", ["/", "/public/", URL, "/public/self-check/"])
def test_public_pages_set_no_cookie_that_outlives_the_browser(path, db):
    client = Client()
    response = client.get(path)
    for morsel in response.cookies.values():
        assert not morsel["expires"] and not morsel["max-age"], morsel.key


def test_quick_exit_clears_cookies_as_well_as_cache_and_storage():
    response = Client().get("/public/leave/")
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
