"""Expected statuses for justice:* URLs (orders, the criminal-justice journey, the police
coordinator's workspace, reminders and serial-suspect links).

Alice is the allocated advocate and Mia her manager: they see and record the case's orders and
journey; Amir and everyone at another organisation get 404. Pete, Northshire Police's stalking
coordinator, uses the workspace: the case is there because the client consented to share with
police and the order and journey concern his force. Suspect links are for provider managers (Mia,
Bea). Mia has emergency access to Bea's organisation's matching suspect (her own disclosure); Bea
reviews it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.access.routes import Route, World, statuses

CASEWORKERS = statuses(404, anon=302, alice=200, mia=200)
CASEWORKERS_REDIRECT = statuses(404, anon=302, alice=302, mia=302)
PETE = statuses(404, anon=302, pete=200)
MANAGERS = statuses(404, anon=302, mia=200, bea=200)


def build(world: World) -> None:
    from harbour.cases import services as cases
    from harbour.cases.models import Suspect
    from harbour.evidence import services as evidence
    from harbour.justice import services
    from harbour.justice.models import OrderNotification, Reminder
    from tests.evidence.conftest import entry

    cast, orgs = world.cast, world.orgs
    alice, today = cast["alice"], timezone.localdate()
    case = cases.open_case(
        organisation=orgs["provider_a"],
        client_fields={"given_name": "Wren", "family_name": "Testcase"},
        by=cast["mia"],
        allocated_to=alice,
        source="matrix",
    )
    suspect = Suspect.unscoped.create(case=case, names="Dorian Voss")
    cases.set_suspect_identifiers(suspect, {"phone": ["07911 123123"]})
    evidence.record_police_consent(case, state="given", how="in_person", decided_on=today, by=alice)
    for days in (1, 2):
        evidence.log_incident(
            case,
            by=alice,
            data=entry(occurred_at=timezone.now() - datetime.timedelta(days=days)),
        )
    journey = services.start_journey(case, by=alice, force=orgs["police"], reported_on=today)
    services.record_milestone(
        journey, by=alice, kind="recorded", on=today, recorded_as="s2_harassment"
    )
    order = services.record_order(
        case,
        by=alice,
        kind="spo",
        step="made",
        on=today,
        suspect=suspect,
        force=orgs["police"],
        indefinite=True,
    )
    services.record_notification_event(order, by=alice, event="service", event_on=today)
    services.run_reminders()
    other_case = cases.open_case(
        organisation=orgs["provider_b"],
        client_fields={"given_name": "Ivy"},
        by=cast["bea"],
        allocated_to=cast["bob"],
    )
    other = Suspect.unscoped.create(case=other_case, names="D Voss")
    cases.set_suspect_identifiers(other, {"phone": ["+44 7911 123123"]})
    disclosure = services.claim_link_disclosure(
        manager=cast["mia"], own=suspect, other=other, reason="Immediate risk"
    )
    world.extra.update(
        case=case,
        suspect=suspect,
        other=other,
        journey=journey,
        order=order,
        notification=OrderNotification.unscoped.get(order=order),
        reminder=Reminder.unscoped.get(user=alice),
        disclosure=disclosure,
    )


def case_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.case.public_id}


def order_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.order.public_id}


def journey_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.journey.public_id}


def today() -> str:
    return timezone.localdate().isoformat()


ROUTES = [
    Route("justice:order_new", CASEWORKERS, kwargs=case_kw),
    Route(
        "justice:order_new",
        CASEWORKERS_REDIRECT,
        kwargs=case_kw,
        method="POST",
        data=lambda w: {"kind": "non_molestation", "step": "considered", "on": today()},
        mutates=True,
    ),
    Route("justice:journey_new", CASEWORKERS, kwargs=case_kw),
    Route(
        "justice:journey_new",
        CASEWORKERS_REDIRECT,
        kwargs=case_kw,
        method="POST",
        data=lambda w: {
            "force": w.orgs["police"].pk,
            "reported_on": today(),
            "suspect": w.suspect.pk,
        },
        mutates=True,
    ),
    Route("justice:order_detail", CASEWORKERS, kwargs=order_kw),
    Route("justice:order_step", CASEWORKERS, kwargs=order_kw),
    Route(
        "justice:order_step",
        CASEWORKERS_REDIRECT,
        kwargs=order_kw,
        method="POST",
        data=lambda w: {"step": "discharged", "on": today()},
        mutates=True,
    ),
    Route("justice:condition_new", CASEWORKERS, kwargs=order_kw),
    Route(
        "justice:condition_new",
        CASEWORKERS_REDIRECT,
        kwargs=order_kw,
        method="POST",
        data=lambda w: {"kind": "exclusion_zone", "details": "High Street"},
        mutates=True,
    ),
    Route("justice:notification_new", CASEWORKERS, kwargs=order_kw),
    Route(
        "justice:notification_new",
        CASEWORKERS_REDIRECT,
        kwargs=order_kw,
        method="POST",
        data=lambda w: {"event": "change", "event_on": today()},
        mutates=True,
    ),
    Route(
        "justice:notified",
        CASEWORKERS_REDIRECT,
        kwargs=lambda w: {
            "public_id": w.order.public_id,
            "notification_id": w.notification.public_id,
        },
        method="POST",
        data=lambda w: {"notified_on": today()},
        mutates=True,
    ),
    Route("justice:breach_new", CASEWORKERS, kwargs=order_kw),
    Route(
        "justice:breach_new",
        CASEWORKERS_REDIRECT,
        kwargs=order_kw,
        method="POST",
        data=lambda w: {"occurred_on": today()},
        mutates=True,
    ),
    Route("justice:journey_detail", CASEWORKERS, kwargs=journey_kw),
    Route("justice:milestone_new", CASEWORKERS, kwargs=journey_kw),
    Route(
        "justice:milestone_new",
        CASEWORKERS_REDIRECT,
        kwargs=journey_kw,
        method="POST",
        data=lambda w: {"kind": "arrested", "on": today()},
        mutates=True,
    ),
    Route("justice:workspace", PETE),
    Route("justice:pipeline", PETE),
    Route("justice:under_recording", PETE),
    Route("justice:police_case", PETE, kwargs=case_kw),
    Route(
        "justice:review_request",
        statuses(404, anon=302, pete=302),
        kwargs=journey_kw,
        method="POST",
        mutates=True,
    ),
    Route(
        "justice:reminder_read",
        statuses(404, anon=302, alice=302),
        kwargs=lambda w: {"public_id": w.reminder.public_id},
        method="POST",
        mutates=True,
    ),
    Route("justice:links", MANAGERS),
    Route(
        "justice:disclose",
        statuses(404, anon=302, mia=200),
        kwargs=lambda w: {"own_id": w.suspect.public_id, "other_id": w.other.public_id},
    ),
    Route(
        "justice:disclose",
        statuses(404, anon=302, mia=302),
        kwargs=lambda w: {"own_id": w.suspect.public_id, "other_id": w.other.public_id},
        method="POST",
        data=lambda w: {"reason": "The client is at immediate risk."},
        mutates=True,
    ),
    Route(
        "justice:disclosure_detail",
        statuses(404, anon=302, mia=200),
        kwargs=lambda w: {"public_id": w.disclosure.public_id},
    ),
    Route("justice:disclosure_reviews", MANAGERS),
    Route(
        "justice:disclosure_review",
        statuses(404, anon=302, bea=302),
        kwargs=lambda w: {"public_id": w.disclosure.public_id},
        method="POST",
        data=lambda w: {"note": "Justified"},
        mutates=True,
    ),
]
