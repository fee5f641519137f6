"""Access helpers for risk records: the first line of every risk view."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest

from harbour.accounts.access import denied
from harbour.cases.access import get_case_for_user
from harbour.cases.models import Case
from harbour.core import policy
from harbour.risk.models import Assessment, MaracReferral


def _scoped_record(request: HttpRequest, model: Any, public_id: uuid.UUID) -> Any:
    obj = (
        model.objects.for_user(request.user)
        .select_related("case", "case__client")
        .filter(public_id=public_id)
        .first()
    )
    if obj is None:
        raise denied(request, model._meta.label_lower, str(public_id))
    return obj


def get_assessment_for_user(request: HttpRequest, public_id: uuid.UUID) -> Assessment:
    assessment: Assessment = _scoped_record(request, Assessment, public_id)
    return assessment


def get_marac_for_edit(request: HttpRequest, public_id: uuid.UUID) -> MaracReferral:
    referral: MaracReferral = _scoped_record(request, MaracReferral, public_id)
    if not policy.can_edit_case(request.user, referral.case):
        raise denied(request, "risk.maracreferral_edit", str(public_id))
    return referral


def get_case_for_assessment(request: HttpRequest, public_id: uuid.UUID) -> Case:
    case = get_case_for_user(request, public_id)
    if not policy.can_edit_case(request.user, case):
        raise denied(request, "risk.assessment_new", str(public_id))
    return case
