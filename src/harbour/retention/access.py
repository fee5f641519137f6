"""Access helper for subject access and erasure: the first line of each view here."""

from __future__ import annotations

import uuid

from django.http import HttpRequest

from harbour.accounts.access import denied
from harbour.cases.access import get_case_for_user
from harbour.cases.models import Case
from harbour.core import policy


def get_case_for_subject_access(request: HttpRequest, public_id: uuid.UUID | str) -> Case:
    """The case if this user answers subject access for it (its organisation's manager)."""
    case = get_case_for_user(request, public_id)
    if not policy.can_answer_subject_access(request.user, case):
        raise denied(request, "retention.subject_access", str(public_id))
    return case
