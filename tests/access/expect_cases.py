"""Expected statuses for cases:* and risk:* URLs (the case workspace).

Alice is the allocated advocate and Mia her manager: they see the case; Amir (another advocate at
the same provider) does not, because it is allocated to Alice; everyone else gets 404, and anyone
signed out is sent to sign in. Managers alone allocate, sign off closures and reopen cases.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.access.routes import Route, World, statuses
from tests.factories import OpenCaseFactory, SupportActionFactory, SuspectFactory

CASEWORKERS = statuses(404, anon=302, alice=200, mia=200)
CASEWORKERS_REDIRECT = statuses(404, anon=302, alice=302, mia=302)
MANAGER = statuses(404, anon=302, mia=200)
MANAGER_REDIRECT = statuses(404, anon=302, mia=302)
# The caseload page answers every provider caseworker (each sees only their own cases).
CASELOAD = statuses(404, anon=302, alice=200, amir=200, mia=200, bob=200, bea=200)


def build(world: World) -> None:
    from harbour.cases import services
    from harbour.cases.models import BreakGlassGrant, Case, SafetyPlan
    from harbour.risk import services as risk
    from harbour.risk.models import InstrumentVersion

    cast, orgs = world.cast, world.orgs

    def new_case(**fields: Any) -> Case:
        case = OpenCaseFactory(
            organisation=orgs["provider_a"],
            by=cast["mia"],
            allocated_to=cast["alice"],
            given_name="Wren",
            family_name="Testcase",
            source="matrix",
        )
        if fields:
            Case.unscoped.filter(pk=case.pk).update(**fields)
            case.refresh_from_db()
        return case

    case = new_case()
    world.extra["case"] = case
    world.extra["awaiting"] = new_case(status=Case.Status.AWAITING_SIGN_OFF)
    world.extra["closed"] = new_case(status=Case.Status.CLOSED)
    world.extra["suspect"] = SuspectFactory(case=case, names="Somebody")
    world.extra["action"] = SupportActionFactory(
        case=case, owner=cast["alice"], area="housing", description="Call the housing officer"
    )
    world.extra["onward"] = services.make_onward_referral(
        case, by=cast["alice"], kind="housing", to_organisation="Council", consent="given"
    )
    plan = SafetyPlan.unscoped.create(case=case, at_home="Lock the back door")
    services.snapshot_safety_plan(plan, by=cast["alice"])
    risk.ensure_shipped_instruments()
    version = InstrumentVersion.objects.get(slug="harbour-stalking-risk")
    world.extra["assessment"] = risk.record_assessment(
        case, instrument_version=version, answers={"victim_fear": "yes"}, by=cast["alice"]
    )
    # Amir (not allocated) opened a different case in an emergency; Mia reviews grants.
    glass_case = new_case()
    world.extra["grant"] = BreakGlassGrant.unscoped.create(
        case=glass_case,
        user=cast["amir"],
        reason="Client rang while Alice is on leave",
        expires_at=timezone.now() + datetime.timedelta(hours=4),
    )
    world.extra["marac"] = risk.refer_to_marac(
        case, by=cast["alice"], reason="High risk", referred_on=timezone.localdate()
    )


def case_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.case.public_id}


def awaiting_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.awaiting.public_id}


def closed_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.closed.public_id}


def suspect_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.case.public_id, "record_id": world.suspect.public_id}


def action_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.case.public_id, "record_id": world.action.public_id}


def empty(world: World) -> dict[str, Any]:
    return {}


def form(
    name: str, expect_get: dict[str, int], expect_post: dict[str, int], kwargs: Any
) -> list[Route]:
    """A form page: GET shows it; an empty POST re-shows it with errors (or saves, if all optional)."""
    return [
        Route(name, expect_get, kwargs),
        Route(name, expect_post, kwargs, method="POST", data=empty, mutates=True),
    ]


ADVOCATES = statuses(404, anon=302, alice=200, amir=200, bob=200)
MANAGERS = statuses(404, anon=302, mia=200, bea=200)

ROUTES = [
    Route("cases:list", CASELOAD),
    *form("cases:break_glass", ADVOCATES, ADVOCATES, empty),
    Route("cases:break_glass_reviews", MANAGERS),
    Route(
        "cases:break_glass_review",
        MANAGER_REDIRECT,
        lambda w: {"grant_id": w.grant.public_id},
        "POST",
        empty,
        True,
    ),
    Route("cases:detail", CASEWORKERS, case_kw),
    Route("cases:access_log", MANAGER, case_kw),
    *form("cases:edit", CASEWORKERS, CASEWORKERS, case_kw),
    *form("cases:client_edit", CASEWORKERS, CASEWORKERS, case_kw),
    # An empty allocation form is valid but carries no version: it shows the conflict page.
    *form("cases:allocate", MANAGER, MANAGER, case_kw),
    Route("cases:contact_confirm", CASEWORKERS_REDIRECT, case_kw, "POST", empty, True),
    *form(
        "cases:contact_preference",
        CASEWORKERS,
        CASEWORKERS_REDIRECT,
        lambda w: {"public_id": w.case.public_id, "channel": "text"},
    ),
    Route("cases:contact_log", CASEWORKERS, case_kw),
    *form("cases:contact_new", CASEWORKERS, CASEWORKERS, case_kw),
    *form("cases:suspect_new", CASEWORKERS, CASEWORKERS, case_kw),
    *form("cases:suspect_edit", CASEWORKERS, CASEWORKERS, suspect_kw),
    *form("cases:needs", CASEWORKERS, CASEWORKERS_REDIRECT, case_kw),
    *form("cases:action_new", CASEWORKERS, CASEWORKERS, case_kw),
    *form("cases:action_edit", CASEWORKERS, CASEWORKERS, action_kw),
    Route("cases:action_done", CASEWORKERS_REDIRECT, action_kw, "POST", empty, True),
    *form("cases:safety_plan", CASEWORKERS, CASEWORKERS, case_kw),
    Route("cases:safety_plan_history", CASEWORKERS, case_kw),
    Route(
        "cases:safety_plan_version",
        CASEWORKERS,
        lambda w: {"public_id": w.case.public_id, "number": 1},
    ),
    *form("cases:onward_referral_new", CASEWORKERS, CASEWORKERS, case_kw),
    *form(
        "cases:onward_referral_edit",
        CASEWORKERS,
        CASEWORKERS,
        lambda w: {"public_id": w.case.public_id, "record_id": w.onward.public_id},
    ),
    *form("cases:entry_measures", CASEWORKERS, CASEWORKERS, case_kw),
    *form("cases:close", CASEWORKERS, CASEWORKERS, case_kw),
    *form("cases:sign_off", MANAGER, MANAGER_REDIRECT, awaiting_kw),
    *form("cases:reopen", MANAGER, MANAGER, closed_kw),
    # The loaded instruments (no case content): provider managers and organisation admins.
    Route("risk:instrument_list", statuses(404, anon=302, mia=200, bea=200, ada=200)),
    *form("risk:assessment_new", CASEWORKERS, CASEWORKERS, case_kw),
    Route(
        "risk:assessment_detail",
        CASEWORKERS,
        lambda w: {"public_id": w.assessment.public_id},
    ),
    *form("risk:marac_new", CASEWORKERS, CASEWORKERS, case_kw),
    *form("risk:level_decide", CASEWORKERS, CASEWORKERS, case_kw),
    *form("risk:marac_edit", CASEWORKERS, CASEWORKERS, lambda w: {"public_id": w.marac.public_id}),
]
