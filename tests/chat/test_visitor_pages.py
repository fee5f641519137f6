"""The visitor's side: availability, queue position, opening hours, out of hours, and leaving."""

from __future__ import annotations

import pytest

from harbour.chat.models import Chat, ChatMessage
from tests.chat.conftest import CLOSED, start_as_visitor
from tests.conftest import page_of

pytestmark = pytest.mark.django_db


def test_the_start_page_shows_advisers_are_available_and_the_opening_hours(on_duty, visitor):
    page = page_of(visitor.get("/public/chat/northshire/"), "Live chat")
    assert "Advisers are available now" in page
    assert "Opening hours" in page and "Monday" in page
    assert "Start a chat" in page
    assert "press 55" in page


def test_out_of_hours_the_page_offers_the_helpline_and_the_self_referral_form(
    service, on_duty, visitor
):
    service.opening_hours = CLOSED
    service.save()
    page = page_of(visitor.get("/public/chat/northshire/"), "Live chat")
    assert "The live chat is closed now" in page
    assert "01632 960 001" in page
    assert "/public/self-referral/" in page
    assert "Start a chat" not in page
    visitor.post("/public/chat/northshire/", {"alias": "Sam"})
    assert not Chat.objects.system("test").exists()


def test_with_nobody_on_duty_the_page_says_so_and_starts_no_chat(service, visitor):
    page = page_of(visitor.get("/public/chat/northshire/"), "Live chat")
    assert "No adviser is free to chat right now" in page
    assert "0808 802 0300" in page


def test_a_visitor_joins_the_queue_and_sees_their_place(on_duty, visitor):
    start_as_visitor(visitor, alias="Sam")
    second = type(visitor)()
    start_as_visitor(second, alias="Jo")
    page = page_of(second.get("/public/chat/northshire/conversation/"), "Live chat")
    assert "You are number <span data-chat-position>2</span> in the queue" in page
    chats = list(Chat.objects.system("test").order_by("pk"))
    assert [c.alias for c in chats] == ["Sam", "Jo"]
    assert {c.status for c in chats} == {Chat.Status.WAITING}


def test_a_visitor_message_is_stored_encrypted_and_shown_back(on_duty, visitor):
    start_as_visitor(visitor)
    response = visitor.post("/public/chat/northshire/conversation/", {"text": "He follows me home"})
    assert response.status_code == 302
    page = page_of(visitor.get("/public/chat/northshire/conversation/"), "Live chat")
    assert "He follows me home" in page
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM chat_chatmessage")
        stored = " ".join(str(row[0]) for row in cursor.fetchall())
    assert "follows" not in stored


def test_the_conversation_without_a_chat_in_the_session_goes_to_the_start_page(service, visitor):
    response = visitor.get("/public/chat/northshire/conversation/")
    assert response.status_code == 302 and response["Location"] == "/public/chat/northshire/"


def test_an_unknown_service_is_not_found(visitor, orgs):
    assert visitor.get("/public/chat/nowhere/").status_code == 404


def test_exit_this_page_ends_the_chat_clears_the_session_and_leaves_nothing(on_duty, visitor):
    start_as_visitor(visitor)
    visitor.post("/public/chat/northshire/conversation/", {"text": "I am scared"})
    response = visitor.get("/public/leave/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "no-store" in response["Cache-Control"]
    chat = Chat.objects.system("test").get()
    assert chat.status == Chat.Status.ENDED and chat.ended_by == Chat.EndedBy.EXIT
    assert chat.outcome == Chat.Outcome.ABANDONED
    assert not ChatMessage.objects.system("test").filter(chat=chat).exists()
    assert (
        visitor.get("/public/chat/northshire/conversation/")["Location"]
        == "/public/chat/northshire/"
    )


def test_every_chat_page_is_no_store_and_names_nobody_in_its_url_or_title(on_duty, visitor):
    start_as_visitor(visitor, alias="Rosalind")
    response = visitor.get("/public/chat/northshire/conversation/")
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert "Rosalind" not in title
    chat = Chat.objects.system("test").get()
    assert str(chat.public_id) not in page


def test_the_visitor_can_end_the_chat_themselves(on_duty, visitor):
    start_as_visitor(visitor)
    response = visitor.post("/public/chat/northshire/conversation/end/")
    assert response["Location"] == "/public/chat/northshire/ended/"
    assert Chat.objects.system("test").get().ended_by == Chat.EndedBy.VISITOR
    page_of(visitor.get("/public/chat/northshire/ended/"), "Live chat ended")
