"""Evidence import pages: upload from the case, progress (refresh without script, live with it),
who is who, the result with its volume chart, and the flags to confirm or dismiss."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core import policy
from harbour.core.forms import posted
from harbour.core.http import AuthenticatedHttpRequest
from harbour.evidence.access import get_case_for_diary, get_case_for_diary_edit
from harbour.evidence.services import EvidenceRuleError
from harbour.imports import forms as import_forms
from harbour.imports import services
from harbour.imports.access import get_flag_for_edit, get_import_for_edit, get_import_for_user
from harbour.imports.flagging import default_ruleset
from harbour.imports.models import EvidenceImport, ImportedMessage, MessageFlag
from harbour.imports.volume import volume, volume_svg


def _detail_url(job: EvidenceImport) -> str:
    return reverse("imports:detail", args=[job.public_id])


@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_diary_edit(request, public_id)
    form = import_forms.ImportForm(
        posted(request), request.FILES if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_import(
                case, form.cleaned_data["file"], by=request.user, request=request
            )
        except EvidenceRuleError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request, f"Exhibit {job.exhibit.ref} stored; SHA-256 {job.exhibit.sha256}"
            )
            return redirect(_detail_url(job))
    if request.method == "GET":
        record(actor=request.user, verb=AuditVerb.IMPORT_FORM_VIEWED, obj=case, request=request)
    return render(
        request,
        "imports/new.html",
        {
            "case": case,
            "form": form,
            "max_mb": settings.HARBOUR_EVIDENCE_MAX_MB,
            "check_mb": settings.HARBOUR_IMPORT_CHECK_MB,
        },
    )


@require_GET
def case_imports(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_diary(request, public_id)
    jobs = list(
        EvidenceImport.objects.for_user(request.user)
        .filter(case=case)
        .select_related("exhibit", "created_by")
    )
    record(
        actor=request.user,
        verb=AuditVerb.IMPORT_VIEWED,
        obj=case,
        request=request,
        payload={"count": len(jobs)},
    )
    return render(
        request,
        "imports/case_imports.html",
        {"case": case, "jobs": jobs, "can_edit": policy.can_keep_diary(request.user, case)},
    )


def progress_data(job: EvidenceImport) -> dict[str, Any]:
    return {
        "status": job.status,
        "label": job.get_status_display(),
        "stage": job.stage,
        "percent": job.percent,
        "done": job.done,
        "total": job.total,
        "finished": job.finished,
        "text": progress_text(job),
    }


def progress_text(job: EvidenceImport) -> str:
    if job.status == EvidenceImport.Status.SCANNING:
        return f"Reading the file: {job.done:,} records so far."
    if job.status == EvidenceImport.Status.RUNNING:
        return f"{job.percent}%: {job.done:,} of {job.total:,} records imported."
    if job.status == EvidenceImport.Status.QUEUED:
        return "Waiting for a worker to start." + (
            f" Resumed after a stop ({job.resumed} times); it carries on from record {job.done:,}."
            if job.resumed
            else ""
        )
    return job.get_status_display()


@require_GET
def detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    job = get_import_for_user(request, public_id)
    can_edit = policy.can_keep_diary(request.user, job.case)
    people = job.participant_list()
    context: dict[str, Any] = {
        "case": job.case,
        "job": job,
        "people": people,
        "progress": progress_data(job),
        "can_edit": can_edit,
        "report": job.report_data(),
    }
    if job.status == EvidenceImport.Status.CHOOSING and can_edit:
        context["form"] = import_forms.ParticipantsForm(people=people)
    if job.status == EvidenceImport.Status.DONE:
        times = list(
            ImportedMessage.objects.for_user(request.user)
            .filter(source=job, party=ImportedMessage.Party.SUSPECT, sent_at__isnull=False)
            .values_list("sent_at", flat=True)
        )

        stats = volume([timezone.localtime(t).replace(tzinfo=None) for t in times])
        context["volume"] = stats
        context["chart"] = volume_svg(
            stats, title="How often the suspect made contact", svg_id="volume"
        )
        flags = Counter(
            MessageFlag.objects.for_user(request.user)
            .filter(source=job)
            .values_list("flag", "state")
        )
        labels = default_ruleset().flags
        context["flag_rows"] = [
            {
                "key": key,
                "label": labels[key].label if key in labels else key,
                "proposed": flags[(key, "proposed")],
                "confirmed": flags[(key, "confirmed")],
                "dismissed": flags[(key, "dismissed")],
            }
            for key in sorted(
                {k for k, _s in flags}, key=lambda k: list(labels).index(k) if k in labels else 99
            )
        ]
    record(
        actor=request.user,
        verb=AuditVerb.IMPORT_VIEWED,
        obj=job,
        request=request,
        payload={"status": job.status},
    )
    return render(request, "imports/detail.html", context)


@require_GET
def progress(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> JsonResponse:
    """The progress as JSON for the page's script (status and counts only, nothing identifying)."""
    job = get_import_for_user(request, public_id)
    return JsonResponse(progress_data(job))


@require_POST
def participants(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    job = get_import_for_edit(request, public_id)
    people = job.participant_list()
    form = import_forms.ParticipantsForm(request.POST, people=people)
    if form.is_valid():
        client = form.cleaned_data["client"]
        try:
            services.choose_participants(
                job,
                suspect=form.cleaned_data["suspect"],
                client=None if client is None or client < 0 else client,
                by=request.user,
                request=request,
            )
        except EvidenceRuleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Importing the suspect's messages into the diary")
        return redirect(_detail_url(job))
    record(actor=request.user, verb=AuditVerb.IMPORT_VIEWED, obj=job, request=request)
    return render(
        request,
        "imports/detail.html",
        {
            "case": job.case,
            "job": job,
            "people": people,
            "progress": progress_data(job),
            "can_edit": True,
            "form": form,
            "report": job.report_data(),
        },
    )


@require_GET
def flags(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    job = get_import_for_user(request, public_id)
    wanted = request.GET.get("state", "proposed")
    if wanted not in MessageFlag.State.values:
        wanted = MessageFlag.State.PROPOSED
    rows = (
        MessageFlag.objects.for_user(request.user)
        .filter(source=job, source__status=EvidenceImport.Status.DONE, state=wanted)
        .select_related("message")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    services.attach_entries([f.message for f in page.object_list])
    labels = default_ruleset().flags
    items = [
        {
            "flag": f,
            "label": labels[f.flag].label if f.flag in labels else f.flag,
            "prompt": labels[f.flag].prompt if f.flag in labels else "",
        }
        for f in page.object_list
    ]
    record(
        actor=request.user,
        verb=AuditVerb.IMPORT_MESSAGES_VIEWED,
        obj=job,
        request=request,
        payload={"state": wanted, "page": page.number, "count": len(items)},
    )
    return render(
        request,
        "imports/flags.html",
        {
            "case": job.case,
            "job": job,
            "items": items,
            "page": page,
            "state": wanted,
            "states": MessageFlag.State.choices,
            "can_edit": policy.can_keep_diary(request.user, job.case),
        },
    )


@require_POST
def decide(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    flag = get_flag_for_edit(request, public_id)
    form = import_forms.FlagDecisionForm(request.POST)
    back = reverse("imports:flags", args=[flag.source.public_id])
    if not form.is_valid():
        messages.error(request, "Choose confirm or dismiss")
        return redirect(back)
    confirm = form.cleaned_data["decision"] == "confirm"
    services.decide_flag(flag, confirm=confirm, by=request.user, request=request)
    messages.success(request, "Flag confirmed" if confirm else "Flag dismissed")
    return redirect(back)
