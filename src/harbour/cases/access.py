"""Access helpers for cases: the first line of every case view."""

from __future__ import annotations

import uuid

from django.http import HttpRequest

from harbour.accounts.access import denied
from harbour.cases.models import Case


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
    return case
