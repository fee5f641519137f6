"""Access helpers for orders, journeys, the police workspace and suspect links: the first line of
every justice view. Anyone the policy refuses gets an audited 404.

Why unscoped: an access helper must look a record up before the policy can decide on it; what it
finds is returned only if the policy says yes.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from harbour.accounts.access import denied
from harbour.cases.access import get_case_for_user
from harbour.cases.models import Case, Suspect
from harbour.core import policy
from harbour.justice import services
from harbour.justice.models import Journey, LinkDisclosure, Order, Reminder


def get_case_for_justice_edit(request: HttpRequest, public_id: uuid.UUID) -> Case:
    """A case whose orders and journey this user may record."""
    case = get_case_for_user(request, public_id)
    if not policy.can_record_justice(request.user, case):
        raise denied(request, "justice.case_edit", str(public_id))
    return case


def _caseworker_record(request: HttpRequest, model: Any, public_id: uuid.UUID) -> Any:
    obj = (
        model.objects.for_user(request.user)
        .select_related("case", "case__organisation", "case__allocated_to", "suspect")
        .filter(public_id=public_id)
        .first()
    )
    if obj is None or not policy.can_view_justice_record(request.user, obj.case):
        raise denied(request, model._meta.label_lower, str(public_id))
    return obj


def get_order_for_user(request: HttpRequest, public_id: uuid.UUID) -> Order:
    order: Order = _caseworker_record(request, Order, public_id)
    return order


def get_order_for_edit(request: HttpRequest, public_id: uuid.UUID) -> Order:
    order = get_order_for_user(request, public_id)
    if not policy.can_record_justice(request.user, order.case):
        raise denied(request, "justice.order_edit", str(public_id))
    return order


def get_journey_for_user(request: HttpRequest, public_id: uuid.UUID) -> Journey:
    journey: Journey = _caseworker_record(request, Journey, public_id)
    return journey


def get_journey_for_edit(request: HttpRequest, public_id: uuid.UUID) -> Journey:
    journey = get_journey_for_user(request, public_id)
    if not policy.can_record_justice(request.user, journey.case):
        raise denied(request, "justice.journey_edit", str(public_id))
    return journey


def require_police_workspace(request: HttpRequest) -> None:
    if not policy.can_use_police_workspace(request.user):
        raise denied(request, "justice.police_workspace")


def get_case_for_police(request: HttpRequest, public_id: uuid.UUID) -> Case:
    """A case the coordinator's force has a consented journey or order on; else 404."""
    require_police_workspace(request)
    user = request.user
    journey = (
        Journey.objects.for_user(user).filter(case__public_id=public_id).select_related("case")
    ).first()
    if journey is not None:
        return journey.case
    order = Order.objects.for_user(user).filter(case__public_id=public_id).select_related("case")
    found = order.first()
    if found is None:
        raise denied(request, "justice.police_case", str(public_id))
    return found.case


def get_journey_for_review_request(request: HttpRequest, public_id: uuid.UUID) -> Journey:
    require_police_workspace(request)
    journey = (
        Journey.objects.for_user(request.user)
        .filter(public_id=public_id)
        .select_related("case")
        .first()
    )
    if journey is None or not policy.can_ask_recording_review(request.user):
        raise denied(request, "justice.journey", str(public_id))
    return journey


def require_link_viewer(request: HttpRequest) -> None:
    if not policy.can_view_suspect_links(request.user):
        raise denied(request, "justice.suspect_links")


def get_link_pair(
    request: HttpRequest, own_id: uuid.UUID, other_id: uuid.UUID
) -> tuple[Suspect, Suspect]:
    """Our suspect (visible to this manager) and another provider's suspect that matches it."""
    require_link_viewer(request)
    own = (
        Suspect.objects.for_user(request.user)
        .filter(public_id=own_id)
        .select_related("case")
        .first()
    )
    other = Suspect.unscoped.filter(public_id=other_id).select_related("case").first()
    if (
        own is None
        or other is None
        or not policy.can_claim_link_disclosure(request.user, own.case, other.case)
        or not any(m.suspect_id == other.pk for m in services.matches_for(own))
    ):
        raise denied(request, "justice.suspect_link", str(other_id))
    return own, other


def get_disclosure_for_user(request: HttpRequest, public_id: uuid.UUID) -> LinkDisclosure:
    """The claimant's own disclosure, while it lasts."""
    require_link_viewer(request)
    disclosure = (
        LinkDisclosure.objects.for_user(request.user)
        .filter(public_id=public_id, requested_by_id=request.user.pk, expires_at__gt=timezone.now())
        .select_related("other_suspect", "other_suspect__case", "own_suspect")
        .first()
    )
    if disclosure is None:
        raise denied(request, "justice.linkdisclosure", str(public_id))
    return disclosure


def get_disclosure_for_review(request: HttpRequest, public_id: uuid.UUID) -> LinkDisclosure:
    require_link_viewer(request)
    disclosure = (
        LinkDisclosure.objects.for_user(request.user)
        .filter(public_id=public_id)
        .select_related("other_suspect__case", "requested_by")
        .first()
    )
    if disclosure is None or not policy.can_review_link_disclosure(request.user, disclosure):
        raise denied(request, "justice.linkdisclosure_review", str(public_id))
    return disclosure


def get_reminder_for_user(request: HttpRequest, public_id: uuid.UUID) -> Reminder:
    reminder = (
        Reminder.objects.for_user(request.user)
        .filter(public_id=public_id)
        .select_related("case")
        .first()
    )
    if reminder is None:
        raise denied(request, "justice.reminder", str(public_id))
    return reminder
