"""Self-referral, family and friends, and professional referral: storing, routing, validation,
consent, the honeypot and the per-address rate limit."""

import pytest
from django.test import Client

from harbour.referrals.models import Referral
from tests.access.expect_public import FAMILY, PROFESSIONAL, SELF_REFERRAL

pytestmark = pytest.mark.django_db


def _referrals():
    return Referral.objects.system("test")


def test_self_referral_is_stored_routed_and_typed(orgs):
    response = Client().post("/public/self-referral/", SELF_REFERRAL)
    assert response.status_code == 302
    referral = _referrals().get()
    assert referral.source == Referral.Source.SELF
    assert referral.kind == Referral.Kind.REFERRAL
    assert referral.routed_to == orgs["provider_a"]
    assert referral.given_name == "Isadora"
    assert referral.safe_channels() == ["call", "text"]
    assert referral.consent_to_contact is True
    assert referral.consent_to_share_with_police is False
    assert referral.contact_preferences_confirmed_on is not None


def test_self_referral_with_a_crime_reference_and_code_word(orgs):
    data = {
        **SELF_REFERRAL,
        "reported_to_police": "yes",
        "crime_reference": "NP/99/26",
        "code_word": "heron",
        "consent_to_share_with_police": "on",
    }
    Client().post("/public/self-referral/", data)
    referral = _referrals().get()
    assert (referral.crime_reference, referral.code_word) == ("NP/99/26", "heron")
    assert referral.consent_to_share_with_police is True


def test_self_referral_without_consent_is_refused_with_an_error_summary(orgs):
    data = {k: v for k, v in SELF_REFERRAL.items() if k != "consent_to_contact"}
    response = Client().post("/public/self-referral/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert 'href="#id_consent_to_contact"' in body
    assert not _referrals().exists()


def test_missing_answers_each_get_a_field_error(orgs):
    response = Client().post("/public/self-referral/", {})
    errors = response.context["form"].errors
    for field in (
        "what_is_happening",
        "how_long",
        "given_name",
        "postcode",
        "safe_channels",
        "consent_to_contact",
    ):
        assert field in errors


def test_a_safe_channel_needs_its_detail(orgs):
    data = {**SELF_REFERRAL, "safe_channels": ["email"]}
    response = Client().post("/public/self-referral/", data)
    assert "You said email is safe: enter an email address" in response.content.decode()


def test_bad_postcode_is_an_error(orgs):
    data = {**SELF_REFERRAL, "postcode": "not a postcode"}
    response = Client().post("/public/self-referral/", data)
    assert "postcode" in response.context["form"].errors


def test_self_referral_from_outside_every_area_stays_open_for_a_person(orgs):
    Client().post("/public/self-referral/", {**SELF_REFERRAL, "postcode": "ZE1 0AA"})
    assert _referrals().get().status == Referral.Status.RECEIVED


def test_family_request_is_typed_as_advice(orgs):
    assert Client().post("/public/family-and-friends/", FAMILY).status_code == 302
    referral = _referrals().get()
    assert (referral.source, referral.kind) == (Referral.Source.FAMILY_FRIEND, Referral.Kind.ADVICE)
    assert referral.referrer_role == "parent"


def test_professional_referral_keeps_the_referrers_details(orgs):
    assert Client().post("/public/professional-referral/", PROFESSIONAL).status_code == 302
    referral = _referrals().get()
    assert referral.source == Referral.Source.PROFESSIONAL
    assert (referral.referrer_name, referral.referrer_role) == ("Dr Example", "gp")


def test_professional_referral_without_the_persons_consent_is_refused(orgs):
    data = {k: v for k, v in PROFESSIONAL.items() if k != "consent_to_contact"}
    response = Client().post("/public/professional-referral/", data)
    assert "The person must agree to the referral" in response.content.decode()
    assert not _referrals().exists()


def test_professional_referral_needs_a_way_to_reach_the_referrer(orgs):
    data = {k: v for k, v in PROFESSIONAL.items() if k != "referrer_email"}
    response = Client().post("/public/professional-referral/", data)
    assert "referrer_phone" in response.context["form"].errors


def test_honeypot_filled_in_looks_like_success_but_stores_nothing(orgs):
    response = Client().post("/public/self-referral/", {**SELF_REFERRAL, "website": "http://spam"})
    assert response.status_code == 302
    assert not _referrals().exists()


def test_too_many_submissions_from_one_address_are_paused(orgs, settings):
    settings.HARBOUR_PUBLIC_SUBMISSIONS_PER_HOUR = 2
    client = Client()
    for _ in range(2):
        assert client.post("/public/self-referral/", SELF_REFERRAL).status_code == 302
    response = client.post("/public/self-referral/", SELF_REFERRAL)
    assert response.status_code == 429
    assert "National Stalking Helpline" in response.content.decode()
    assert _referrals().count() == 2
    other = Client(REMOTE_ADDR="192.0.2.9")
    assert other.post("/public/self-referral/", SELF_REFERRAL).status_code == 302


def test_the_rate_limit_stores_no_address(orgs):
    from harbour.public.models import SubmissionThrottle

    Client(REMOTE_ADDR="198.51.100.7").post("/public/self-referral/", SELF_REFERRAL)
    row = SubmissionThrottle.objects.get()
    assert "198.51" not in row.address_index
