"""Expected statuses for training:*, partners:* and training_public:* URLs.

Tariq is provider A's trainer and Mia its manager: they run the training queue, sessions, events,
attendees, certificates and figures. Partner organisations are also read by provider A's advocates
(Alice, Amir): the area's single point of contact is an advocate. Only a provider manager (Mia)
names the single point of contact. Everyone else, including provider B, gets 404.

The public pages need no account: the request form, and an attendee's own feedback link, which opens
(with the certificate) only once the session is delivered; an unknown link is 404 for everyone.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.access.routes import Route, World, statuses

TRAINING = statuses(404, anon=302, mia=200, tariq=200)
#: Pages of one's own organisation's training (provider B's manager sees her own, empty, queue).
TRAINING_PAGE = statuses(404, anon=302, mia=200, tariq=200, bea=200)
TRAINING_PAGE_DONE = statuses(404, anon=302, mia=302, tariq=302, bea=302)
TRAINING_DONE = statuses(404, anon=302, mia=302, tariq=302)
PARTNER_READERS = statuses(404, anon=302, alice=200, amir=200, mia=200, tariq=200)
PARTNER_EDITORS = statuses(404, anon=302, mia=200, tariq=200)
PARTNER_LIST = statuses(404, anon=302, alice=200, amir=200, mia=200, tariq=200, bob=200, bea=200)


def build(world: World) -> None:
    from harbour.training import services
    from harbour.training.models import TrainingSession

    cast, orgs = world.cast, world.orgs
    provider = orgs["provider_a"]
    tariq = cast["tariq"]
    world.extra["request"] = services.receive_request(provider, request_fields())
    partner = services.add_partner(
        provider, by=tariq, name="Larkfield Surgery", sector="health", area="Larkfield"
    )
    world.extra["partner"] = partner
    world.extra["other_partner"] = services.add_partner(
        provider, by=tariq, name="Hair by Hazel", sector="hairdressing", area="Northtown"
    )
    session = services.schedule_session(
        provider,
        by=tariq,
        title="Stalking awareness for GP practice staff",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        duration_minutes=180,
        place="their_premises",
        venue="Practice meeting room",
        area="Larkfield",
        trainer=tariq,
        capacity=20,
        partner=partner,
    )
    world.extra["session"] = session
    world.extra["attendee"] = services.add_attendee(
        session, name="Morwenna Example", email="", sector="health", partner=partner, by=tariq
    )
    delivered = services.schedule_session(
        provider,
        by=tariq,
        title="Awareness conference",
        kind=TrainingSession.Kind.EVENT,
        starts_at=timezone.now() - datetime.timedelta(days=7),
        duration_minutes=240,
        place="other_venue",
        venue="Town hall",
        area="Northtown",
        trainer=tariq,
        capacity=80,
        partner=partner,
    )
    world.extra["delivered_attendee"] = services.add_attendee(
        delivered, name="Ptolemy Example", email="", sector="health", partner=partner, by=tariq
    )
    services.deliver_session(delivered, attendance={"health": 12, "police": 3}, by=tariq)


def request_fields() -> dict[str, Any]:
    return {
        "organisation_name": "Larkfield Surgery",
        "sector": "health",
        "people": 14,
        "preferred_dates": "Wednesday afternoons",
        "place": "their_premises",
        "location": "Larkfield",
        "contact_name": "Practice Manager",
        "contact_email": "pm@example.org",
    }


def _id(name: str) -> Any:
    return lambda world: {"public_id": getattr(world, name).public_id}


def _token(name: str) -> Any:
    return lambda world: {"token": getattr(world, name).token}


SCHEDULE = {
    "title": "Stalking awareness training",
    "date": "2027-03-17",
    "start_time": "14:00",
    "duration_minutes": "180",
    "place": "their_premises",
    "venue": "Surgery",
    "area": "Larkfield",
    "capacity": "14",
}


def _schedule(world: World) -> dict[str, Any]:
    return {**SCHEDULE, "trainer": world.cast["tariq"].pk}


def _event(world: World) -> dict[str, Any]:
    return {**SCHEDULE, "kind": "event", "trainer": world.cast["tariq"].pk}


FEEDBACK = {
    "recognising_before": "2",
    "recognising_after": "4",
    "responding_before": "1",
    "responding_after": "4",
    "referring_before": "2",
    "referring_after": "5",
}
PUBLIC_REQUEST = {
    "organisation_name": "Salon Seven",
    "sector": "hairdressing",
    "people": "6",
    "place": "online",
    "contact_name": "Owner",
    "contact_email": "owner@example.org",
}

ROUTES = [
    # The trainer's pages.
    Route("training:queue", TRAINING_PAGE),
    Route("training:figures", TRAINING_PAGE),
    Route("training:request_detail", TRAINING, kwargs=_id("request")),
    Route("training:request_schedule", TRAINING, kwargs=_id("request")),
    Route(
        "training:request_schedule",
        TRAINING_DONE,
        kwargs=_id("request"),
        method="POST",
        data=_schedule,
        mutates=True,
    ),
    Route("training:request_cancel", TRAINING, kwargs=_id("request")),
    Route(
        "training:request_cancel",
        TRAINING_DONE,
        kwargs=_id("request"),
        method="POST",
        data=lambda world: {"reason": "They found another provider."},
        mutates=True,
    ),
    Route("training:session_new", TRAINING_PAGE),
    # Tariq is not a trainer at provider B: Bea's form comes back with an error.
    Route(
        "training:session_new",
        statuses(404, anon=302, mia=302, tariq=302, bea=200),
        method="POST",
        data=_event,
        mutates=True,
    ),
    Route("training:session_detail", TRAINING, kwargs=_id("session")),
    Route(
        "training:session_organisation_add",
        TRAINING_DONE,
        kwargs=_id("session"),
        method="POST",
        data=lambda world: {"partner": world.other_partner.pk},
        mutates=True,
    ),
    Route("training:attendee_add", TRAINING, kwargs=_id("session")),
    Route(
        "training:attendee_add",
        TRAINING_DONE,
        kwargs=_id("session"),
        method="POST",
        data=lambda world: {"name": "Cressida Example", "sector": "health"},
        mutates=True,
    ),
    Route("training:session_deliver", TRAINING, kwargs=_id("session")),
    Route(
        "training:session_deliver",
        TRAINING_DONE,
        kwargs=_id("session"),
        method="POST",
        data=lambda world: {"health": "11", "employer": "2"},
        mutates=True,
    ),
    Route("training:session_cancel", TRAINING, kwargs=_id("session")),
    Route(
        "training:session_cancel",
        TRAINING_DONE,
        kwargs=_id("session"),
        method="POST",
        data=lambda world: {"reason": "Trainer unwell; rearranging."},
        mutates=True,
    ),
    Route("training:certificate", TRAINING, kwargs=_id("delivered_attendee")),
    # No certificate before the session is delivered.
    Route("training:certificate", statuses(404, anon=302), kwargs=_id("attendee")),
    # Partner organisations and the single point of contact.
    Route("partners:list", PARTNER_LIST),
    Route("partners:detail", PARTNER_READERS, kwargs=_id("partner")),
    Route("partners:new", TRAINING_PAGE),
    Route(
        "partners:new",
        TRAINING_PAGE_DONE,
        method="POST",
        data=lambda world: {"name": "Northtown Housing", "sector": "housing"},
        mutates=True,
    ),
    Route("partners:contact_add", PARTNER_EDITORS, kwargs=_id("partner")),
    Route(
        "partners:contact_add",
        statuses(404, anon=302, mia=302, tariq=302),
        kwargs=_id("partner"),
        method="POST",
        data=lambda world: {"name": "Reception lead", "email": "r@example.org"},
        mutates=True,
    ),
    Route("partners:contact_point", statuses(404, anon=302, mia=200, bea=200)),
    # Alice is not Bea's advocate: Bea's form comes back with an error.
    Route(
        "partners:contact_point",
        statuses(404, anon=302, mia=302, bea=200),
        method="POST",
        data=lambda world: {"advocate": world.cast["alice"].pk, "area": "Northshire"},
        mutates=True,
    ),
    # Public pages: no account needed.
    Route("training_public:request", statuses(200)),
    Route(
        "training_public:request",
        statuses(302),
        method="POST",
        data=lambda world: {**PUBLIC_REQUEST, "provider": world.orgs["provider_a"].pk},
        mutates=True,
    ),
    Route("training_public:sent", statuses(200)),
    Route("training_public:feedback", statuses(200), kwargs=_token("delivered_attendee")),
    Route(
        "training_public:feedback",
        statuses(200),
        kwargs=_token("delivered_attendee"),
        method="POST",
        data=lambda world: FEEDBACK,
        mutates=True,
    ),
    # A link for a session not yet delivered opens nothing.
    Route("training_public:feedback", statuses(404), kwargs=_token("attendee")),
    Route("training_public:certificate", statuses(200), kwargs=_token("delivered_attendee")),
]
