"""The incident diary, the pattern of conduct, evidence files and bundles.

Every view calls an access helper first and audits what it shows. Custody (views, downloads,
exports, shares of an evidence item) is audited on the item itself.
"""

from __future__ import annotations

import tempfile
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.accounts.access import denied
from harbour.accounts.stepup import require_step_up
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core import policy
from harbour.core.forms import posted
from harbour.core.http import AuthenticatedHttpRequest
from harbour.evidence import forms as evidence_forms
from harbour.evidence import services
from harbour.evidence.access import (
    get_bundle_for_share,
    get_bundle_for_user,
    get_case_for_bundle,
    get_case_for_diary,
    get_case_for_diary_edit,
    get_incident_for_edit,
    get_incident_for_user,
    get_item_for_user,
    require_bundle_checker,
    require_police_coordinator,
)
from harbour.evidence.bundle import pattern_view, produce_bundle
from harbour.evidence.manifest import verify_bundle
from harbour.evidence.models import (
    SNAPSHOT_LABELS,
    Bundle,
    BundleShare,
    EvidenceItem,
    Incident,
    IncidentVersion,
    PoliceSharingConsent,
)
from harbour.imports.models import EvidenceImport, ImportedEntry, ImportedMessage


def _diary_url(case: Any) -> str:
    return reverse("evidence:diary", args=[case.public_id])


