"""The case workspace. Every view calls an access helper first and audits what it shows."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.accounts.access import denied
from harbour.accounts.models import User
from harbour.accounts.stepup import recently_reauthenticated, step_up_url
from harbour.audit.log import record
from harbour.audit.models import AuditEvent
from harbour.audit.verbs import AuditVerb, label_of
from harbour.cases import forms as case_forms
from harbour.cases import services
from harbour.cases.access import (
    get_case_for_edit,
    get_case_for_manager,
    get_case_for_user,
    get_case_record,
)
from harbour.cases.models import (
    BreakGlassGrant,
    Case,
    Channel,
    ContactLogEntry,
    ContactPreference,
    NeedsAssessment,
    OnwardReferral,
    OutcomeMeasures,
    RiskLevel,
    SafetyPlan,
    SafetyPlanVersion,
    SupportAction,
    Suspect,
    SuspectIdentifier,
)
from harbour.cases.queries import case_list_page
from harbour.core import policy
from harbour.core.forms import posted
from harbour.core.http import AuthenticatedHttpRequest
from harbour.core.scoping import CaseRecords, first
from harbour.core.versioning import edit_page
from harbour.referrals import services as referral_services
from harbour.risk import services as risk_services
from harbour.risk.models import (
    Assessment,
    MaracReferral,
    RiskLevelChange,
    forum_for,
    forum_name,
)


def _detail_url(case: Case, anchor: str = "") -> str:
    url = reverse("cases:detail", args=[case.public_id])
    return f"{url}#{anchor}" if anchor else url


# --- lists and the case page ---------------------------------------------------------------------


RISK_FILTERS = {level.slug: level for level in reversed(RiskLevel)}


@require_GET
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.is_provider_caseworker(request.user):
        raise denied(request, "cases.case_list")
    cases = Case.objects.for_user(request.user)
    show = request.GET.get("show", "mine" if policy.has_own_caseload(request.user) else "open")
    advocate_id = request.GET.get("advocate", "")
    if show == "unallocated" and advocate_id:
        show = "open"  # an advocate's caseload is never "waiting for an advocate"
    if show == "mine":
        cases = cases.filter(allocated_to=request.user, status=Case.Status.OPEN)
    elif show == "unallocated":
        cases = cases.filter(allocated_to__isnull=True, status=Case.Status.OPEN)
    elif show == "open":
        cases = cases.filter(status__in=[Case.Status.OPEN, Case.Status.AWAITING_SIGN_OFF])
    elif show == "closed":
        cases = cases.filter(status=Case.Status.CLOSED)
    else:
        show = "all"
    advocates: list[User] = []
    if policy.is_provider_manager(request.user):
        advocates = list(
            policy.advocates_of(request.user.organisation).order_by("full_name", "username")
        )
        if advocate_id.isdigit():
            cases = cases.filter(allocated_to_id=int(advocate_id))
        open_counts = services.open_caseload_counts(request.user)
        for advocate in advocates:
            advocate.open_count = open_counts.get(advocate.pk, 0)  # type: ignore[attr-defined]
    risk = request.GET.get("risk", "")
    if risk in RISK_FILTERS:
        cases = cases.filter(risk_level=RISK_FILTERS[risk])
    else:
        risk = ""
    sort = "risk" if request.GET.get("sort") == "risk" else "opened"
    page = case_list_page(request.user, cases, request.GET.get("page"), by_risk=sort == "risk")
    record(
        actor=request.user,
        verb=AuditVerb.CASE_LIST_VIEWED,
        request=request,
        payload={"count": len(page.object_list), "page": page.number, "show": show},
    )
    filters = [
        ("mine", "Allocated to me"),
        ("unallocated", "Waiting for an advocate"),
        ("open", "All open"),
        ("closed", "Closed"),
        ("all", "All"),
    ]
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "show": show,
            "filters": filters,
            "advocates": advocates,
            "advocate_id": advocate_id,
            "risk": risk,
            "risk_choices": [(key, level.label) for key, level in RISK_FILTERS.items()],
            "sort": sort,
            "query": f"show={show}&advocate={advocate_id}&risk={risk}&sort={sort}&",
            "can_allocate": policy.is_provider_manager(request.user),
            "can_break_glass": policy.can_break_glass(request.user),
            "can_review_break_glass": policy.can_review_break_glass(request.user),
            "unreviewed_break_glass": (
                BreakGlassGrant.objects.for_user(request.user)
                .filter(reviewed_at__isnull=True)
                .count()
                if policy.can_review_break_glass(request.user)
                else 0
            ),
        },
    )


#: What the case page reads of each kind of record (``CaseRecords``: compiled once per connection
#: for a caseworker admitted to the case, issue #8).
_PREFERENCES = CaseRecords(ContactPreference)
_SUSPECTS = CaseRecords(Suspect)
_IDENTIFIERS = CaseRecords(SuspectIdentifier)
_ASSESSMENTS = CaseRecords(Assessment, lambda qs: qs.select_related("instrument_version")[:5])
_MEASURES = CaseRecords(OutcomeMeasures)
_MARAC = CaseRecords(MaracReferral)
_CONTACTS = CaseRecords(ContactLogEntry, lambda qs: qs.select_related("created_by")[:5])
_RISK_CHANGES = CaseRecords(RiskLevelChange, lambda qs: qs.select_related("decided_by")[:10])
_NEEDS = CaseRecords(NeedsAssessment, first)
_ACTIONS = CaseRecords(
    SupportAction,
    lambda qs: qs.exclude(status=SupportAction.Status.CANCELLED).select_related("owner"),
)
_SAFETY_PLAN = CaseRecords(SafetyPlan, first)
_ONWARD = CaseRecords(OnwardReferral)


@require_GET
def case_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_user(request, public_id)

    user = request.user
    prefs = {p.channel: p for p in _PREFERENCES(user, case)}
    suspects = _SUSPECTS(user, case)
    identifiers: dict[int, list[SuspectIdentifier]] = {}
    for ident in _IDENTIFIERS(user, case):
        identifiers.setdefault(ident.suspect_id, []).append(ident)
    for suspect in suspects:
        suspect.identifier_list = identifiers.get(suspect.pk, [])  # type: ignore[attr-defined]
    assessments = _ASSESSMENTS(user, case)
    measures = _MEASURES(user, case)
    latest = assessments[0] if assessments else None
    lower = (
        latest
        if latest is not None
        and risk_services.band_level(latest.instrument_version.instrument, latest.band)
        < case.risk_level
        else None
    )
    # A referral's forum name reads its case's organisation: the case already loaded, not a join.
    marac = _MARAC(user, case)
    for referral in marac:
        referral.case = case
    context = {
        "case": case,
        "client": case.client,
        "can_edit": policy.can_edit_case(user, case),
        "can_manage": policy.can_allocate_case(user, case),
        "can_reopen": policy.can_reopen_case(user, case),
        "can_see_access_log": policy.can_see_case_access_log(user, case),
        "can_answer_subject_access": policy.can_answer_subject_access(user, case),
        # Only someone who may claim emergency access, on a case not allocated to them, can be
        # here by an emergency grant (one query fewer on every other view of a case page).
        "emergency_grant": BreakGlassGrant.objects.for_user(user)
        .filter(case=case, user=user, expires_at__gt=timezone.now())
        .first()
        if policy.can_break_glass(user) and case.allocated_to_id != user.pk
        else None,
        "channels": [(c, prefs.get(c.value)) for c in Channel],
        "prefs_stale": services.preferences_need_confirming(prefs.values()),
        "stale_days": services.stale_after_days(),
        "contacts": _CONTACTS(user, case),
        "suspects": suspects,
        "assessments": assessments,
        "latest_assessment": latest,
        "risk_level": RiskLevel(case.risk_level),
        "risk_changes": _RISK_CHANGES(user, case),
        "lower_assessment": lower,
        "source": referral_services.source_of(case),
        "marac": marac,
        "forum_label": forum_name(forum_for(case), case.organisation),
        "needs": next(iter(_NEEDS(user, case)), None),
        "actions": _ACTIONS(user, case),
        "safety_plan": next(iter(_SAFETY_PLAN(user, case)), None),
        "onward_referrals": _ONWARD(user, case),
        "entry_measures": next((m for m in measures if m.stage == "entry"), None),
        "measure_rows": _measure_rows(
            next((m for m in measures if m.stage == "entry"), None),
            next((m for m in measures if m.stage == "exit"), None),
        ),
    }
    record(actor=user, verb=AuditVerb.CASE_VIEWED, obj=case, request=request)
    return render(request, "cases/case_detail.html", context)


@require_GET
def case_access_log(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_user(request, public_id)
    if not policy.can_see_case_access_log(request.user, case):
        raise denied(request, "cases.case_access_log", str(public_id))
    events = AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.public_id)
    ).order_by("-seq")
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    names = {u.pk: u for u in User.objects.filter(pk__in={e.actor_id for e in shown if e.actor_id})}
    rows = [
        {
            "event": e,
            "actor": names.get(e.actor_id) if e.actor_id else None,
            "what": label_of(e.verb),
        }
        for e in shown
    ]
    record(actor=request.user, verb=AuditVerb.CASE_ACCESS_LOG_VIEWED, obj=case, request=request)
    return render(request, "cases/case_access_log.html", {"case": case, "rows": rows, "page": page})


def _measure_rows(
    entry: OutcomeMeasures | None, exit_: OutcomeMeasures | None
) -> list[tuple[str, int | None, int | None]]:
    return [
        (label, getattr(entry, key, None), getattr(exit_, key, None))
        for key, label in OutcomeMeasures.MEASURES
    ]


def _form_page(case: Case, title: str, **extra: object) -> dict[str, object]:
    return {"case": case, "page_title": title, "back_url": _detail_url(case), **extra}


def case_edit_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    form: Any,
    *,
    title: str,
    viewed: AuditVerb,
    changed: AuditVerb,
    success_message: str,
    success_url: str | None = None,
    prepare: Callable[[Any], None] | None = None,
    after: Callable[[Any], None] | None = None,
    viewed_payload: dict[str, Any] | None = None,
    **extra: object,
) -> HttpResponse:
    """One edit page of a case record: the form's opening audited as ``viewed``, a save as
    ``changed`` (or the conflict shown), then back to the case."""
    if request.method == "GET":
        record(actor=request.user, verb=viewed, obj=case, request=request, payload=viewed_payload)
    return edit_page(
        request,
        form,
        template="cases/form_page.html",
        context=_form_page(case, title, **extra),
        success_url=success_url or _detail_url(case),
        verb=changed,
        audit_obj=case,
        success_message=success_message,
        prepare=prepare,
        after=after,
    )


# --- the case and client records -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_edit(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_edit(request, public_id)
    form = case_forms.CaseDetailsForm(posted(request), instance=case)
    return case_edit_page(
        request,
        case,
        form,
        viewed=AuditVerb.CASE_EDIT_VIEWED,
        changed=AuditVerb.CASE_DETAILS_CHANGED,
        title="About the case",
        success_message="Case details saved",
    )


@require_http_methods(["GET", "POST"])
def client_edit(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_edit(request, public_id)
    # The safe address is masked until a step-up re-authentication; each reveal is audited.
    reveal = recently_reauthenticated(request)
    form = case_forms.ClientForm(
        posted(request), instance=case.client, lock=case, reveal_address=reveal
    )
    if request.method == "GET":
        record(
            actor=request.user, verb=AuditVerb.CASE_CLIENT_EDIT_VIEWED, obj=case, request=request
        )
        if reveal and case.client.address:
            record(
                actor=request.user,
                verb=AuditVerb.CASE_ADDRESS_REVEALED,
                obj=case,
                request=request,
            )
    return edit_page(
        request,
        form,
        template="cases/form_page.html",
        context=_form_page(
            case,
            "Client details",
            address_masked=not reveal,
            reveal_url=step_up_url(request.get_full_path()),
        ),
        success_url=_detail_url(case),
        verb=AuditVerb.CASE_CLIENT_CHANGED,
        audit_obj=case,
        success_message="Client details saved",
    )


@require_http_methods(["GET", "POST"])
def case_allocate(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_manager(request, public_id)
    form = case_forms.AllocationForm(posted(request), instance=case)
    return case_edit_page(
        request,
        case,
        form,
        viewed=AuditVerb.CASE_ALLOCATION_VIEWED,
        changed=AuditVerb.CASE_ALLOCATED,
        title="Allocation and restriction",
        success_message="Allocation saved",
    )


# --- safe contact and the contact log ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def contact_preference(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, channel: str
) -> HttpResponse:
    case = get_case_for_edit(request, public_id)
    if channel not in Channel.values:
        raise denied(request, "cases.contactpreference", channel)
    pref = ContactPreference.objects.for_case(request.user, case).filter(channel=channel)
    instance = pref.first() or ContactPreference(case=case, channel=channel)
    form = case_forms.ContactPreferenceForm(posted(request), instance=instance)

    def prepare(obj: ContactPreference) -> None:
        obj.case = case
        if obj.pk is None:
            obj.created_by = request.user
        if form.cleaned_data.get("confirmed_today"):
            obj.last_confirmed_on = timezone.localdate()

    return case_edit_page(
        request,
        case,
        form,
        viewed=AuditVerb.CASE_CONTACT_PREFERENCE_VIEWED,
        changed=AuditVerb.CASE_CONTACT_PREFERENCE_CHANGED,
        title=f"Safe contact: {Channel(channel).label.lower()}",
        success_url=_detail_url(case, "safe-contact"),
        success_message="Safe-contact preference saved",
        prepare=prepare,
    )


@require_POST
def contact_confirm(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_edit(request, public_id)
    count = services.confirm_contact_preferences(case, by=request.user, request=request)
    if count:
        messages.success(request, "Safe-contact preferences confirmed today")
    else:
        messages.info(request, "Record the client's safe-contact preferences first")
    return redirect(_detail_url(case, "safe-contact"))


@require_GET
def contact_log(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_user(request, public_id)
    entries = ContactLogEntry.objects.for_case(request.user, case).select_related("created_by")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    record(
        actor=request.user,
        verb=AuditVerb.CASE_CONTACT_LOG_VIEWED,
        obj=case,
        request=request,
        payload={"count": len(page.object_list)},
    )
    return render(
        request,
        "cases/contact_log.html",
        {"case": case, "page": page, "can_edit": policy.can_edit_case(request.user, case)},
    )


@require_http_methods(["GET", "POST"])
def contact_new(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_edit(request, public_id)
    form = case_forms.ContactLogForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_contact(
                case,
                by=request.user,
                method=form.cleaned_data["method"],
                direction=form.cleaned_data["direction"],
                at=form.when(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                note=form.cleaned_data["note"],
                voicemail_left=form.cleaned_data["voicemail_left"],
                outside_reason=form.cleaned_data["outside_reason"],
                place=form.cleaned_data["place"],
                place_known_to_suspect=form.cleaned_data["place_known_to_suspect"],
                request=request,
            )
        except services.UnsafeChannel as exc:
            form.add_error(None, str(exc))
        except services.UnsafeMeetingPlace as exc:
            form.add_error("place_known_to_suspect", str(exc))
        except services.OutsideSafeTimes as exc:
            form.add_error("outside_reason", str(exc))
        else:
            messages.success(request, "Contact logged")
            return redirect(reverse("cases:contact_log", args=[case.public_id]))
    if request.method == "GET":
        record(
            actor=request.user, verb=AuditVerb.CASE_CONTACT_FORM_VIEWED, obj=case, request=request
        )
    prefs = list(ContactPreference.objects.for_case(request.user, case))
    unsafe = [p.get_channel_display() for p in prefs if not p.safe]
    recorded = {p.channel for p in prefs}
    return render(
        request,
        "cases/form_page.html",
        _form_page(
            case,
            "Log a contact",
            form=form,
            unsafe_channels=unsafe,
            unrecorded_channels=[c.label.lower() for c in Channel if c not in recorded],
            contact_prefs=[p for p in prefs if p.safe],
        ),
    )


# --- suspects ------------------------------------------------------------------------------------


def _suspect_after(form: case_forms.SuspectForm) -> Callable[[Suspect], None]:
    def after(suspect: Suspect) -> None:
        services.set_suspect_identifiers(suspect, form.identifiers())

    return after


@require_http_methods(["GET", "POST"])
def suspect_new(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_edit(request, public_id)
    form = case_forms.SuspectForm(posted(request), instance=Suspect(case=case))

    def prepare(obj: Suspect) -> None:
        obj.case = case
        obj.created_by = request.user

    return case_edit_page(
        request,
        case,
        form,
        viewed=AuditVerb.CASE_SUSPECT_FORM_VIEWED,
        changed=AuditVerb.CASE_SUSPECT_ADDED,
        title="Add a suspect",
        success_url=_detail_url(case, "suspects"),
        success_message="Suspect added",
        prepare=prepare,
        after=_suspect_after(form),
    )


@require_http_methods(["GET", "POST"])
def suspect_edit(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, record_id: uuid.UUID
) -> HttpResponse:
    case, suspect = get_case_record(request, Suspect, public_id, record_id)
    identifiers: dict[str, list[str]] = {}
    for ident in SuspectIdentifier.objects.for_user(request.user).filter(suspect=suspect):
        identifiers.setdefault(ident.kind, []).append(ident.value)
    for values in identifiers.values():
        values.sort()
    form = case_forms.SuspectForm(posted(request), instance=suspect, identifiers=identifiers)
    return case_edit_page(
        request,
        case,
        form,
        viewed=AuditVerb.CASE_SUSPECT_VIEWED,
        changed=AuditVerb.CASE_SUSPECT_CHANGED,
        title="Suspect",
        viewed_payload={"suspect": str(suspect.public_id)},
        success_url=_detail_url(case, "suspects"),
        success_message="Suspect saved",
        after=_suspect_after(form),
    )


# --- needs, actions, safety plan -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def needs_edit(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_edit(request, public_id)
    instance = NeedsAssessment.objects.for_case(request.user, case).first()
    form = case_forms.NeedsForm(posted(request), instance=instance or NeedsAssessment(case=case))

    def prepare(obj: NeedsAssessment) -> None:
        obj.case = case
        obj.updated_at = timezone.now()
        if obj.pk is None:
            obj.created_by = request.user

    return case_edit_page(
        request,
        case,
        form,
        viewed=AuditVerb.CASE_NEEDS_VIEWED,
        changed=AuditVerb.CASE_NEEDS_CHANGED,
        title="Needs assessment and support plan",
        success_url=_detail_url(case, "needs"),
        success_message="Needs assessment saved",
        prepare=prepare,
    )


@require_http_methods(["GET", "POST"])
def action_new(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_edit(request, public_id)
    form = case_forms.ActionForm(
        posted(request),
        instance=SupportAction(case=case),
        case=case,
        initial={
            "owner": case.allocated_to_id or request.user.pk,
            "area": request.GET.get("area"),
        },
    )

    def prepare(obj: SupportAction) -> None:
        obj.case = case
        obj.created_by = request.user

    return case_edit_page(
        request,
        case,
        form,
        viewed=AuditVerb.CASE_ACTION_FORM_VIEWED,
        changed=AuditVerb.CASE_ACTION_ADDED,
        title="Add an action",
        success_url=_detail_url(case, "actions"),
        success_message="Action added",
        prepare=prepare,
    )


@require_http_methods(["GET", "POST"])
def action_edit(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, record_id: uuid.UUID
) -> HttpResponse:
    case, action = get_case_record(request, SupportAction, public_id, record_id)
    form = case_forms.ActionForm(posted(request), instance=action, case=case)

    def prepare(obj: SupportAction) -> None:
        if obj.status == SupportAction.Status.DONE and obj.completed_at is None:
            obj.completed_at = timezone.now()

    return case_edit_page(
        request,
        case,
        form,
        viewed=AuditVerb.CASE_ACTION_VIEWED,
        changed=AuditVerb.CASE_ACTION_CHANGED,
        title="Action",
        success_url=_detail_url(case, "actions"),
        success_message="Action saved",
        prepare=prepare,
    )


@require_POST
def action_done(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, record_id: uuid.UUID
) -> HttpResponse:
    case, action = get_case_record(request, SupportAction, public_id, record_id)
    services.complete_action(action, by=request.user, request=request)
    messages.success(request, "Action marked as done")
    if request.POST.get("next") == "home":
        return redirect("core:home")
    return redirect(_detail_url(case, "actions"))


@require_http_methods(["GET", "POST"])
def safety_plan(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_edit(request, public_id)
    instance = SafetyPlan.objects.for_case(request.user, case).first()
    form = case_forms.SafetyPlanForm(posted(request), instance=instance or SafetyPlan(case=case))

    def prepare(obj: SafetyPlan) -> None:
        obj.case = case
        if obj.pk is None:
            obj.created_by = request.user

    def after(obj: SafetyPlan) -> None:
        services.snapshot_safety_plan(obj, by=request.user)

    return case_edit_page(
        request,
        case,
        form,
        viewed=AuditVerb.CASE_SAFETY_PLAN_VIEWED,
        changed=AuditVerb.CASE_SAFETY_PLAN_CHANGED,
        title="Safety plan",
        success_url=_detail_url(case, "safety-plan"),
        success_message="Safety plan saved",
        prepare=prepare,
        after=after,
    )


@require_GET
def safety_plan_history(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_user(request, public_id)
    versions = list(
        SafetyPlanVersion.objects.for_user(request.user)
        .filter(plan__case=case)
        .select_related("saved_by")
    )
    record(
        actor=request.user,
        verb=AuditVerb.CASE_SAFETY_PLAN_HISTORY_VIEWED,
        obj=case,
        request=request,
    )
    return render(request, "cases/safety_plan_history.html", {"case": case, "versions": versions})


@require_GET
def safety_plan_version(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, number: int
) -> HttpResponse:
    case = get_case_for_user(request, public_id)
    version = (
        SafetyPlanVersion.objects.for_user(request.user)
        .filter(plan__case=case, number=number)
        .select_related("saved_by")
        .first()
    )
    if version is None:
        raise denied(request, "cases.safetyplanversion", f"{public_id}/{number}")
    record(
        actor=request.user,
        verb=AuditVerb.CASE_SAFETY_PLAN_VERSION_VIEWED,
        obj=case,
        request=request,
        payload={"number": number},
    )
    return render(request, "cases/safety_plan_version.html", {"case": case, "version": version})


# --- onward referrals and outcomes ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def onward_referral_new(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_edit(request, public_id)
    form = case_forms.OnwardReferralForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.make_onward_referral(
                case, by=request.user, request=request, **form.cleaned_data
            )
        except services.ConsentRequired as exc:
            form.add_error("consent", str(exc))
        else:
            messages.success(request, "Onward referral recorded")
            return redirect(_detail_url(case, "onward-referrals"))
    if request.method == "GET":
        record(
            actor=request.user,
            verb=AuditVerb.CASE_ONWARD_REFERRAL_FORM_VIEWED,
            obj=case,
            request=request,
        )
    return render(request, "cases/form_page.html", _form_page(case, "Onward referral", form=form))


@require_http_methods(["GET", "POST"])
def onward_referral_edit(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, record_id: uuid.UUID
) -> HttpResponse:
    case, referral = get_case_record(request, OnwardReferral, public_id, record_id)
    form = case_forms.OnwardReferralUpdateForm(posted(request), instance=referral)
    return case_edit_page(
        request,
        case,
        form,
        viewed=AuditVerb.CASE_ONWARD_REFERRAL_VIEWED,
        changed=AuditVerb.CASE_ONWARD_REFERRAL_CHANGED,
        title=f"Onward referral: {referral.get_kind_display()}",
        viewed_payload={"referral": str(referral.public_id)},
        success_url=_detail_url(case, "onward-referrals"),
        success_message="Onward referral updated",
    )


@require_http_methods(["GET", "POST"])
def entry_measures(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_edit(request, public_id)
    form = case_forms.OutcomeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.record_outcomes(
            case,
            stage="entry",
            values=form.measures(),
            by=request.user,
            request=request,
        )
        messages.success(request, "Entry measures recorded")
        return redirect(_detail_url(case, "outcomes"))
    if request.method == "GET":
        record(
            actor=request.user,
            verb=AuditVerb.CASE_MEASURES_FORM_VIEWED,
            obj=case,
            request=request,
        )
    return render(
        request,
        "cases/form_page.html",
        _form_page(case, "How the client is at the start of support", form=form),
    )


# --- closure -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_close(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_edit(request, public_id)
    form = case_forms.ClosureForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.request_closure(
                case,
                by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                exit_measures=form.measures(),
                open_items_note=form.cleaned_data["open_items_note"],
                request=request,
            )
        except services.ClosureError as exc:
            form.add_error("open_items_note" if "still open" in str(exc) else None, str(exc))
        else:
            messages.success(request, "Closure sent to a manager for sign-off")
            return redirect(_detail_url(case))
    if request.method == "GET":
        record(
            actor=request.user, verb=AuditVerb.CASE_CLOSURE_FORM_VIEWED, obj=case, request=request
        )
    return render(
        request,
        "cases/form_page.html",
        _form_page(
            case,
            "Ask to close the case",
            form=form,
            lede="A manager signs off every closure: this sends it to them. Until they do, the "
            "case stays open to you.",
            open_items=services.open_items(case),
            submit_label="Send for sign-off",
        ),
    )


@require_http_methods(["GET", "POST"])
def case_sign_off(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_manager(request, public_id)
    if case.status != Case.Status.AWAITING_SIGN_OFF:
        raise denied(request, "cases.case_sign_off", str(public_id))
    if request.method == "POST":
        if request.POST.get("decision") == "return":
            services.return_closure(case, by=request.user, request=request)
            messages.success(request, "Closure returned: the case is open again")
        else:
            services.sign_off_closure(case, by=request.user, request=request)
            messages.success(request, "Case closed")
        return redirect(_detail_url(case))
    measures = list(OutcomeMeasures.objects.for_case(request.user, case))
    record(actor=request.user, verb=AuditVerb.CASE_SIGN_OFF_VIEWED, obj=case, request=request)
    return render(
        request,
        "cases/sign_off.html",
        {
            "case": case,
            "open_items": services.open_items(case),
            "measure_rows": _measure_rows(
                next((m for m in measures if m.stage == "entry"), None),
                next((m for m in measures if m.stage == "exit"), None),
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def case_reopen(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_user(request, public_id)
    if not policy.can_reopen_case(request.user, case):
        raise denied(request, "cases.case_reopen", str(public_id))
    form = case_forms.ReopenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.reopen_case(
            case, by=request.user, reason=form.cleaned_data["reason"], request=request
        )
        messages.success(request, "Case reopened")
        return redirect(_detail_url(case))
    if request.method == "GET":
        record(
            actor=request.user, verb=AuditVerb.CASE_REOPEN_FORM_VIEWED, obj=case, request=request
        )
    return render(request, "cases/form_page.html", _form_page(case, "Reopen the case", form=form))


# --- break-glass access ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def break_glass(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not policy.can_break_glass(user):
        raise denied(request, "cases.break_glass")
    form = case_forms.BreakGlassForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            case, grant = services.break_glass(
                reference=form.cleaned_data["reference"],
                reason=form.cleaned_data["reason"],
                by=user,
            )
        except services.BreakGlassRefused as refused:
            form.add_error(None, str(refused))
        else:
            if grant is None:
                messages.info(request, "You can already see this case.")
            else:
                until = timezone.localtime(grant.expires_at).strftime("%H:%M")
                messages.success(
                    request,
                    f"Emergency access granted until {until}. Your manager will review it.",
                )
            return redirect(_detail_url(case))
    return render(
        request,
        "cases/break_glass.html",
        {"form": form, "hours": services.break_glass_hours()},
    )


@require_GET
def break_glass_reviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not policy.can_review_break_glass(user):
        raise denied(request, "cases.break_glass_reviews")
    grants = list(
        BreakGlassGrant.objects.for_user(user)
        .select_related("case", "user", "reviewed_by")
        .order_by("reviewed_at", "-granted_at")[:200]
    )
    record(
        actor=user,
        verb=AuditVerb.CASE_BREAK_GLASS_LIST_VIEWED,
        request=request,
        payload={"count": len(grants)},
    )
    return render(
        request,
        "cases/break_glass_reviews.html",
        {"grants": grants, "form": case_forms.BreakGlassReviewForm()},
    )


@require_POST
def break_glass_review(request: AuthenticatedHttpRequest, grant_id: uuid.UUID) -> HttpResponse:
    user = request.user
    grant = (
        BreakGlassGrant.objects.for_user(user)
        .select_related("case")
        .filter(public_id=grant_id)
        .first()
    )
    if grant is None or not policy.can_review_break_glass(user):
        raise denied(request, "cases.break_glass_grant", str(grant_id))
    form = case_forms.BreakGlassReviewForm(request.POST)
    if form.is_valid() and grant.reviewed_at is None:
        services.review_break_glass(grant, by=user, note=form.cleaned_data["note"])
        messages.success(request, f"Emergency access to {grant.case.reference} marked as reviewed.")
    return redirect("cases:break_glass_reviews")
