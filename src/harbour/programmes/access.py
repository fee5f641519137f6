"""Access helpers for the perpetrator programme: the first line of every view.

Programme staff reach their own participants; a police coordinator reaches the status of the
participants their force referred; nobody else reaches any participant (404, audited).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from harbour.accounts.access import denied
from harbour.cases.access import get_case_for_user
from harbour.cases.models import Case
from harbour.core import policy
from harbour.programmes.models import Participant, ProgrammeSession


def require_programme_staff(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.can_work_with_participants(request.user):
            raise denied(request, "programmes.participants")
        return view(request, *args, **kwargs)

    return wrapped


def require_police_follower(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.can_follow_programme_requirements(request.user):
            raise denied(request, "programmes.police_list")
        return view(request, *args, **kwargs)

    return wrapped


def get_participant_for_programme(request: HttpRequest, public_id: uuid.UUID) -> Participant:
    """A participant with everything the programme holds (notes, risk): programme staff only."""
    found = (
        Participant.objects.for_user(request.user)
        .select_related("practitioner", "referring_force")
        .filter(public_id=public_id)
        .first()
    )
    if found is None or not policy.can_see_programme_notes(request.user, found):
        raise denied(request, "programmes.participant", str(public_id))
    return found


def get_open_participant(request: HttpRequest, public_id: uuid.UUID) -> Participant:
    found = get_participant_for_programme(request, public_id)
    if not found.is_open:
        raise denied(request, "programmes.participant_closed", str(public_id))
    return found


def get_participant_status_for_police(request: HttpRequest, public_id: uuid.UUID) -> Participant:
    """A participant's status, for the police coordinator of the force that referred them."""
    found = (
        Participant.objects.for_user(request.user)
        .select_related("programme")
        .filter(public_id=public_id)
        .first()
    )
    if found is None or not policy.can_follow_programme_requirements(request.user):
        raise denied(request, "programmes.participant_status", str(public_id))
    return found


def get_programme_session(request: HttpRequest, public_id: uuid.UUID) -> ProgrammeSession:
    found = (
        ProgrammeSession.objects.for_user(request.user)
        .select_related("participant")
        .filter(public_id=public_id)
        .first()
    )
    if found is None or not found.participant.is_open:
        raise denied(request, "programmes.programmesession", str(public_id))
    return found


def get_case_for_attendance(request: HttpRequest, public_id: uuid.UUID) -> Case:
    """The case whose advocate asks whether the suspect is attending a programme."""
    case = get_case_for_user(request, public_id)
    if not policy.can_ask_about_suspect_attendance(request.user, case):
        raise denied(request, "programmes.suspect_attendance", str(public_id))
    return case
