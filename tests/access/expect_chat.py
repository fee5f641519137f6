"""Expected statuses for the live chat: the visitor's pages (live_chat:*, public, no account) and
the adviser's (chat:*).

Provider A has a chat service with Alice taking chats; provider B has none. Advisers are provider
caseworkers (alice, amir, mia; bob and bea's service has no chat, so only the desk opens for them).
Only the adviser holding a chat (Alice) writes in it; her manager (Mia) may read it; a colleague
(Amir) gets 404. The transcript follows the referral it is attached to (provider A's triage).
"""

from __future__ import annotations

from django.utils import timezone

from harbour.chat import services
from harbour.chat.models import Chat, ChatMessage, ChatService, ChatTranscript
from harbour.referrals.models import Referral
from harbour.referrals.services import receive_referral
from tests.access.routes import Route, World, statuses

ALWAYS_OPEN = {str(day): [["00:00", "23:59:59.999999"]] for day in range(7)}
ADVISERS = {"alice": 200, "amir": 200, "mia": 200, "bob": 200, "bea": 200}
ADVISERS_A_DONE = {"alice": 302, "amir": 302, "mia": 302}


def build(world: World) -> None:
    alice = world.cast["alice"]
    service = ChatService.objects.create(
        organisation=world.orgs["provider_a"], slug="northshire", opening_hours=ALWAYS_OPEN
    )
    services.set_available(alice, service, available=True)
    now = timezone.now()
    world.extra["waiting"] = Chat.unscoped.create(service=service, alias="W")
    held = Chat.unscoped.create(
        service=service,
        status=Chat.Status.ACTIVE,
        adviser=alice,
        answered_at=now,
        consent_requested_at=now,
        consent_given_at=now,
    )
    ChatMessage.unscoped.create(chat=held, sender="visitor", body="Hello")
    world.extra["held"] = held
    # An ended chat's stream says so and closes at once (a browser visiting it is not left open).
    world.extra["ended"] = Chat.unscoped.create(
        service=service, status=Chat.Status.ENDED, adviser=alice, answered_at=now, ended_at=now
    )
    referral = receive_referral(
        source=Referral.Source.LIVE_CHAT,
        fields={"given_name": "Wren", "consent_to_contact": True},
        by=alice,
        routed_to=world.orgs["provider_a"],
    )
    done = Chat.unscoped.create(
        service=service,
        status=Chat.Status.ENDED,
        adviser=alice,
        referral=referral,
        outcome="converted",
    )
    ChatTranscript.unscoped.create(chat=done, referral=referral, text="[10:00] Visitor: hello")
    world.extra["referral"] = referral


def held(world: World) -> dict[str, object]:
    return {"public_id": world.held.public_id}


SLUG = {"slug": "northshire"}
REFERRAL = {
    "what_is_happening": "Followed home.",
    "given_name": "Wren",
    "phone": "07700 900 982",
    "postcode": "NS1 2AB",
    "safe_channels": ["text"],
}

ROUTES = [
    # The visitor's pages: the same for everyone, signed in or not.
    Route("live_chat:index", statuses(200)),
    Route("live_chat:start", statuses(200), kwargs=lambda w: SLUG),
    Route("live_chat:start", statuses(404), kwargs=lambda w: {"slug": "nowhere"}),
    Route(
        "live_chat:start",
        statuses(302),
        kwargs=lambda w: SLUG,
        method="POST",
        data=lambda w: {"alias": "Sam"},
        mutates=True,
    ),
    # No chat in this session: back to the start page; no stream.
    Route("live_chat:conversation", statuses(302), kwargs=lambda w: SLUG),
    Route(
        "live_chat:conversation",
        statuses(302),
        kwargs=lambda w: SLUG,
        method="POST",
        data=lambda w: {"text": "hi"},
        mutates=True,
    ),
    Route("live_chat:visitor_events", statuses(404), kwargs=lambda w: SLUG),
    Route("live_chat:agree", statuses(302), kwargs=lambda w: SLUG, method="POST", mutates=True),
    Route("live_chat:end", statuses(302), kwargs=lambda w: SLUG, method="POST", mutates=True),
    Route("live_chat:ended", statuses(200), kwargs=lambda w: SLUG),
    # The adviser's desk and actions.
    Route("chat:desk", statuses(404, anon=302, **ADVISERS)),
    Route(
        "chat:availability",
        statuses(404, anon=302, **ADVISERS_A_DONE),
        method="POST",
        data=lambda w: {"available": "yes"},
        mutates=True,
    ),
    Route(
        "chat:take_next",
        statuses(404, anon=302, **ADVISERS_A_DONE),
        method="POST",
        mutates=True,
    ),
    Route(
        "chat:take",
        statuses(404, anon=302, **ADVISERS_A_DONE),
        kwargs=lambda w: {"public_id": w.waiting.public_id},
        method="POST",
        mutates=True,
    ),
    Route("chat:figures", statuses(404, anon=302, mia=200)),
    # The desk's queue stream (a browser visiting it is held open: the sweep skips event streams
    # by their content type; the test client does not read it).
    Route("chat:desk_events", statuses(404, anon=302, alice=200, amir=200, mia=200)),
    Route(
        "chat:transcript",
        statuses(404, anon=302, alice=200, amir=200, mia=200),
        kwargs=lambda w: {"public_id": w.referral.public_id},
    ),
    Route("chat:conversation", statuses(404, anon=302, alice=200, mia=200), kwargs=held),
    Route(
        "chat:conversation",
        statuses(404, anon=302, alice=302),
        kwargs=held,
        method="POST",
        data=lambda w: {"text": "Hello"},
        mutates=True,
    ),
    Route(
        "chat:adviser_events",
        statuses(404, anon=302, alice=200, mia=200),
        kwargs=lambda w: {"public_id": w.ended.public_id},
    ),
    Route(
        "chat:ask_consent",
        statuses(404, anon=302, alice=302),
        kwargs=held,
        method="POST",
        mutates=True,
    ),
    Route("chat:end", statuses(404, anon=302, alice=302), kwargs=held, method="POST", mutates=True),
    Route("chat:concern", statuses(404, anon=302, alice=200), kwargs=held),
    Route(
        "chat:concern",
        statuses(404, anon=302, alice=302),
        kwargs=held,
        method="POST",
        data=lambda w: {"kind": "adult", "note": "Worried about her mother"},
        mutates=True,
    ),
    Route("chat:referral", statuses(404, anon=302, alice=200), kwargs=held),
    Route(
        "chat:referral",
        statuses(404, anon=302, alice=302),
        kwargs=held,
        method="POST",
        data=lambda w: REFERRAL,
        mutates=True,
    ),
]
