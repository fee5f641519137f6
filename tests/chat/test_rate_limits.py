"""Floods and scripts are slowed per chat; an address gets a generous allowance, so one person's
flood does not block everyone else behind the same address (a refuge, a library, a phone network)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from harbour.chat.models import Chat, ChatMessage
from tests.chat.conftest import start_as_visitor

pytestmark = pytest.mark.django_db


@override_settings(HARBOUR_CHAT_MESSAGES_PER_MINUTE=3)
def test_a_flood_of_messages_from_one_chat_is_paused_and_the_text_kept(on_duty, visitor):
    start_as_visitor(visitor)
    for i in range(3):
        visitor.post("/public/chat/northshire/conversation/", {"text": f"message {i}"})
    response = visitor.post("/public/chat/northshire/conversation/", {"text": "one too many"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "very quickly" in page and "one too many" in page
    assert ChatMessage.objects.system("test").filter(sender="visitor").count() == 3


@override_settings(HARBOUR_CHAT_MESSAGES_PER_MINUTE=3)
def test_another_visitor_behind_the_same_address_can_still_write(on_duty, visitor):
    start_as_visitor(visitor)
    for i in range(4):
        visitor.post("/public/chat/northshire/conversation/", {"text": f"flood {i}"})
    neighbour = Client()  # same address (127.0.0.1), its own session and chat
    start_as_visitor(neighbour)
    response = neighbour.post("/public/chat/northshire/conversation/", {"text": "I need help"})
    assert response.status_code == 302
    assert ChatMessage.objects.system("test").filter(body__isnull=False).count() >= 4


@override_settings(HARBOUR_CHAT_WAITING_PER_ADDRESS=2)
def test_one_address_holds_only_a_few_places_in_the_queue_at_once(on_duty):
    start_as_visitor(Client())
    start_as_visitor(Client())
    response = Client().post("/public/chat/northshire/", {"alias": "x"})
    assert response.status_code == 429
    assert "paused for a while" in response.content.decode()
    assert Chat.objects.system("test").count() == 2


@override_settings(HARBOUR_CHAT_STARTS_PER_HOUR=3, HARBOUR_CHAT_WAITING_PER_ADDRESS=10)
def test_many_chats_started_from_one_address_in_an_hour_are_paused(on_duty):
    for _ in range(3):
        start_as_visitor(Client())
    assert Client().post("/public/chat/northshire/", {"alias": "x"}).status_code == 429
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post("/public/chat/northshire/", {"alias": "y"}).status_code == 302
