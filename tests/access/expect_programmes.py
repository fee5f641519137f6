"""Expected statuses for programmes:* URLs: the perpetrator programme kept apart from victims.

Priya, the programme practitioner, is the only one who sees participants, sessions, notes and risk
reviews. Pete, Northshire Police's coordinator, sees the status of the participant his force holds a
Stalking Protection Order for (never notes). Advocates and managers see none of it; on their own
case (Alice's, which Mia manages) they see only the page that says whether the suspect is attending
a programme. Priya gets 404 there: programme staff never see a victim's case.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.access.routes import Route, World, statuses

PROGRAMME = statuses(404, anon=302, priya=200)
PROGRAMME_DONE = statuses(404, anon=302, priya=302)
POLICE = statuses(404, anon=302, pete=200)


def build(world: World) -> None:
    from harbour.cases import services as cases
    from harbour.programmes import services

    cast, orgs = world.cast, world.orgs
    priya = cast["priya"]
    participant = services.add_participant(
        orgs["programme"],
        by=priya,
        given_name="Lysander",
        family_name="Example",
        phone="07911 123777",
        route="spo",
        referring_force=orgs["police"],
        order_reference="SPO/NS/2027/0042",
        practitioner=priya,
        share_attendance_with_victim_services=True,
    )
    services.start_programme(
        participant, first_session=timezone.localdate() - datetime.timedelta(days=14), by=priya
    )
    world.extra["participant"] = participant
    from harbour.programmes.models import ProgrammeSession

    world.extra["programme_session"] = ProgrammeSession.unscoped.get(
        participant=participant, number=1
    )
    world.extra["referred"] = services.add_participant(
        orgs["programme"], by=priya, given_name="Orsino", route="probation", practitioner=priya
    )
    world.extra["case"] = cases.open_case(
        organisation=orgs["provider_a"],
        client_fields={"given_name": "Viola", "family_name": "Testcase"},
        by=cast["mia"],
        allocated_to=cast["alice"],
        source="matrix",
    )


def _id(name: str) -> Any:
    return lambda world: {"public_id": getattr(world, name).public_id}


def _new_participant(world: World) -> dict[str, Any]:
    return {
        "given_name": "Benedick",
        "route": "police",
        "referring_force": world.orgs["police"].pk,
        "referred_on": timezone.localdate().isoformat(),
        "practitioner": world.cast["priya"].pk,
    }


ROUTES = [
    Route("programmes:participants", PROGRAMME),
    Route("programmes:participant_new", PROGRAMME),
    Route(
        "programmes:participant_new",
        PROGRAMME_DONE,
        method="POST",
        data=_new_participant,
        mutates=True,
    ),
    Route("programmes:participant_detail", PROGRAMME, kwargs=_id("participant")),
    Route("programmes:participant_start", PROGRAMME, kwargs=_id("referred")),
    Route(
        "programmes:participant_start",
        PROGRAMME_DONE,
        kwargs=_id("referred"),
        method="POST",
        data=lambda world: {"first_session": timezone.localdate().isoformat()},
        mutates=True,
    ),
    Route("programmes:session_record", PROGRAMME, kwargs=_id("programme_session")),
    Route(
        "programmes:session_record",
        PROGRAMME_DONE,
        kwargs=_id("programme_session"),
        method="POST",
        data=lambda world: {
            "planned_on": world.programme_session.planned_on.isoformat(),
            "status": "attended",
            "notes": "Talked through the effect on the person he fixated on.",
        },
        mutates=True,
    ),
    Route("programmes:risk_review", PROGRAMME, kwargs=_id("participant")),
    Route(
        "programmes:risk_review",
        PROGRAMME_DONE,
        kwargs=_id("participant"),
        method="POST",
        data=lambda world: {"level": "high", "notes": "Still minimising."},
        mutates=True,
    ),
    Route("programmes:referrer_update", PROGRAMME, kwargs=_id("participant")),
    Route(
        "programmes:referrer_update",
        PROGRAMME_DONE,
        kwargs=_id("participant"),
        method="POST",
        data=lambda world: {"kind": "progress", "message": "Attending every week."},
        mutates=True,
    ),
    Route("programmes:participant_end", PROGRAMME, kwargs=_id("participant")),
    Route(
        "programmes:participant_end",
        PROGRAMME_DONE,
        kwargs=_id("participant"),
        method="POST",
        data=lambda world: {
            "reason": "disengaged",
            "ended_on": timezone.localdate().isoformat(),
        },
        mutates=True,
    ),
    Route("programmes:police_list", POLICE),
    Route("programmes:police_detail", POLICE, kwargs=_id("participant")),
    # Pete's force did not refer this one (probation did): not his to see.
    Route("programmes:police_detail", statuses(404, anon=302), kwargs=_id("referred")),
    Route(
        "programmes:suspect_attendance",
        statuses(404, anon=302, alice=200, mia=200),
        kwargs=_id("case"),
    ),
    Route(
        "programmes:suspect_attendance",
        statuses(404, anon=302, alice=302, mia=302),
        kwargs=_id("case"),
        method="POST",
        data=lambda world: {"state": "given"},
        mutates=True,
    ),
]
