"""The person who referred is told honestly what happens next."""

import pytest
from django.test import Client

from harbour.coverage import routing
from harbour.referrals.models import Referral
from harbour.referrals.services import receive_referral
from tests.conftest import page_of
from tests.public.test_self_referral import SELF_REFERRAL
from tests.referrals.conftest import VICTIM
from tests.referrals.test_police import POLICE_FORM

pytestmark = pytest.mark.django_db

HELPLINE = "Call the National Stalking Helpline on 0808 802 0300"


def _self_refer(postcode: str):
    return Client().post(
        "/public/self-referral/", {**SELF_REFERRAL, "postcode": postcode}, follow=True
    )


def test_a_self_referrer_outside_every_area_is_told_to_call_the_helpline(derbyshire):
    response = _self_refer("LE1 1AA")
    assert response.redirect_chain[-1][0] == "/public/sent/no-local-service/"
    body = page_of(response, "Sent: no local service here")
    assert HELPLINE in body
    assert "We cannot promise that anyone will get in touch" in body
    assert "will get in touch, only in the ways" not in body


def test_with_no_triage_team_named_the_page_says_nobody_will_get_in_touch(orgs):
    response = _self_refer("ZE1 0AA")
    assert response.redirect_chain[-1][0] == "/public/sent/call-the-helpline/"
    body = page_of(response, "Sent: no local service here")
    assert HELPLINE in body
    assert "nobody from this website will get in touch" in body
    assert "A person will look at it" not in body


def test_a_self_referrer_inside_an_area_is_told_the_service_will_get_in_touch(derbyshire):
    response = _self_refer("DE73 5AB")
    assert response.redirect_chain[-1][0] == "/public/sent/"
    body = page_of(response, "Sent")
    assert "The service that covers the area will get in touch" in body
    assert Referral.unscoped.get().routed_to == derbyshire["glow"]


def test_a_police_referrer_is_told_who_will_triage_and_that_nothing_is_promised(
    derbyshire, as_user
):
    response = as_user("pete").post(
        "/referrals/new/police/", {**POLICE_FORM, "postcode": "LE1 1AA"}, follow=True
    )
    body = page_of(response, "Referrals sent")
    assert "No service in Harbour covers that postcode. Northshire Advocacy will look" in body
    assert "0808 802 0300" in body
    assert "no contact from a service is promised" in body
    assert Referral.unscoped.get().status == Referral.Status.RECEIVED


def test_a_police_referral_nobody_can_triage_says_nobody_will_contact(orgs, cast):
    referral = receive_referral(
        source=Referral.Source.POLICE,
        fields={**VICTIM, "postcode": "ZE1 0AA"},
        by=cast["pete"],
        referring_organisation=orgs["police"],
    )
    assert "nobody here will contact the victim" in routing.referrer_message(referral)


def test_a_police_referral_that_is_covered_names_the_service(derbyshire, cast, orgs):
    referral = receive_referral(
        source=Referral.Source.POLICE,
        fields={**VICTIM, "postcode": "DE1 3AB"},
        by=cast["pete"],
        referring_organisation=orgs["police"],
    )
    assert routing.referrer_message(referral) == "Referral sent to Glow"
