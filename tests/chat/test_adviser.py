"""The adviser's side: availability, the queue, several chats at once, saved replies, ending."""

from __future__ import annotations

import pytest

from harbour.audit.models import AuditEvent
from harbour.chat import services
from harbour.chat.models import Chat, ChatMessage, SavedReply
from tests.chat.conftest import start_as_visitor
from tests.conftest import page_of

pytestmark = pytest.mark.django_db


def _waiting(n: int, visitor_cls) -> list:
    clients = []
    for i in range(n):
        c = visitor_cls()
        start_as_visitor(c, alias=f"V{i}")
        clients.append(c)
    return clients


def test_marking_yourself_available_is_audited_and_shown_to_visitors(service, as_user, visitor):
    alice = as_user("alice")
    response = alice.post("/chat/availability/", {"available": "yes"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb="chat.availability_changed").count() == 1
    assert "Advisers are available now" in visitor.get("/public/chat/northshire/").content.decode()
    alice.post("/chat/availability/", {"available": "no"})
    assert "No adviser is free" in visitor.get("/public/chat/northshire/").content.decode()


def test_the_desk_shows_the_queue_and_an_adviser_takes_the_next_chat(on_duty, as_user, visitor):
    _waiting(2, type(visitor))
    alice = as_user("alice")
    page = page_of(alice.get("/chat/"), "Live chat")
    assert "V0" in page and "V1" in page
    response = alice.post("/chat/take-next/")
    chat = Chat.objects.system("test").order_by("pk").first()
    assert response["Location"] == f"/chat/{chat.public_id}/"
    chat.refresh_from_db()
    assert chat.status == Chat.Status.ACTIVE and chat.adviser_id == on_duty.pk
    assert AuditEvent.objects.filter(verb="chat.taken", object_id=str(chat.public_id)).exists()


def test_an_adviser_holds_several_chats_up_to_the_services_limit(
    on_duty, service, as_user, visitor
):
    service.max_chats_per_adviser = 2
    service.save()
    _waiting(3, type(visitor))
    alice = as_user("alice")
    alice.post("/chat/take-next/")
    alice.post("/chat/take-next/")
    response = alice.post("/chat/take-next/")
    assert response["Location"] == "/chat/"
    assert Chat.objects.system("test").filter(status="active", adviser=on_duty).count() == 2
    assert Chat.objects.system("test").filter(status="waiting").count() == 1


def test_a_saved_reply_is_sent_with_the_advisers_words_and_audited(on_duty, as_user, visitor):
    start_as_visitor(visitor)
    alice = as_user("alice")
    alice.post("/chat/take-next/")
    chat = Chat.objects.system("test").get()
    reply = SavedReply.objects.get()
    alice.post(f"/chat/{chat.public_id}/", {"text": "Here is a number:", "reply": reply.pk})
    page = visitor.get("/public/chat/northshire/conversation/").content.decode()
    assert "Here is a number:" in page and "0808 802 0300" in page
    event = AuditEvent.objects.filter(verb="chat.message_sent").get()
    assert event.payload == {"saved_reply": reply.pk}
    assert "number" not in str(event.payload)


def test_the_visitor_sees_the_adviser_join_and_reply(on_duty, as_user, visitor):
    start_as_visitor(visitor)
    alice = as_user("alice")
    alice.post("/chat/take-next/")
    chat = Chat.objects.system("test").get()
    alice.post(f"/chat/{chat.public_id}/", {"text": "Hello, I am here to help."})
    page = visitor.get("/public/chat/northshire/conversation/").content.decode()
    assert "You are talking to an adviser" in page
    assert "Hello, I am here to help." in page


def test_ending_a_chat_deletes_its_text_but_keeps_counts_and_timings(on_duty, as_user, visitor):
    start_as_visitor(visitor, alias="Sam")
    visitor.post("/public/chat/northshire/conversation/", {"text": "first"})
    alice = as_user("alice")
    alice.post("/chat/take-next/")
    chat = Chat.objects.system("test").get()
    alice.post(f"/chat/{chat.public_id}/", {"text": "reply"})
    alice.post(f"/chat/{chat.public_id}/end/")
    chat.refresh_from_db()
    assert chat.status == Chat.Status.ENDED and chat.outcome == Chat.Outcome.ANSWERED
    assert not ChatMessage.objects.system("test").filter(chat=chat).exists()
    assert chat.alias == "" and chat.text_deleted_at is not None
    assert (chat.visitor_messages, chat.adviser_messages) == (1, 1)
    assert chat.wait_seconds is not None and chat.duration_seconds is not None
    assert AuditEvent.objects.filter(verb="chat.ended").exists()
    assert AuditEvent.objects.filter(verb="chat.text_deleted").exists()


def test_a_service_that_keeps_transcripts_keeps_the_text(on_duty, service, as_user, visitor):
    service.keep_unconverted_transcripts = True
    service.save()
    start_as_visitor(visitor)
    visitor.post("/public/chat/northshire/conversation/", {"text": "kept"})
    alice = as_user("alice")
    alice.post("/chat/take-next/")
    chat = Chat.objects.system("test").get()
    alice.post(f"/chat/{chat.public_id}/end/")
    assert ChatMessage.objects.system("test").filter(chat=chat, body__isnull=False).count() >= 2


def test_a_colleague_cannot_read_a_chat_another_adviser_holds(on_duty, as_user, visitor):
    start_as_visitor(visitor)
    as_user("alice").post("/chat/take-next/")
    chat = Chat.objects.system("test").get()
    assert as_user("amir").get(f"/chat/{chat.public_id}/").status_code == 404
    assert as_user("bob").get(f"/chat/{chat.public_id}/").status_code == 404
    # A manager of the service may read it (oversight) but not write in it.
    assert as_user("mia").get(f"/chat/{chat.public_id}/").status_code == 200
    assert as_user("mia").post(f"/chat/{chat.public_id}/", {"text": "x"}).status_code == 404


def test_a_safeguarding_concern_is_recorded_encrypted_and_audited(on_duty, as_user, visitor):
    start_as_visitor(visitor)
    alice = as_user("alice")
    alice.post("/chat/take-next/")
    chat = Chat.objects.system("test").get()
    response = alice.post(
        f"/chat/{chat.public_id}/concern/", {"kind": "child", "note": "Children in the house"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb="chat.concern_recorded").get().payload == {
        "kind": "child"
    }
    alice.post(f"/chat/{chat.public_id}/end/")
    assert services.SafeguardingConcern.objects.system("test").get().note == "Children in the house"


def test_the_adviser_page_shows_the_risk_prompt(on_duty, as_user, visitor):
    start_as_visitor(visitor)
    alice = as_user("alice")
    alice.post("/chat/take-next/")
    chat = Chat.objects.system("test").get()
    page = page_of(alice.get(f"/chat/{chat.public_id}/"), "Live chat conversation")
    assert "call 999" in page and "press 55" in page
    assert AuditEvent.objects.filter(verb="chat.viewed").exists()


def test_a_visitor_who_goes_quiet_is_closed_as_abandoned(on_duty, visitor):
    from datetime import timedelta

    from django.utils import timezone

    start_as_visitor(visitor)
    Chat.objects.system("test").update(visitor_seen_at=timezone.now() - timedelta(minutes=11))
    assert services.close_abandoned() == 1
    chat = Chat.objects.system("test").get()
    assert chat.outcome == Chat.Outcome.ABANDONED and chat.ended_by == Chat.EndedBy.TIMEOUT
