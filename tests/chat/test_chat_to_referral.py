"""A chat becomes a referral when the visitor agrees in the chat, with the transcript attached."""

from __future__ import annotations

import pytest
from django.db import connection

from harbour.audit.models import AuditEvent
from harbour.chat.models import Chat, ChatMessage, ChatTranscript
from harbour.referrals.models import Referral
from tests.chat.conftest import start_as_visitor
from tests.conftest import page_of

pytestmark = pytest.mark.django_db

REFERRAL = {
    "what_is_happening": "An ex-colleague waits outside her flat most nights.",
    "how_long": "1_to_6_months",
    "suspect_relationship": "colleague",
    "given_name": "Sam",
    "phone": "07700 900 982",
    "postcode": "SS1 4AB",  # provider B's area: the chat's own service still gets it
    "safe_channels": ["text"],
}


@pytest.fixture
def talking(on_duty, as_user, visitor):
    start_as_visitor(visitor, alias="Sam")
    visitor.post("/public/chat/northshire/conversation/", {"text": "He waits outside my flat"})
    alice = as_user("alice")
    alice.post("/chat/take-next/")
    chat = Chat.objects.system("test").get()
    alice.post(f"/chat/{chat.public_id}/", {"text": "Would you like us to support you?"})
    return alice, chat


def test_no_referral_can_be_made_before_the_visitor_agrees(talking):
    alice, chat = talking
    response = alice.post(f"/chat/{chat.public_id}/referral/", REFERRAL)
    assert response["Location"] == f"/chat/{chat.public_id}/"
    assert not Referral.objects.system("test").exists()


def test_the_visitor_agrees_in_the_chat_and_the_referral_carries_the_transcript(talking, visitor):
    alice, chat = talking
    alice.post(f"/chat/{chat.public_id}/ask-consent/")
    page = visitor.get("/public/chat/northshire/conversation/").content.decode()
    assert "Yes, I agree to a referral" in page
    visitor.post("/public/chat/northshire/conversation/agree/")
    page_of(alice.get(f"/chat/{chat.public_id}/referral/"), "Make a referral from the chat")
    response = alice.post(f"/chat/{chat.public_id}/referral/", REFERRAL)
    referral = Referral.objects.system("test").get()
    assert response["Location"] == f"/referrals/{referral.public_id}/"
    assert referral.source == Referral.Source.LIVE_CHAT
    assert referral.routed_to_id == chat.service.organisation_id
    assert referral.status == Referral.Status.RECEIVED and referral.consent_to_contact
    assert referral.what_is_happening.startswith("An ex-colleague")
    transcript = ChatTranscript.objects.system("test").get()
    assert transcript.referral_id == referral.pk
    assert "He waits outside my flat" in transcript.text
    assert "Would you like us to support you?" in transcript.text
    assert "You agreed that the adviser can make a referral" in transcript.text
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM chat_chattranscript")
        assert "flat" not in str(cursor.fetchone()[0])
    chat.refresh_from_db()
    assert chat.outcome == Chat.Outcome.CONVERTED and chat.referral_id == referral.pk
    assert not ChatMessage.objects.system("test").filter(chat=chat).exists()
    assert AuditEvent.objects.filter(verb="chat.converted", object_id=str(chat.public_id)).exists()


def test_the_transcript_opens_for_the_providers_triage_and_nobody_else(talking, visitor, as_user):
    alice, chat = talking
    alice.post(f"/chat/{chat.public_id}/ask-consent/")
    visitor.post("/public/chat/northshire/conversation/agree/")
    alice.post(f"/chat/{chat.public_id}/referral/", REFERRAL)
    referral = Referral.objects.system("test").get()
    url = f"/chat/transcripts/{referral.public_id}/"
    page = page_of(as_user("amir").get(url), "Live chat transcript")
    assert "He waits outside my flat" in page
    assert AuditEvent.objects.filter(verb="chat.transcript_viewed").exists()
    for outsider in ("bob", "pete", "cora"):
        assert as_user(outsider).get(url).status_code == 404
    detail = as_user("alice").get(f"/referrals/{referral.public_id}/").content.decode()
    assert url in detail and "Live chat" in detail
