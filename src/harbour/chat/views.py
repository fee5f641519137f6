"""Live chat pages: the visitor's (public, no account) and the adviser's desk and conversations.

Every page works without JavaScript (send a message, then refresh to see replies); with it,
``chat/chat.js`` opens the page's event stream and sends messages without reloading.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.chat import access, services, visitor
from harbour.chat.forms import (
    AdviserMessageForm,
    ChatReferralForm,
    ConcernForm,
    StartForm,
    VisitorMessageForm,
)
from harbour.chat.models import Chat, ChatMessage, ChatService, SavedReply
from harbour.chat.stream import event_stream, message_json, queue_stream
from harbour.core import policy
from harbour.core.forms import posted
from harbour.core.http import AuthenticatedHttpRequest
from harbour.referrals.forms import intake_fields


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Harbour-Chat") == "1"


def _not_found_service(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


# Visitor ------------------------------------------------------------------------------------------


@require_GET
def services_index(request: HttpRequest) -> HttpResponse:
    found = ChatService.objects.select_related("organisation").filter(
        is_active=True, organisation__is_active=True
    )
    return render(request, "chat/services.html", {"services": found})


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    service = services.service_for_slug(slug)
    if service is None:
        return _not_found_service(request)
    chat = visitor.current_chat(request, service)
    if chat is not None and chat.is_live:
        return redirect("live_chat:conversation", slug=slug)
    now = services.availability(service)
    form = StartForm(posted(request))
    notice = ""
    status = 200
    if request.method == "POST" and form.is_valid() and now.can_start:
        try:
            chat = services.start_chat(service, alias=form.cleaned_data["alias"], request=request)
        except services.RateLimited:
            notice, status = "paused", 429
        else:
            visitor.remember(request, chat)
            return redirect("live_chat:conversation", slug=slug)
    context = {"service": service, "now": now, "form": form, "notice": notice}
    return render(request, "chat/start.html", context, status=status)


def _visitor_chat_or_start(request: HttpRequest, slug: str) -> tuple[ChatService, Chat] | None:
    service = services.service_for_slug(slug)
    if service is None:
        return None
    chat = visitor.current_chat(request, service)
    return (service, chat) if chat is not None else None


@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, slug: str) -> HttpResponse:
    found = _visitor_chat_or_start(request, slug)
    if found is None:
        return redirect("live_chat:start", slug=slug)
    service, chat = found
    form = VisitorMessageForm(posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.visitor_says(chat, form.cleaned_data["text"])
            except services.RateLimited:
                form.add_error("text", "You are sending messages very quickly. Wait a minute.")
                status = 429
            except services.ChatError as error:
                form.add_error("text", str(error))
            else:
                if _wants_json(request):
                    return JsonResponse({"ok": True})
                return redirect("live_chat:conversation", slug=slug)
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)
    else:
        services.note_visitor_seen(chat)
    shown = _messages(chat, ChatMessage.Sender.VISITOR)
    context = {
        "service": service,
        "chat": chat,
        "form": form,
        "messages_shown": shown,
        "after": shown[-1]["id"] if shown else 0,
        "position": services.queue_position(chat),
        "show_agree": chat.status == Chat.Status.ACTIVE
        and chat.consent_requested_at is not None
        and chat.consent_given_at is None,
        "stream_url": reverse("live_chat:visitor_events", kwargs={"slug": slug}),
    }
    return render(request, "chat/visitor.html", context, status=status)


def _messages(chat: Chat, viewer: str) -> list[dict[str, Any]]:
    return [message_json(m, viewer) for m in services.messages_of(chat)]


@require_GET
def visitor_events(request: HttpRequest, slug: str) -> HttpResponseBase:
    found = _visitor_chat_or_start(request, slug)
    if found is None:
        return _not_found_service(request)
    return event_stream(request, found[1], ChatMessage.Sender.VISITOR)


@require_POST
def visitor_agree(request: HttpRequest, slug: str) -> HttpResponse:
    found = _visitor_chat_or_start(request, slug)
    if found is None:
        return redirect("live_chat:start", slug=slug)
    # Nothing was asked, or the chat ended: the page says where things stand.
    with contextlib.suppress(services.ChatError):
        services.visitor_agrees_to_referral(found[1])
    return redirect("live_chat:conversation", slug=slug)


@require_POST
def visitor_end(request: HttpRequest, slug: str) -> HttpResponse:
    found = _visitor_chat_or_start(request, slug)
    if found is not None:
        services.visitor_ends(found[1])
    request.session.flush()
    return redirect("live_chat:ended", slug=slug)


@require_GET
def ended(request: HttpRequest, slug: str) -> HttpResponse:
    service = services.service_for_slug(slug)
    if service is None:
        return _not_found_service(request)
    return render(request, "chat/ended.html", {"service": service})


# Adviser ------------------------------------------------------------------------------------------


@require_GET
def desk(request: AuthenticatedHttpRequest) -> HttpResponse:
    service = access.require_adviser(request)
    context: dict[str, Any] = {"service": service}
    if service is not None:
        services.close_abandoned()
        services.note_adviser_seen(request.user)
        presence = services.presence_of(request.user)
        context.update(
            presence=presence,
            available=bool(presence and presence.available),
            now=services.availability(service),
            waiting=services.waiting_chats(service, user=request.user),
            mine=services.chats_held_by(request.user),
            can_view_figures=policy.can_view_chat_figures(request.user),
        )
    record(actor=request.user, verb=AuditVerb.CHAT_DESK_VIEWED, request=request)
    return render(request, "chat/desk.html", context)


@require_GET
def desk_events(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The desk's stream: the queue's length as it changes (the page reloads to show it)."""
    service = access.require_service(request)
    services.note_adviser_seen(request.user)
    return queue_stream(request, service.pk)


