"""Subject access and erasure pages: a provider manager answers a person's request."""

from __future__ import annotations

import tempfile
import uuid
from typing import Any, cast

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from harbour.accounts.stepup import require_step_up
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.cases.models import Case
from harbour.core.forms import posted
from harbour.core.http import AuthenticatedHttpRequest
from harbour.retention.access import get_case_for_subject_access
from harbour.retention.forms import ErasureForm
from harbour.retention.models import Erasure
from harbour.retention.services import (
    ErasureRefused,
    erase_case,
    why_case_must_be_kept,
    write_subject_access_archive,
)


def _page(
    request: AuthenticatedHttpRequest, case: Case, form: ErasureForm | None = None
) -> HttpResponse:
    erasure = Erasure.objects.filter(object_type="cases.case", object_pk=case.pk).first()
    context: dict[str, Any] = {
        "case": case,
        "erasure": erasure,
        "kept_because": None if erasure else why_case_must_be_kept(case),
        "form": form or ErasureForm(expected_reference=case.reference),
    }
    return render(request, "retention/information_held.html", context)


@require_GET
def information_held(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_subject_access(request, public_id)
    record(actor=request.user, verb=AuditVerb.RECORD_ERASURE_PAGE_VIEWED, obj=case, request=request)
    return _page(request, case)


@require_POST
def export(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    # The access check comes first (an outsider gets 404, not a re-authentication prompt).
    case = get_case_for_subject_access(request, public_id)
    return _export_after_step_up(request, case)


@require_step_up
def _export_after_step_up(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    write_subject_access_archive(case, spool, by=request.user, request=request)
    spool.seek(0)
    response = FileResponse(spool, as_attachment=True, filename="information-held.zip")
    return cast(HttpResponse, response)  # require_step_up is typed for HttpResponse; it passes any


@require_POST
def erase(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_subject_access(request, public_id)
    return _erase_after_step_up(request, case)


@require_step_up
def _erase_after_step_up(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse:
    form = ErasureForm(posted(request), expected_reference=case.reference)
    if not form.is_valid():
        return _page(request, case, form)
    try:
        erase_case(case, ground=form.cleaned_data["ground"], by=request.user, request=request)
    except ErasureRefused as exc:
        record(
            actor=request.user,
            verb=AuditVerb.RECORD_ERASURE_REFUSED,
            obj=case,
            payload={"reason": str(exc)},
            request=request,
        )
        messages.error(request, str(exc))
        return redirect(reverse("retention:information_held", args=[case.public_id]))
    messages.success(request, "Case erased")
    return redirect(reverse("retention:information_held", args=[case.public_id]))
