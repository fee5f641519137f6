"""The police coordinator's referral form and the "referrals we sent" feedback loop."""

import pytest

from harbour.referrals import services
from harbour.referrals.models import Referral
from tests.conftest import page_of

pytestmark = pytest.mark.django_db

POLICE_FORM = {
    "crime_reference": "NP/2026/0042",
    "recorded_as": "stalking_4a",
    "officer_in_case": "DC Example",
    "officer_contact": "01234 567890",
    "crime_reported_on": "2026-03-02",
    "given_name": "Hortensia",
    "family_name": "Vale",
    "phone": "07911 555123",
    "postcode": "NS1 1AA",
    "safe_channels": ["call", "text"],
    "risk_level": "high",
    "consent_to_contact": "on",
}


def test_police_coordinator_refers_and_it_is_routed(as_user, orgs, cast):
    response = as_user("pete").post("/referrals/new/police/", POLICE_FORM)
    assert response.status_code == 302
    referral = Referral.objects.for_user(cast["pete"]).get()
    assert referral.source == Referral.Source.POLICE
    assert referral.routed_to == orgs["provider_a"]
    assert referral.referring_organisation == orgs["police"]
    assert referral.safe_channels() == ["call", "text"]
    assert referral.risk_level == "high"


def test_police_referral_without_consent_is_refused(as_user, cast):
    data = {k: v for k, v in POLICE_FORM.items() if k != "consent_to_contact"}
    response = as_user("pete").post("/referrals/new/police/", data)
    assert response.status_code == 200
    assert "must agree to be referred" in response.content.decode()
    assert not Referral.objects.system("test").exists()


def test_safe_channel_without_the_detail_it_needs_is_an_error(as_user):
    data = {**POLICE_FORM, "safe_channels": ["email"]}
    response = as_user("pete").post("/referrals/new/police/", data)
    assert "You said email is safe: enter an email address" in response.content.decode()


def test_sent_list_shows_status_and_decline_reason_but_not_case_content(
    as_user, make_referral, cast
):
    referral = make_referral(Referral.Source.POLICE, what_is_happening="secret account")
    services.decline(referral, reason="person_declined", note="private note", by=cast["alice"])
    body = page_of(as_user("pete").get("/referrals/sent/"), "Referrals sent")
    assert "Declined" in body
    assert "The person did not want support" in body
    assert "NP/12345/26" in body
    for private in ("Wilhelmina", "secret account", "private note", "07911"):
        assert private not in body


def test_police_cannot_open_a_referral_page(as_user, make_referral):
    referral = make_referral(Referral.Source.POLICE)
    assert as_user("pete").get(f"/referrals/{referral.public_id}/").status_code == 404


def test_sent_list_shows_only_this_forces_referrals(as_user, make_referral):
    sent = make_referral(Referral.Source.POLICE)
    make_referral(Referral.Source.SELF)
    response = as_user("pete").get("/referrals/sent/")
    page_of(response, "Referrals sent")
    assert list(response.context["page"].object_list) == [sent]


def test_only_police_coordinators_see_the_police_pages(as_user):
    for name in ("alice", "mia", "cora"):
        assert as_user(name).get("/referrals/sent/").status_code == 404
        assert as_user(name).get("/referrals/new/police/").status_code == 404


def test_a_providers_signpost_text_never_reaches_the_police(as_user, make_referral, cast):
    referral = make_referral(Referral.Source.POLICE)
    services.signpost(referral, to="Named local counsellor on Elm Street", by=cast["alice"])
    body = page_of(as_user("pete").get("/referrals/sent/"), "Referrals sent")
    assert "Signposted" in body
    assert "Elm Street" not in body
