from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from harbour.accounts.access import denied
from harbour.audit.log import record
from harbour.audit.models import AuditEvent
from harbour.cases.access import get_case_for_user
from harbour.cases.models import Case
from harbour.core import policy


def case_list(request: HttpRequest) -> HttpResponse:
    if not policy.is_provider_caseworker(request.user):
        raise denied(request, "cases.case_list")
    cases = (
        Case.objects.for_user(request.user)
        .select_related("client", "allocated_to")
        .order_by("-opened_at")
    )
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    record(
        actor=request.user,
        verb="case.list_viewed",
        request=request,
        payload={"count": len(page.object_list), "page": page.number},
    )
    return render(request, "cases/case_list.html", {"page": page})


def case_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_user(request, public_id)
    record(actor=request.user, verb="case.viewed", obj=case, request=request)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "client": case.client,
            "can_see_access_log": policy.can_see_case_access_log(request.user, case),
        },
    )


def case_access_log(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_user(request, public_id)
    if not policy.can_see_case_access_log(request.user, case):
        raise denied(request, "cases.case_access_log", str(public_id))
    events = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.public_id))
    events = events.order_by("-seq")[:200]
    from harbour.accounts.models import User

    names = {
        u.pk: u for u in User.objects.filter(pk__in={e.actor_id for e in events if e.actor_id})
    }
    rows = [{"event": e, "actor": names.get(e.actor_id) if e.actor_id else None} for e in events]
    record(actor=request.user, verb="case.access_log_viewed", obj=case, request=request)
    return render(request, "cases/case_access_log.html", {"case": case, "rows": rows})
