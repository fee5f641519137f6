"""Expected statuses for coverage:* URLs.

A provider's manager or administrator (mia, ada; bea for provider B) edits their own service's
coverage rules. Every provider caseworker sees the unrouted queue of their own service (empty
unless it is a triage team). Everyone else gets 404; anon is sent to sign in.
"""

from __future__ import annotations

from harbour.coverage.services import set_triage_team
from harbour.referrals import services
from harbour.referrals.models import Referral
from tests.access.routes import Route, World, statuses

COVERAGE_MANAGERS = {"mia": 200, "ada": 200, "bea": 200}
COVERAGE_MANAGERS_DONE = {"mia": 302, "ada": 302, "bea": 302}
CASEWORKERS = {"alice": 200, "amir": 200, "mia": 200, "bob": 200, "bea": 200}


def build(world: World) -> None:
    set_triage_team(world.orgs["provider_a"], username="matrix")
    world.extra["unrouted"] = services.receive_referral(
        source=Referral.Source.SELF,
        fields={"given_name": "Ottoline", "postcode": "ZE1 0AA", "safe_call": True},
    )


ROUTES = [
    Route("coverage:index", statuses(404, anon=302, **COVERAGE_MANAGERS)),
    Route(
        "coverage:index",
        statuses(404, anon=302, **COVERAGE_MANAGERS_DONE),
        method="POST",
        data=lambda world: {"postcodes": "NS2 4", "note": ""},
        mutates=True,
    ),
    Route("coverage:remove", statuses(405, anon=302)),
    Route(
        "coverage:remove",
        # bea is told provider A's rule is not hers to remove (a message, then back).
        statuses(404, anon=302, **COVERAGE_MANAGERS_DONE),
        method="POST",
        data=lambda world: {"postcodes": "NS1"},
        mutates=True,
    ),
    Route("coverage:panel", statuses(405, anon=302)),
    Route(
        "coverage:panel",
        statuses(404, anon=302, **COVERAGE_MANAGERS_DONE),
        method="POST",
        data=lambda world: {"panel_name": "the Northshire stalking clinic"},
        mutates=True,
    ),
    Route("coverage:unrouted", statuses(404, anon=302, **CASEWORKERS)),
]
