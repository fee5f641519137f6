"""Access helpers for live chat: the first line of every adviser view."""

from __future__ import annotations

import uuid

from django.http import HttpRequest

from harbour.accounts.access import denied

__all__ = ["denied"]
from harbour.chat.models import Chat, ChatService, ChatTranscript
from harbour.core import policy
from harbour.core.http import AuthenticatedHttpRequest
from harbour.referrals.access import get_referral_for_triage


def require_adviser(request: AuthenticatedHttpRequest) -> ChatService | None:
    """A provider's advocate or manager; their service's live chat (None if it has none)."""
    if not policy.can_advise_on_chat(request.user):
        raise denied(request, "chat.desk")
    return (
        ChatService.objects.select_related("organisation")
        .filter(organisation=request.user.organisation, is_active=True)
        .first()
    )


def require_service(request: AuthenticatedHttpRequest) -> ChatService:
    service = require_adviser(request)
    if service is None:
        raise denied(request, "chat.service")
    return service


def get_chat_for_adviser(request: HttpRequest, public_id: uuid.UUID | str) -> Chat:
    """A chat this adviser holds (or, for a manager, one of their service's answered chats)."""
    chat = None
    if policy.can_advise_on_chat(request.user):
        chat = (
            Chat.objects.for_user(request.user)
            .select_related("service", "adviser")
            .filter(public_id=public_id)
            .first()
        )
    if chat is None or not policy.can_view_chat(request.user, chat):
        raise denied(request, "chat.chat", str(public_id))
    return chat


def get_chat_to_act_on(request: HttpRequest, public_id: uuid.UUID | str) -> Chat:
    chat = get_chat_for_adviser(request, public_id)
    if not policy.can_act_on_chat(request.user, chat):
        raise denied(request, "chat.chat_action", str(public_id))
    return chat


def get_chat_to_take(request: HttpRequest, public_id: uuid.UUID | str) -> Chat:
    chat = None
    if policy.can_advise_on_chat(request.user):
        chat = (
            Chat.objects.for_user(request.user)
            .select_related("service")
            .filter(public_id=public_id)
            .first()
        )
    if chat is None or not policy.can_take_chat(request.user, chat):
        raise denied(request, "chat.chat_take", str(public_id))
    return chat


def get_transcript(request: HttpRequest, referral_public_id: uuid.UUID | str) -> ChatTranscript:
    """The transcript attached to a referral this person may triage."""
    referral = get_referral_for_triage(request, referral_public_id)
    transcript = (
        ChatTranscript.objects.for_user(request.user)
        .select_related("referral", "chat")
        .filter(referral=referral)
        .first()
    )
    if transcript is None:
        raise denied(request, "chat.transcript", str(referral_public_id))
    return transcript


def require_figures(request: AuthenticatedHttpRequest) -> ChatService:
    if not policy.can_view_chat_figures(request.user):
        raise denied(request, "chat.figures")
    return require_service(request)
