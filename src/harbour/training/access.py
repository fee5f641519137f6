"""Access helpers for training and partner organisations: the first line of every view."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from harbour.accounts.access import denied
from harbour.core import policy
from harbour.training.models import (
    Attendee,
    PartnerOrganisation,
    TrainingRequest,
    TrainingSession,
)


def _guard(question: Callable[[Any], bool], what: str) -> Callable[..., Any]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not question(request.user):
                raise denied(request, what)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


#: Views of the training queue, sessions, events and figures.
require_training_staff = _guard(policy.can_run_training, "training")
#: Views of the partner organisations list.
require_partner_reader = _guard(policy.can_see_partners, "training.partners")
require_partner_editor = _guard(policy.can_edit_partners, "training.partners_edit")
require_contact_point_editor = _guard(policy.can_name_contact_point, "training.contact_point")


def get_request_for_user(request: HttpRequest, public_id: uuid.UUID) -> TrainingRequest:
    found = (
        TrainingRequest.objects.for_user(request.user)
        .select_related("partner")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise denied(request, "training.trainingrequest", str(public_id))
    return found


def get_open_request_for_user(request: HttpRequest, public_id: uuid.UUID) -> TrainingRequest:
    found = get_request_for_user(request, public_id)
    if found.status != TrainingRequest.Status.RECEIVED:
        raise denied(request, "training.trainingrequest_closed", str(public_id))
    return found


def get_session_for_user(request: HttpRequest, public_id: uuid.UUID) -> TrainingSession:
    found = (
        TrainingSession.objects.for_user(request.user)
        .select_related("trainer", "request")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise denied(request, "training.trainingsession", str(public_id))
    return found


def get_scheduled_session_for_user(request: HttpRequest, public_id: uuid.UUID) -> TrainingSession:
    found = get_session_for_user(request, public_id)
    if found.status != TrainingSession.Status.SCHEDULED:
        raise denied(request, "training.trainingsession_closed", str(public_id))
    return found


def get_attendee_for_user(request: HttpRequest, public_id: uuid.UUID) -> Attendee:
    found = (
        Attendee.objects.for_user(request.user)
        .select_related("session", "session__provider")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise denied(request, "training.attendee", str(public_id))
    return found


def get_partner_for_user(request: HttpRequest, public_id: uuid.UUID) -> PartnerOrganisation:
    found = PartnerOrganisation.objects.for_user(request.user).filter(public_id=public_id).first()
    if found is None:
        raise denied(request, "training.partnerorganisation", str(public_id))
    return found


def get_partner_for_edit(request: HttpRequest, public_id: uuid.UUID) -> PartnerOrganisation:
    found = get_partner_for_user(request, public_id)
    if not policy.can_edit_partners(request.user):
        raise denied(request, "training.partnerorganisation_edit", str(public_id))
    return found
