"""Expected statuses for api:* URLs. The API authenticates by token only: a signed-in session is
worth nothing there, so everyone in the cast gets what an anonymous caller gets."""

from __future__ import annotations

from harbour.referrals.models import Referral
from harbour.referrals.services import receive_referral
from tests.access.routes import Route, World, statuses


def build(world: World) -> None:
    world.extra["api_referral"] = receive_referral(
        source=Referral.Source.POLICE,
        fields={"given_name": "Leopold", "postcode": "NS1 2AB", "consent_to_contact": True},
        referring_organisation=world.orgs["police"],
    )


ROUTES = [
    Route("api:openapi", statuses(200)),
    Route("api:referrals", statuses(401), method="POST", mutates=True),
    Route(
        "api:referral_status",
        statuses(401),
        kwargs=lambda world: {"public_id": str(world.api_referral.public_id)},
    ),
]
