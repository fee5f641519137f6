"""Demo coverage follows the Derby city / Derbyshire county split closely enough that a newcomer
trying a city, a county and a Leicestershire postcode sees three right answers."""

import pytest
from django.test import Client

from harbour.accounts.models import Organisation, ServiceArea
from harbour.coverage import demo, routing
from harbour.demo import data
from harbour.referrals.models import Referral
from tests.public.test_self_referral import SELF_REFERRAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_orgs():
    orgs = {}
    for spec in data.ORGANISATIONS:
        orgs[spec.key] = Organisation.objects.create(
            name=spec.name, short_name=spec.short_name, kind=spec.kind
        )
        for district in spec.districts:
            ServiceArea.objects.create(organisation=orgs[spec.key], postcode_district=district)
    demo.load(orgs)
    return orgs


@pytest.mark.parametrize(
    ("postcode", "who"),
    [
        # Derby city
        ("DE1 3AB", "glow"),
        ("DE22 1AB", "glow"),
        ("DE73 5XY", "glow"),  # Chellaston: the city's sector inside the county's DE73
        ("DE73 6AB", "glow"),
        ("DE1 1AA", "glow"),  # in the postcode table: Derby (E06000015)
        # Derbyshire county
        ("DE4 3AG", "crd"),  # Matlock
        ("DE73 8AB", "crd"),  # Melbourne
        ("DE73 8AA", "crd"),  # in the postcode table: South Derbyshire, county Derbyshire
        ("DE21 5AB", "crd"),  # Little Eaton: the county's sector inside the city's DE21
        ("NG10 1AB", "crd"),  # Long Eaton
        ("NG20 8AB", "crd"),  # Shirebrook
        ("S80 4AB", "crd"),  # Whitwell
        ("SK17 6AB", "crd"),  # Buxton
        # Kent
        ("ME14 1XX", "km"),
    ],
)
def test_demo_postcodes_reach_the_right_service(demo_orgs, postcode, who):
    match = routing.provider_for_postcode(postcode)
    assert match is not None
    assert match.organisation == demo_orgs[who]


@pytest.mark.parametrize(
    ("postcode", "triage"),
    [
        ("LE1 1AA", "km"),  # Leicester
        ("LE65 1AB", "km"),  # Ashby-de-la-Zouch
        ("DE74 2AB", "crd"),  # Kegworth: a Leicestershire part of DE, triaged by Crossroads
        ("DE12 7AB", "crd"),  # Measham
        ("S80 1AB", "km"),  # Worksop is Nottinghamshire
        ("NG20 0AB", "km"),  # Market Warsop is Nottinghamshire
    ],
)
def test_demo_postcodes_no_service_covers_go_to_a_named_triage_team(demo_orgs, postcode, triage):
    assert routing.provider_for_postcode(postcode) is None
    assert routing.triage_team_for(postcode) == demo_orgs[triage]


def test_demo_people_never_live_in_a_sector_another_service_covers():
    people = data.people(1, ("DE73", "DE21"), 200)
    sectors = {p.postcode[:6] for p in people}
    assert not sectors & {"DE73 5", "DE73 6", "DE21 5"}


@pytest.mark.parametrize(
    ("postcode", "page", "promise"),
    [
        ("DE1 3AB", "/public/sent/", "The service that covers the area will get in touch"),
        ("DE4 3AG", "/public/sent/", "The service that covers the area will get in touch"),
        ("LE1 1AA", "/public/sent/no-local-service/", "0808 802 0300"),
    ],
)
def test_a_newcomer_trying_city_county_and_leicestershire_sees_three_right_answers(
    demo_orgs, postcode, page, promise
):
    response = Client().post(
        "/public/self-referral/", {**SELF_REFERRAL, "postcode": postcode}, follow=True
    )
    assert response.redirect_chain[-1][0] == page
    assert promise in response.content.decode()
    assert Referral.unscoped.get().status == Referral.Status.RECEIVED
