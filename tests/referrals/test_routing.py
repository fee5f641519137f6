"""Routing by postcode district, rerouting by managers; uncovered referrals stay open
(tests/coverage has the rest)."""

import pytest

from harbour.accounts.models import Organisation, ServiceArea
from harbour.audit.models import AuditEvent
from harbour.referrals import services
from harbour.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def derbyshire(orgs):
    """The demo routing table in miniature: Derby city to Glow, the county to Crossroads, Kent."""
    glow = Organisation.objects.create(name="Glow", kind="provider")
    crossroads = Organisation.objects.create(name="Crossroads", kind="provider")
    kent = Organisation.objects.create(name="Victim Support Kent", kind="provider")
    for org, districts in (
        (glow, ["DE1", "DE22"]),
        (crossroads, ["DE4", "S40"]),
        (kent, ["ME14", "CT1"]),
    ):
        for d in districts:
            ServiceArea.objects.create(organisation=org, postcode_district=d)
    return {"glow": glow, "crossroads": crossroads, "kent": kent}


@pytest.mark.parametrize(
    ("postcode", "provider"),
    [
        ("DE1 3AB", "glow"),
        ("de223xy", "glow"),
        ("DE4 3AG", "crossroads"),
        ("S40 1LP", "crossroads"),
        ("ME14 1XX", "kent"),
        ("CT1", "kent"),
    ],
)
def test_referral_is_routed_to_the_provider_covering_its_district(
    make_referral, derbyshire, postcode, provider
):
    referral = make_referral(postcode=postcode)
    assert referral.routed_to == derbyshire[provider]
    assert referral.status == Referral.Status.RECEIVED


def test_district_prefix_does_not_route_to_a_longer_district(make_referral, derbyshire):
    referral = make_referral(postcode="DE11 0AA")  # DE11 is not DE1
    assert referral.routed_to is None


def test_referral_from_outside_every_area_is_never_closed_by_the_machine(make_referral):
    referral = make_referral(postcode="ZE1 0AA")
    assert referral.routed_to is None
    assert referral.status == Referral.Status.RECEIVED
    assert referral.outcome_at is None
    assert AuditEvent.objects.filter(
        verb="referral.unrouted", object_id=str(referral.public_id)
    ).exists()


def test_inactive_provider_is_not_routed_to(make_referral, orgs):
    Organisation.objects.filter(pk=orgs["provider_a"].pk).update(is_active=False)
    assert make_referral(postcode="NS1 2AB").routed_to is None


def test_manager_can_reroute_an_open_referral(referral_a, cast, orgs):
    services.reroute(referral_a, to=orgs["provider_b"], by=cast["mia"], reason="lives in SS1 now")
    referral_a.refresh_from_db()
    assert referral_a.routed_to == orgs["provider_b"]
    event = AuditEvent.objects.get(verb="referral.rerouted")
    assert event.payload == {
        "from_organisation": orgs["provider_a"].pk,
        "to_organisation": orgs["provider_b"].pk,
        "reason_given": True,
    }


def test_reroute_to_a_police_force_is_refused(referral_a, cast, orgs):
    with pytest.raises(services.ReferralError):
        services.reroute(referral_a, to=orgs["police"], by=cast["mia"])


def test_reroute_of_a_closed_referral_is_refused(referral_a, cast, orgs):
    services.decline(referral_a, reason="person_declined", by=cast["alice"])
    with pytest.raises(services.ReferralError):
        services.reroute(referral_a, to=orgs["provider_b"], by=cast["mia"])
