"""The visitor's side of a chat is held in their server-side session only: the browser keeps a
session cookie (gone when the browser closes) and nothing else, and the URL names no chat.

Reading a visitor's own chat is not a staff read of case data: the session proves it is theirs,
so the lookup is unscoped here, by that one key, and never in a view.
"""

from __future__ import annotations

from django.http import HttpRequest

from harbour.chat import services
from harbour.chat.models import Chat, ChatService

SESSION_KEY = "harbour_chat"


def current_chat(request: HttpRequest, service: ChatService | None = None) -> Chat | None:
    public_id = request.session.get(SESSION_KEY)
    if not public_id:
        return None
    chat = (
        Chat.objects.system("the visitor's own chat, from their session")
        .select_related("service")
        .filter(public_id=public_id)
        .first()
    )
    if chat is None or (service is not None and chat.service_id != service.pk):
        return None
    return chat


def remember(request: HttpRequest, chat: Chat) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = str(chat.public_id)


def end_on_exit(request: HttpRequest) -> None:
    """ "Exit this page": end the visitor's chat at once (the session is flushed by the caller)."""
    chat = current_chat(request)
    if chat is not None and chat.is_live:
        services.visitor_ends(chat, exit_page=True)
