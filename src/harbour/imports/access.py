"""Access helpers for evidence imports and their flags: the first line of every view."""

from __future__ import annotations

import uuid

from django.http import HttpRequest

from harbour.accounts.access import denied
from harbour.core import policy
from harbour.imports.models import EvidenceImport, MessageFlag


def get_import_for_user(request: HttpRequest, public_id: uuid.UUID) -> EvidenceImport:
    """An import of a case this user sees (caseworkers of the case); otherwise an audited 404."""
    job = (
        EvidenceImport.objects.for_user(request.user)
        .select_related("case", "case__organisation", "exhibit", "created_by")
        .filter(public_id=public_id)
        .first()
    )
    if job is None or not policy.can_produce_bundle(request.user, job.case):
        raise denied(request, "imports.evidenceimport", str(public_id))
    return job


def get_import_for_edit(request: HttpRequest, public_id: uuid.UUID) -> EvidenceImport:
    """An import whose participants this user may choose (who keeps the case's diary)."""
    job = get_import_for_user(request, public_id)
    if not policy.can_keep_diary(request.user, job.case):
        raise denied(request, "imports.evidenceimport_edit", str(public_id))
    return job


def get_flag_for_edit(request: HttpRequest, public_id: uuid.UUID) -> MessageFlag:
    """A flag of a finished import on a case whose diary this user keeps."""
    flag = (
        MessageFlag.objects.for_user(request.user)
        .select_related("case", "source", "message")
        .filter(public_id=public_id, source__status=EvidenceImport.Status.DONE)
        .first()
    )
    if flag is None or not policy.can_keep_diary(request.user, flag.case):
        raise denied(request, "imports.messageflag", str(public_id))
    return flag