def _download(
    chunks: Any, *, name: str, media_type: str, size: int | None = None
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if size is not None:
        response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the diary -----------------------------------------------------------------------------------


@require_GET
def diary(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_diary(request, public_id)
    versions = services.current_versions(case)
    exhibits: dict[int, list[EvidenceItem]] = {}
    for item in EvidenceItem.objects.for_user(request.user).filter(case=case):
        if item.incident_id:
            exhibits.setdefault(item.incident_id, []).append(item)
    page = Paginator(list(reversed(versions)), 100).get_page(request.GET.get("page"))
    rows = [(v, exhibits.get(v.incident_id, [])) for v in page.object_list]
    record(
        actor=request.user,
        verb=AuditVerb.EVIDENCE_DIARY_VIEWED,
        obj=case,
        request=request,
        payload={"count": len(rows), "page": page.number},
    )
    return render(
        request,
        "evidence/diary.html",
        {
            "case": case,
            "rows": rows,
            "page": page,
            "entries": len(versions),
            "acts": sum(v.count for v in versions),
            "can_edit": policy.can_keep_diary(request.user, case),
        },
    )


def _incident_form_page(
    request: AuthenticatedHttpRequest, case: Any, form: Any, title: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "evidence/incident_form.html",
        {"case": case, "form": form, "page_title": title, "back_url": _diary_url(case), **extra},
    )


@require_http_methods(["GET", "POST"])
def incident_new(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_diary_edit(request, public_id)
    form = evidence_forms.IncidentForm(posted(request), suspects=services.suspects_of(case))
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.log_incident(
                case, by=request.user, data=form.to_data(), request=request
            )
        except services.EvidenceRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Diary entry {incident.ref} logged")
            return redirect(reverse("evidence:incident_detail", args=[incident.public_id]))
    if request.method == "GET":
        record(
            actor=request.user,
            verb=AuditVerb.EVIDENCE_INCIDENT_FORM_VIEWED,
            obj=case,
            request=request,
        )
    return _incident_form_page(request, case, form, "Log an incident")


@require_http_methods(["GET", "POST"])
def incident_quick(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_diary_edit(request, public_id)
    suspects = services.suspects_of(case)
    form = evidence_forms.QuickIncidentForm(posted(request), suspects=suspects)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.log_incident(
                case, by=request.user, data=form.to_data(), request=request, source="quick"
            )
        except services.EvidenceRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Diary entry {incident.ref} logged ({form.cleaned_data['count']} times)"
            )
            return redirect(reverse("evidence:incident_quick", args=[case.public_id]))
    if request.method == "GET":
        record(
            actor=request.user,
            verb=AuditVerb.EVIDENCE_INCIDENT_FORM_VIEWED,
            obj=case,
            request=request,
        )
    recent = services.current_versions(case)[-5:]
    return render(
        request,
        "evidence/incident_quick.html",
        {
            "case": case,
            "form": form,
            "recent": list(reversed(recent)),
            "back_url": _diary_url(case),
        },
    )


@require_GET
def incident_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    incident = get_incident_for_user(request, public_id)
    versions = list(
        IncidentVersion.objects.for_user(request.user)
        .filter(incident=incident)
        .select_related("saved_by", "suspect")
        .order_by("-number")
    )
    history = []
    for newer, older in zip(versions, versions[1:], strict=False):
        history.append(
            {
                "version": older,
                "changed": [SNAPSHOT_LABELS[k] for k in services.changed_fields(older, newer)],
                "snapshot": [(SNAPSHOT_LABELS[k], v) for k, v in older.snapshot().items()],
            }
        )
    items = list(
        EvidenceItem.objects.for_user(request.user).filter(incident=incident).order_by("number")
    )
    made_by = (
        ImportedEntry.objects.for_user(request.user)
        .filter(incident=incident, source__status=EvidenceImport.Status.DONE)
        .first()
    )
    imported: list[ImportedMessage] = []
    imported_total = 0
    if made_by is not None:
        imported_rows = made_by.messages()
        imported = list(imported_rows.select_related("source__exhibit").order_by("seq")[:500])
        imported_total = imported_rows.count() if len(imported) == 500 else len(imported)
    record(
        actor=request.user, verb=AuditVerb.EVIDENCE_INCIDENT_VIEWED, obj=incident, request=request
    )
    return render(
        request,
        "evidence/incident_detail.html",
        {
            "case": incident.case,
            "incident": incident,
            "current": versions[0],
            "history": history,
            "items": items,
            "imported": imported,
            "imported_total": imported_total,
            "imported_more": imported_total > len(imported),
            "can_edit": policy.can_keep_diary(request.user, incident.case),
        },
    )


@require_http_methods(["GET", "POST"])
def incident_correct(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    incident = get_incident_for_edit(request, public_id)
    current = services.current_version_of(incident)
    initial = {**evidence_forms.IncidentForm.initial_from(current), "based_on": current.number}
    form = evidence_forms.CorrectionForm(
        posted(request), initial=initial, suspects=services.suspects_of(incident.case)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_incident(
                incident,
                by=request.user,
                data=form.to_data(),
                reason=form.cleaned_data["correction_reason"],
                based_on=form.cleaned_data["based_on"],
                request=request,
            )
        except services.EvidenceRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Correction to {incident.ref} added")
            return redirect(reverse("evidence:incident_detail", args=[incident.public_id]))
    if request.method == "GET":
        record(
            actor=request.user,
            verb=AuditVerb.EVIDENCE_INCIDENT_CORRECT_VIEWED,
            obj=incident,
            request=request,
        )
    return _incident_form_page(
        request,
        incident.case,
        form,
        f"Correct diary entry {incident.ref}",
        incident=incident,
        back_url=reverse("evidence:incident_detail", args=[incident.public_id]),
        submit_label="Add correction",
    )


# --- the pattern ---------------------------------------------------------------------------------


@require_GET
def pattern(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_diary(request, public_id)
    versions = services.current_versions(case)
    view = pattern_view(versions, as_of=timezone.localdate())
    links = {v.incident.ref: v.incident.public_id for v in versions}
    record(actor=request.user, verb=AuditVerb.EVIDENCE_PATTERN_VIEWED, obj=case, request=request)
    return render(
        request,
        "evidence/pattern.html",
        {"case": case, "view": view, "links": links, "back_url": _diary_url(case)},
    )


# --- evidence files ------------------------------------------------------------------------------


@require_GET
def files(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_diary(request, public_id)
    items = list(
        EvidenceItem.objects.for_user(request.user)
        .filter(case=case)
        .select_related("incident", "uploaded_by")
        .order_by("number")
    )
    record(
        actor=request.user,
        verb=AuditVerb.EVIDENCE_FILES_VIEWED,
        obj=case,
        request=request,
        payload={"count": len(items)},
    )
    return render(
        request,
        "evidence/files.html",
        {
            "case": case,
            "items": items,
            "can_edit": policy.can_keep_diary(request.user, case),
            "back_url": _diary_url(case),
        },
    )


@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_diary_edit(request, public_id)
    incidents = list(Incident.objects.for_user(request.user).filter(case=case).order_by("-number"))
    form = evidence_forms.UploadForm(
        posted(request), request.FILES if request.method == "POST" else None, incidents=incidents
    )
    wanted = request.GET.get("incident", "")
    if not form.is_bound and wanted:
        match = next((i for i in incidents if str(i.public_id) == wanted), None)
        if match is not None:
            form.fields["incident"].initial = match.pk
    if request.method == "POST" and form.is_valid():
        try:
            item = services.store_evidence(
                case,
                form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data.get("description", ""),
                incident=form.cleaned_data.get("incident"),
                by=request.user,
                request=request,
            )
        except services.EvidenceRuleError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, f"Exhibit {item.ref} stored; SHA-256 {item.sha256}")
            return redirect(reverse("evidence:item", args=[item.public_id]))
    if request.method == "GET":
        record(actor=request.user, verb=AuditVerb.EVIDENCE_UPLOAD_VIEWED, obj=case, request=request)
    return render(
        request,
        "evidence/upload.html",
        {
            "case": case,
            "form": form,
            "max_mb": settings.HARBOUR_EVIDENCE_MAX_MB,
            "back_url": reverse("evidence:files", args=[case.public_id]),
        },
    )


@require_GET
def item(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    evidence = get_item_for_user(request, public_id)
    record(actor=request.user, verb=AuditVerb.EVIDENCE_ITEM_VIEWED, obj=evidence, request=request)
    return render(
        request,
        "evidence/item.html",
        {
            "case": evidence.case,
            "item": evidence,
            "meta": evidence.meta(),
            "custody": services.custody_for(evidence),
            "back_url": reverse("evidence:files", args=[evidence.case.public_id]),
        },
    )


@require_GET
def item_download(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> StreamingHttpResponse:
    evidence = get_item_for_user(request, public_id)
    record(
        actor=request.user,
        verb=AuditVerb.EVIDENCE_DOWNLOADED,
        obj=evidence,
        request=request,
        payload={"sha256": evidence.sha256},
    )
    return _download(
        services.read_original(evidence),
        name=evidence.download_name,
        media_type="application/octet-stream",
        size=evidence.size,
    )


@require_GET
def item_preview(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> StreamingHttpResponse:
    evidence = get_item_for_user(request, public_id)
    if not evidence.preview_name:
        raise denied(request, "evidence.preview", str(public_id))
    record(
        actor=request.user, verb=AuditVerb.EVIDENCE_PREVIEW_VIEWED, obj=evidence, request=request
    )
    response = StreamingHttpResponse(services.read_preview(evidence), content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    return response


# --- consent and bundles -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def consent(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_diary_edit(request, public_id)
    form = evidence_forms.ConsentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.record_police_consent(case, by=request.user, request=request, **form.cleaned_data)
        messages.success(request, "The client's decision about sharing with police is recorded")
        return redirect(reverse("evidence:bundles", args=[case.public_id]))
    history = list(
        PoliceSharingConsent.objects.for_user(request.user)
        .filter(case=case)
        .select_related("recorded_by")
    )
    if request.method == "GET":
        record(
            actor=request.user, verb=AuditVerb.EVIDENCE_CONSENT_VIEWED, obj=case, request=request
        )
    return render(
        request,
        "evidence/consent.html",
        {
            "case": case,
            "form": form,
            "history": history,
            "back_url": reverse("evidence:bundles", args=[case.public_id]),
        },
    )


@require_GET
def bundles(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_diary(request, public_id)
    produced = list(
        Bundle.objects.for_user(request.user).filter(case=case).select_related("produced_by")
    )
    history = list(
        PoliceSharingConsent.objects.for_user(request.user)
        .filter(case=case)
        .select_related("recorded_by")
    )
    record(actor=request.user, verb=AuditVerb.EVIDENCE_BUNDLES_VIEWED, obj=case, request=request)
    return render(
        request,
        "evidence/bundles.html",
        {
            "case": case,
            "bundles": produced,
            "consent": history[0] if history else None,
            "history": history,
            "can_produce": policy.can_produce_bundle(request.user, case),
            "can_edit": policy.can_keep_diary(request.user, case),
            "back_url": _diary_url(case),
        },
    )


@require_POST
def bundle_produce(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    # The access check comes first (an outsider gets 404, not a re-authentication prompt).
    case = get_case_for_bundle(request, public_id)
    return _produce_after_step_up(request, case)


@require_step_up
def _produce_after_step_up(request: AuthenticatedHttpRequest, case: Any) -> HttpResponse:
    try:
        made = produce_bundle(case, by=request.user, request=request)
    except services.EvidenceRuleError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("evidence:bundles", args=[case.public_id]))
    messages.success(request, f"Bundle {made.ref} produced")
    return redirect(reverse("evidence:bundle_detail", args=[made.public_id]))


@require_GET
def bundle_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    bundle = get_bundle_for_user(request, public_id)
    user = request.user
    caseworker = policy.can_produce_bundle(user, bundle.case)
    shares = list(
        BundleShare.objects.for_user(user)
        .filter(bundle=bundle)
        .select_related("organisation", "shared_by")
    )
    record(actor=user, verb=AuditVerb.EVIDENCE_BUNDLE_VIEWED, obj=bundle, request=request)
    return render(
        request,
        "evidence/bundle_detail.html",
        {
            "case": bundle.case,
            "bundle": bundle,
            "shares": shares,
            "caseworker": caseworker,
            "can_share": caseworker and policy.can_share_bundle_with_police(user, bundle.case),
            "share_form": evidence_forms.ShareForm(forces=policy.police_forces())
            if caseworker
            else None,
        },
    )


@require_GET
def bundle_download(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID
) -> StreamingHttpResponse:
    bundle = get_bundle_for_user(request, public_id)
    with transaction.atomic():
        record(
            actor=request.user,
            verb=AuditVerb.EVIDENCE_BUNDLE_DOWNLOADED,
            obj=bundle,
            request=request,
            payload={"manifest_sha256": bundle.manifest_sha256},
        )
        services.record_custody(
            services.bundle_items(bundle),
            verb=AuditVerb.EVIDENCE_BUNDLE_DOWNLOADED,
            by=request.user,
            request=request,
            payload={"bundle": str(bundle.public_id)},
        )
    return _download(
        services.read_bundle(bundle),
        name=bundle.download_name,
        media_type="application/zip",
        size=bundle.zip_size,
    )


@require_POST
def bundle_share(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    bundle = get_bundle_for_share(request, public_id)
    form = evidence_forms.ShareForm(request.POST, forces=policy.police_forces())
    back = reverse("evidence:bundle_detail", args=[bundle.public_id])
    if not form.is_valid():
        messages.error(request, "Choose a police force")
        return redirect(back)
    try:
        services.share_bundle(
            bundle, form.cleaned_data["organisation"], by=request.user, request=request
        )
    except services.EvidenceRuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Bundle {bundle.ref} shared with {form.cleaned_data['organisation']}"
        )
    return redirect(back)


@require_GET
def shared_bundles(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_police_coordinator(request)
    visible = list(
        Bundle.objects.for_user(request.user).select_related("case").order_by("-produced_at")[:200]
    )
    record(
        actor=request.user,
        verb=AuditVerb.EVIDENCE_SHARED_BUNDLES_VIEWED,
        request=request,
        payload={"count": len(visible)},
    )
    return render(request, "evidence/shared_bundles.html", {"bundles": visible})


@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_bundle_checker(request)
    form = evidence_forms.VerifyForm(
        posted(request), request.FILES if request.method == "POST" else None
    )
    report = None
    known: Bundle | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["bundle"]
        limit = settings.HARBOUR_BUNDLE_VERIFY_MAX_MB * 1024 * 1024
        if upload.size > limit:
            form.add_error(
                "bundle", f"The file is larger than {settings.HARBOUR_BUNDLE_VERIFY_MAX_MB} MB"
            )
        else:
            with tempfile.TemporaryFile() as copy:
                for chunk in upload.chunks():
                    copy.write(chunk)
                copy.seek(0)
                report = verify_bundle(copy)
            if report.manifest_sha256:
                known = (
                    Bundle.objects.for_user(request.user)
                    .select_related("case", "produced_by")
                    .filter(manifest_sha256=report.manifest_sha256)
                    .first()
                )
            record(
                actor=request.user,
                verb=AuditVerb.EVIDENCE_BUNDLE_VERIFIED,
                object_type="evidence.bundle",
                object_id=str(known.public_id) if known else "",
                request=request,
                payload={
                    "intact": report.ok,
                    "problems": len(report.problems),
                    "manifest_sha256": report.manifest_sha256,
                },
            )
    return render(request, "evidence/verify.html", {"form": form, "report": report, "known": known})
