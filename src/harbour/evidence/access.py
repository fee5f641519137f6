"""Access helpers for the diary, evidence files and bundles: the first line of every view."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest

from harbour.accounts.access import denied
from harbour.cases.access import get_case_for_user
from harbour.cases.models import Case
from harbour.core import policy
from harbour.evidence.models import Bundle, EvidenceItem, Incident


def _scoped(request: HttpRequest, model: Any, public_id: uuid.UUID) -> Any:
    obj = (
        model.objects.for_user(request.user)
        .select_related("case", "case__client", "case__organisation")
        .filter(public_id=public_id)
        .first()
    )
    if obj is None:
        raise denied(request, model._meta.label_lower, str(public_id))
    return obj


def get_case_for_diary(request: HttpRequest, public_id: uuid.UUID) -> Case:
    """The case whose diary, pattern, files and bundles this user may see."""
    return get_case_for_user(request, public_id)


def get_case_for_diary_edit(request: HttpRequest, public_id: uuid.UUID) -> Case:
    """The case whose diary this user may add to (log, correct, upload, record consent)."""
    case = get_case_for_user(request, public_id)
    if not policy.can_keep_diary(request.user, case):
        raise denied(request, "evidence.diary_edit", str(public_id))
    return case


def get_case_for_bundle(request: HttpRequest, public_id: uuid.UUID) -> Case:
    case = get_case_for_user(request, public_id)
    if not policy.can_produce_bundle(request.user, case):
        raise denied(request, "evidence.bundle_produce", str(public_id))
    return case


def get_incident_for_user(request: HttpRequest, public_id: uuid.UUID) -> Incident:
    incident: Incident = _scoped(request, Incident, public_id)
    return incident


def get_incident_for_edit(request: HttpRequest, public_id: uuid.UUID) -> Incident:
    incident = get_incident_for_user(request, public_id)
    if not policy.can_keep_diary(request.user, incident.case):
        raise denied(request, "evidence.incident_edit", str(public_id))
    return incident


def get_item_for_user(request: HttpRequest, public_id: uuid.UUID) -> EvidenceItem:
    item: EvidenceItem = _scoped(request, EvidenceItem, public_id)
    return item


def get_bundle_for_user(request: HttpRequest, public_id: uuid.UUID) -> Bundle:
    """Caseworkers: bundles of cases they see. Police coordinators: bundles shared with their force
    while the client's consent to share with police is in force."""
    bundle: Bundle = _scoped(request, Bundle, public_id)
    return bundle


def get_bundle_for_share(request: HttpRequest, public_id: uuid.UUID) -> Bundle:
    bundle = get_bundle_for_user(request, public_id)
    if not policy.can_produce_bundle(request.user, bundle.case):
        raise denied(request, "evidence.bundle_share", str(public_id))
    return bundle


def require_bundle_checker(request: HttpRequest) -> None:
    if not policy.can_verify_bundles(request.user):
        raise denied(request, "evidence.bundle_verify")


def require_police_coordinator(request: HttpRequest) -> None:
    if not policy.can_view_shared_bundles(request.user):
        raise denied(request, "evidence.shared_bundles")
