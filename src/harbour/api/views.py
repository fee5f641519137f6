"""The JSON API (v1): police systems send referrals and read back their status.

Authentication is a bearer token per organisation (``harbour api-token create``); session cookies
are ignored, which is why these views, and only these, are exempt from CSRF checks.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from harbour.api.auth import authenticate
from harbour.api.models import ApiToken
from harbour.api.openapi import openapi_document
from harbour.audit.log import record
from harbour.core import policy
from harbour.referrals.forms import PoliceReferralForm, intake_fields
from harbour.referrals.models import Referral
from harbour.referrals.services import receive_referral, referral_for_api_token

MAX_BODY = 64 * 1024


def _error(status: int, message: str, **extra: Any) -> JsonResponse:
    response = JsonResponse({"error": message, **extra}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="harbour"'
    return response


def api_methods(
    *request_method_list: str,
) -> Callable[[Callable[..., JsonResponse]], Callable[..., JsonResponse]]:
    """Like ``require_http_methods`` (same closure name, which the role x URL matrix reads), but the
    refusal is the API's JSON error: 405 with an Allow header."""

    def decorator(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
            if request.method not in request_method_list:
                response = _error(405, f"Use {' or '.join(request_method_list)} here.")
                response["Allow"] = ", ".join(request_method_list)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _body(request: HttpRequest) -> bytes | JsonResponse:
    """The request body, refusing an oversized one before reading it."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _error(400, "The Content-Length header is not a number.")
    if declared > MAX_BODY:
        return _error(413, "The request body is too large.")
    try:
        body = request.body
    except RequestDataTooBig:
        return _error(413, "The request body is too large.")
    if len(body) > MAX_BODY:
        return _error(413, "The request body is too large.")
    return body


def _type_errors(payload: dict[str, Any], form: forms.Form) -> dict[str, list[dict[str, str]]]:
    """JSON types the form would otherwise coerce silently (a list where text belongs, etc.)."""
    errors: dict[str, list[dict[str, str]]] = {}
    for name, value in payload.items():
        field = form.fields.get(name)
        if field is None:
            errors[name] = [{"message": "Unknown field.", "code": "unknown_field"}]
            continue
        if value is None:
            continue
        if isinstance(field, forms.MultipleChoiceField):
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            expected = "a list of strings"
        elif isinstance(field, forms.BooleanField):
            ok = isinstance(value, bool)
            expected = "true or false"
        else:
            ok = isinstance(value, str)
            expected = "a string"
        if not ok:
            errors[name] = [{"message": f"Must be {expected}.", "code": "invalid_type"}]
    return errors


def _status(referral: Referral) -> dict[str, Any]:
    """What the referrer may know: where it went and what happened, never the case content."""
    return {
        "id": str(referral.public_id),
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "received_at": referral.received_at.isoformat(),
        "routed_to": referral.routed_to.name if referral.routed_to else None,
        "first_contact_due_by": referral.due_by.isoformat(),
        "first_contact_attempt_at": (
            referral.first_contact_at.isoformat() if referral.first_contact_at else None
        ),
        "working_days_to_first_contact": referral.working_days_to_first_contact,
        "decline_reason": referral.decline_reason or None,
        "decline_reason_label": referral.get_decline_reason_display() or None,
        # Only Harbour's own out-of-area signpost: a provider's free text never goes to the referrer.
        "signposted_to": (referral.signposted_to or None) if referral.routed_to is None else None,
        "outcome_at": referral.outcome_at.isoformat() if referral.outcome_at else None,
    }


@csrf_exempt  # token-authenticated only; cookies are never consulted
@api_methods("POST")
def referrals(request: HttpRequest) -> JsonResponse:
    token = authenticate(request)
    if token is None:
        return _error(401, "A valid API token is required.")
    organisation = token.organisation
    if not policy.can_api_send_police_referrals(organisation):
        return _error(403, "This organisation's token cannot send referrals.")
    body = _body(request)
    if isinstance(body, JsonResponse):
        return body
    try:
        payload = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _error(400, "The request body must be JSON.")
    except RecursionError:
        return _error(400, "The request body is nested too deeply.")
    if not isinstance(payload, dict):
        return _error(400, "The request body must be a JSON object.")
    form = PoliceReferralForm()
    errors = _type_errors(payload, form)
    if errors:
        return _error(400, "The referral is not valid.", errors=errors)
    form = PoliceReferralForm({k: v for k, v in payload.items() if v is not None})
    if not form.is_valid():
        return _error(400, "The referral is not valid.", errors=form.errors.get_json_data())
    referral = receive_referral(
        source=Referral.Source.POLICE,
        fields=intake_fields(form.cleaned_data),
        referring_organisation=organisation,
        via=f"api-token:{token.prefix}",
    )
    location = reverse("api:referral_status", kwargs={"public_id": referral.public_id})
    response = JsonResponse(_status(referral), status=201)
    response["Location"] = location
    return response


@csrf_exempt  # token-authenticated only: a wrong method gets the API's 405, not a CSRF page
@api_methods("GET", "HEAD")
def referral_status(request: HttpRequest, public_id: uuid.UUID) -> JsonResponse:
    token = authenticate(request)
    if token is None:
        return _error(401, "A valid API token is required.")
    referral = referral_for_api_token(token.organisation, public_id)
    if referral is None:
        _audit_token(token, "access.denied", object_id=str(public_id))
        return _error(404, "Not found.")
    _audit_token(token, "referral.status_read", object_id=str(referral.public_id))
    return JsonResponse(_status(referral))


def _audit_token(token: ApiToken, verb: str, *, object_id: str) -> None:
    record(
        actor=None,
        username=f"api-token:{token.prefix}",
        verb=verb,
        object_type="referrals.referral",
        object_id=object_id,
        payload={"organisation": token.organisation_id},
    )


@csrf_exempt  # public description; a wrong method gets the API's 405
@api_methods("GET", "HEAD")
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_document())