@require_POST
def availability(request: AuthenticatedHttpRequest) -> HttpResponse:
    service = access.require_service(request)
    available = request.POST.get("available") == "yes"
    services.set_available(request.user, service, available=available)
    messages.success(
        request, "You are taking chats" if available else "You are not taking new chats"
    )
    return redirect("chat:desk")


@require_POST
def take_next(request: AuthenticatedHttpRequest) -> HttpResponse:
    service = access.require_service(request)
    try:
        chat = services.take_next(service, by=request.user)
    except services.ChatError as error:
        messages.error(request, str(error))
        return redirect("chat:desk")
    if chat is None:
        messages.info(request, "Nobody is waiting")
        return redirect("chat:desk")
    return redirect("chat:conversation", public_id=chat.public_id)


@require_POST
def take(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    chat = access.get_chat_to_take(request, public_id)
    try:
        services.take_chat(chat, by=request.user)
    except services.ChatError as error:
        messages.error(request, str(error))
        return redirect("chat:desk")
    return redirect("chat:conversation", public_id=chat.public_id)


@require_http_methods(["GET", "POST"])
def adviser_conversation(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    chat = access.get_chat_for_adviser(request, public_id)
    replies = SavedReply.objects.filter(service=chat.service)
    form = AdviserMessageForm(posted(request), replies=replies)
    if request.method == "POST":
        if not policy.can_act_on_chat(request.user, chat):
            raise access.denied(request, "chat.chat_action", str(public_id))
        if form.is_valid():
            try:
                services.adviser_says(
                    chat,
                    form.cleaned_data["text"],
                    by=request.user,
                    reply=form.cleaned_data["reply"],
                )
            except services.ChatError as error:
                form.add_error("text", str(error))
            else:
                if _wants_json(request):
                    return JsonResponse({"ok": True})
                return redirect("chat:conversation", public_id=chat.public_id)
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)
    else:
        services.note_adviser_seen(request.user)
        record(actor=request.user, verb=AuditVerb.CHAT_VIEWED, obj=chat, request=request)
    shown = _messages(chat, ChatMessage.Sender.ADVISER)
    context = {
        "chat": chat,
        "form": form,
        "messages_shown": shown,
        "after": shown[-1]["id"] if shown else 0,
        "can_act": policy.can_act_on_chat(request.user, chat),
        "replies": replies,
        "stream_url": reverse("chat:adviser_events", kwargs={"public_id": chat.public_id}),
        "mine": services.chats_held_by(request.user),
    }
    return render(request, "chat/adviser.html", context)


@require_GET
def adviser_events(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    chat = access.get_chat_for_adviser(request, public_id)
    return event_stream(request, chat, ChatMessage.Sender.ADVISER)


@require_POST
def ask_consent(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    chat = access.get_chat_to_act_on(request, public_id)
    try:
        services.ask_for_referral_consent(chat, by=request.user)
    except services.ChatError as error:
        messages.error(request, str(error))
    return redirect("chat:conversation", public_id=chat.public_id)


@require_POST
def end(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    chat = access.get_chat_to_act_on(request, public_id)
    services.end_chat(chat, by=request.user)
    messages.success(request, "Chat ended")
    return redirect("chat:desk")


@require_http_methods(["GET", "POST"])
def concern(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    chat = access.get_chat_to_act_on(request, public_id)
    form = ConcernForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.record_concern(
            chat, kind=form.cleaned_data["kind"], note=form.cleaned_data["note"], by=request.user
        )
        messages.success(request, "Safeguarding concern recorded")
        return redirect("chat:conversation", public_id=chat.public_id)
    return render(request, "chat/concern.html", {"chat": chat, "form": form})


@require_http_methods(["GET", "POST"])
def make_referral(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    chat = access.get_chat_to_act_on(request, public_id)
    form = ChatReferralForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.convert_to_referral(
                chat,
                fields=intake_fields(form.cleaned_data, names=("what_is_happening",)),
                by=request.user,
            )
        except services.ChatError as error:
            messages.error(request, str(error))
            return redirect("chat:conversation", public_id=chat.public_id)
        messages.success(request, "Referral made, with the chat transcript attached")
        return redirect("referrals:detail", public_id=referral.public_id)
    if request.method == "GET":
        record(
            actor=request.user, verb=AuditVerb.CHAT_REFERRAL_FORM_VIEWED, obj=chat, request=request
        )
    return render(request, "chat/referral.html", {"chat": chat, "form": form})


@require_GET
def transcript(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = access.get_transcript(request, public_id)
    record(
        actor=request.user,
        verb=AuditVerb.CHAT_TRANSCRIPT_VIEWED,
        obj=found.referral,
        request=request,
    )
    return render(request, "chat/transcript.html", {"transcript": found})


@require_GET
def figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    service = access.require_figures(request)
    end_at = timezone.now()
    start_at = end_at - timedelta(days=30)
    found = services.chat_figures(service.organisation_id, start_at, end_at)
    record(actor=request.user, verb=AuditVerb.CHAT_FIGURES_VIEWED, request=request)
    return render(
        request,
        "chat/figures.html",
        {"service": service, "figures": found, "start": start_at, "end": end_at},
    )
