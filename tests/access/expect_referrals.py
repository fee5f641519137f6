"""Expected statuses for referrals:* URLs.

Provider A's advocates and manager (alice, amir, mia) triage referrals routed to provider A; only a
manager reroutes; managers see counts by source. Pete (police coordinator) makes police referrals
and sees the ones his force sent, never a referral's page. Everyone else gets 404; anon is sent to
sign in.
"""

from __future__ import annotations

from harbour.referrals import services
from harbour.referrals.models import Referral
from tests.access.routes import Route, World, statuses

CASEWORKERS_A = {"alice": 200, "amir": 200, "mia": 200}
CASEWORKERS_A_DONE = {"alice": 302, "amir": 302, "mia": 302}
VICTIM = {
    "given_name": "Perpetua",
    "family_name": "Lindqvist",
    "phone": "07911 123400",
    "postcode": "NS1 3AB",
    "safe_call": True,
    "consent_to_contact": True,
}


def build(world: World) -> None:
    pete = world.cast["pete"]
    police = world.orgs["police"]

    def police_referral() -> Referral:
        return services.receive_referral(
            source=Referral.Source.POLICE,
            fields=dict(VICTIM),
            by=pete,
            referring_organisation=police,
        )

    world.extra["referral"] = police_referral()
    world.extra["duplicate"] = police_referral()
    attempted = police_referral()
    services.attempt_contact(attempted, channel="call", outcome="no_answer", by=world.cast["alice"])
    world.extra["attempted"] = attempted


def _ref(world: World) -> dict[str, str]:
    return {"public_id": str(world.referral.public_id)}


def _attempted(world: World) -> dict[str, str]:
    return {"public_id": str(world.attempted.public_id)}


POLICE_FORM = {
    "crime_reference": "NP/1/26",
    "recorded_as": "stalking_2a",
    "officer_in_case": "DC Example",
    "officer_contact": "01234 567890",
    "crime_reported_on": "2026-03-02",
    "given_name": "Clementine",
    "postcode": "NS1 1AA",
    "phone": "07911 222333",
    "safe_channels": ["call"],
    "risk_level": "standard",
    "consent_to_contact": "on",
}

ROUTES = [
    Route("referrals:queue", statuses(404, anon=302, bob=200, bea=200, **CASEWORKERS_A)),
    Route("referrals:sources", statuses(404, anon=302, mia=200, bea=200)),
    Route("referrals:sent", statuses(404, anon=302, pete=200)),
    Route("referrals:police_new", statuses(404, anon=302, pete=200)),
    Route(
        "referrals:police_new",
        statuses(404, anon=302, pete=302),
        method="POST",
        data=lambda world: POLICE_FORM,
        mutates=True,
    ),
    Route("referrals:detail", statuses(404, anon=302, **CASEWORKERS_A), kwargs=_ref),
    Route("referrals:contact", statuses(404, anon=302, **CASEWORKERS_A), kwargs=_ref),
    Route(
        "referrals:contact",
        statuses(404, anon=302, **CASEWORKERS_A_DONE),
        kwargs=_ref,
        method="POST",
        data=lambda world: {"channel": "call", "outcome": "spoke"},
        mutates=True,
    ),
    Route("referrals:accept", statuses(404, anon=302, **CASEWORKERS_A), kwargs=_ref),
    Route(
        "referrals:accept",
        statuses(404, anon=302, **CASEWORKERS_A_DONE),
        kwargs=_ref,
        method="POST",
        data=lambda world: {},
        mutates=True,
    ),
    Route("referrals:decline", statuses(404, anon=302, **CASEWORKERS_A), kwargs=_ref),
    Route(
        "referrals:decline",
        statuses(404, anon=302, **CASEWORKERS_A_DONE),
        kwargs=_ref,
        method="POST",
        data=lambda world: {"reason": "other"},
        mutates=True,
    ),
    Route("referrals:signpost", statuses(404, anon=302, **CASEWORKERS_A), kwargs=_ref),
    Route(
        "referrals:signpost",
        statuses(404, anon=302, **CASEWORKERS_A_DONE),
        kwargs=_ref,
        method="POST",
        data=lambda world: {"to": "National Stalking Helpline"},
        mutates=True,
    ),
    Route(
        "referrals:unable_to_contact", statuses(404, anon=302, **CASEWORKERS_A), kwargs=_attempted
    ),
    Route(
        "referrals:unable_to_contact",
        statuses(404, anon=302, **CASEWORKERS_A_DONE),
        kwargs=_attempted,
        method="POST",
        data=lambda world: {},
        mutates=True,
    ),
    Route("referrals:reroute", statuses(404, anon=302, mia=200), kwargs=_ref),
    Route(
        "referrals:reroute",
        statuses(404, anon=302, mia=302),
        kwargs=_ref,
        method="POST",
        data=lambda world: {"to": world.orgs["provider_b"].pk},
        mutates=True,
    ),
    Route("referrals:merge", statuses(404, anon=302, **CASEWORKERS_A), kwargs=_ref),
    Route(
        "referrals:merge",
        statuses(404, anon=302, **CASEWORKERS_A_DONE),
        kwargs=_ref,
        method="POST",
        data=lambda world: {"target": f"referral:{world.duplicate.public_id}"},
        mutates=True,
    ),
]
