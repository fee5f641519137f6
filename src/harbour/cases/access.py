"""Access helpers for cases: the first line of every case view."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar, cast

from django.db import models
from django.http import HttpRequest

from harbour.accounts.access import denied
from harbour.cases.models import Case
from harbour.core import policy

M = TypeVar("M", bound=models.Model)


def get_case_for_user(request: HttpRequest, public_id: uuid.UUID | str) -> Case:
    """The case if this user may see it; otherwise an audited 404, whether or not it exists."""
    case = (
        Case.objects.for_user(request.user)
        .select_related("client", "allocated_to", "organisation")
        .filter(public_id=public_id)
        .first()
    )
    if case is None:
        raise denied(request, "cases.case", str(public_id))
    policy.note_admitted(case, request.user)
    return case


def get_case_for_edit(request: HttpRequest, public_id: uuid.UUID | str) -> Case:
    """The case if this user may change its records (visible and open)."""
    case = get_case_for_user(request, public_id)
    if not policy.can_edit_case(request.user, case):
        raise denied(request, "cases.case_edit", str(public_id))
    return case


def get_case_for_manager(request: HttpRequest, public_id: uuid.UUID | str) -> Case:
    """The case if this user manages it (allocation, restriction, closure sign-off)."""
    case = get_case_for_user(request, public_id)
    if not policy.can_allocate_case(request.user, case):
        raise denied(request, "cases.case_manage", str(public_id))
    return case


def get_case_record(
    request: HttpRequest,
    model: type[M],
    case_public_id: uuid.UUID | str,
    public_id: uuid.UUID | str,
    *,
    edit: bool = True,
) -> tuple[Case, M]:
    """A record (suspect, action...) of a case this user may see (and edit, by default)."""
    case = (
        get_case_for_edit(request, case_public_id)
        if edit
        else get_case_for_user(request, case_public_id)
    )
    manager: Any = cast(Any, model).objects
    obj = manager.for_user(request.user).filter(case=case, public_id=public_id).first()
    if obj is None:
        raise denied(request, model._meta.label_lower, str(public_id))
    obj.case = case
    return case, obj
