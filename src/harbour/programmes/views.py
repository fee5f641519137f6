"""The perpetrator programme's pages, the police coordinator's status pages, and the advocate's
question "is the suspect on my case attending?"."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from harbour.accounts.access import denied
from harbour.accounts.models import Organisation
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core import policy
from harbour.core.forms import posted
from harbour.core.http import AuthenticatedHttpRequest
from harbour.core.pages import submitted
from harbour.programmes import services
from harbour.programmes.access import (
    get_case_for_attendance,
    get_open_participant,
    get_participant_for_programme,
    get_participant_status_for_police,
    get_programme_session,
    require_police_follower,
    require_programme_staff,
)
from harbour.programmes.forms import (
    AttendanceConsentForm,
    EndForm,
    ParticipantForm,
    ReferrerUpdateForm,
    RiskReviewForm,
    SessionForm,
    StartForm,
)
from harbour.programmes.models import (
    Participant,
    ProgrammeSession,
    RiskReview,
    SuspectAttendanceConsent,
)


def _org(request: AuthenticatedHttpRequest) -> Organisation:
    """The acting person's organisation (the access helper let only staff of one through)."""
    organisation = request.user.organisation
    assert organisation is not None
    return organisation


def _form_page(request: AuthenticatedHttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "programmes/form_page.html", context)


def _participant_url(participant: Participant) -> str:
    return reverse("programmes:participant_detail", kwargs={"public_id": participant.public_id})


@require_GET
@require_programme_staff
def participants(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    record(actor=user, verb=AuditVerb.PROGRAMME_PARTICIPANTS_VIEWED, request=request)
    rows = list(Participant.objects.for_user(user).select_related("practitioner"))
    open_rows = [p for p in rows if p.is_open]
    ended = [p for p in rows if not p.is_open]
    return render(request, "programmes/participants.html", {"open_rows": open_rows, "ended": ended})


@require_http_methods(["GET", "POST"])
@require_programme_staff
def participant_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = ParticipantForm(
        posted(request),
        forces=policy.police_forces(),
        practitioners=policy.practitioners_of(_org(request).pk),
        initial={"referred_on": timezone.localdate(), "practitioner": user.pk},
    )
    done = submitted(
        request,
        form,
        lambda data: services.add_participant(_org(request), by=user, request=request, **data),
        then=_participant_url,
        message=None,
        refusals=(services.ProgrammeRuleError,),
    )
    return done or _form_page(
        request,
        {
            "form": form,
            "page_title": "Add a participant",
            "back_url": reverse("programmes:participants"),
            "submit_label": "Add participant",
        },
    )


@require_GET
@require_programme_staff
def participant_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    participant = get_participant_for_programme(request, public_id)
    user = request.user
    record(
        actor=user, verb=AuditVerb.PROGRAMME_PARTICIPANT_VIEWED, obj=participant, request=request
    )
    sessions = list(ProgrammeSession.objects.for_user(user).filter(participant=participant))
    reviews = list(RiskReview.objects.for_user(user).filter(participant=participant))
    return render(
        request,
        "programmes/participant_detail.html",
        {
            "participant": participant,
            "sessions": sessions,
            "reviews": reviews,
            "summary": services.attendance_summary(participant),
            "updates": services.referrer_updates(participant),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
@require_programme_staff
def participant_start(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    participant = get_open_participant(request, public_id)
    form = StartForm(posted(request), initial={"first_session": timezone.localdate()})
    done = submitted(
        request,
        form,
        lambda data: services.start_programme(
            participant, by=request.user, request=request, **data
        ),
        then=_participant_url(participant),
        message="Programme started: 12 weekly sessions planned.",
        refusals=(services.ProgrammeRuleError,),
    )
    return done or _form_page(
        request,
        {
            "form": form,
            "page_title": "Start the programme",
            "caption": participant.reference,
            "intro": "Twelve one-to-one sessions are planned a week apart from the first (about "
            "three months). Dates can be moved as each session is recorded.",
            "back_url": _participant_url(participant),
            "submit_label": "Start",
        },
    )


@require_http_methods(["GET", "POST"])
@require_programme_staff
def session_record(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    session = get_programme_session(request, public_id)
    participant = session.participant
    form = SessionForm(
        posted(request),
        initial={
            "planned_on": session.planned_on,
            "status": session.status,
            "notes": session.notes,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.record_session(session, by=request.user, request=request, **form.cleaned_data)
        messages.success(request, f"Session {session.number} recorded.")
        return redirect(_participant_url(participant))
    record(
        actor=request.user,
        verb=AuditVerb.PROGRAMME_SESSION_VIEWED,
        obj=participant,
        payload={"session": session.number},
        request=request,
    )
    return _form_page(
        request,
        {
            "form": form,
            "page_title": f"Session {session.number}",
            "caption": participant.reference,
            "back_url": _participant_url(participant),
            "submit_label": "Save session",
        },
    )


@require_http_methods(["GET", "POST"])
@require_programme_staff
def risk_review(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    participant = get_participant_for_programme(request, public_id)
    form = RiskReviewForm(posted(request))
    done = submitted(
        request,
        form,
        lambda data: services.review_risk(participant, by=request.user, request=request, **data),
        then=_participant_url(participant),
        message="Risk review recorded.",
    )
    return done or _form_page(
        request,
        {
            "form": form,
            "page_title": "Review risk",
            "caption": participant.reference,
            "back_url": _participant_url(participant),
            "submit_label": "Save review",
        },
    )


@require_http_methods(["GET", "POST"])
@require_programme_staff
def referrer_update(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    participant = get_participant_for_programme(request, public_id)
    form = ReferrerUpdateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.tell_referrer(participant, by=request.user, request=request, **form.cleaned_data)
        messages.success(request, "Update to the referrer recorded.")
        return redirect(_participant_url(participant))
    sees = (
        "The referring force's stalking coordinator sees this update in Harbour."
        if participant.route in policy.POLICE_ROUTES and participant.referring_force_id
        else "Send it to the referrer as you usually do; Harbour keeps the record."
    )
    return _form_page(
        request,
        {
            "form": form,
            "page_title": "Tell the referrer",
            "caption": participant.reference,
            "intro": sees,
            "back_url": _participant_url(participant),
            "submit_label": "Record update",
        },
    )


@require_http_methods(["GET", "POST"])
@require_programme_staff
def participant_end(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    participant = get_open_participant(request, public_id)
    form = EndForm(posted(request))
    done = submitted(
        request,
        form,
        lambda data: services.end_participation(
            participant, by=request.user, request=request, **data
        ),
        then=_participant_url(participant),
        message="Recorded. Tell the referrer how it ended.",
        refusals=(services.ProgrammeRuleError,),
    )
    return done or _form_page(
        request,
        {
            "form": form,
            "page_title": "Completion or leaving",
            "caption": participant.reference,
            "back_url": _participant_url(participant),
            "submit_label": "Save",
        },
    )


# The police coordinator: status only ---------------------------------------------------------------


@require_GET
@require_police_follower
def police_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = list(Participant.objects.for_user(request.user).select_related("programme"))
    record(
        actor=request.user,
        verb=AuditVerb.PROGRAMME_PARTICIPANTS_VIEWED,
        payload={"status_only": True},
        request=request,
    )
    return render(request, "programmes/police_list.html", {"rows": rows})


@require_GET
@require_police_follower
def police_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    participant = get_participant_status_for_police(request, public_id)
    record(
        actor=request.user,
        verb=AuditVerb.PROGRAMME_PARTICIPANT_STATUS_VIEWED,
        obj=participant,
        request=request,
    )
    return render(
        request,
        "programmes/police_detail.html",
        {
            "participant": participant,
            "summary": services.attendance_summary(participant),
            "updates": services.referrer_updates(participant),
        },
    )


# The advocate: only whether the suspect is attending ----------------------------------------------


@require_http_methods(["GET", "POST"])
def suspect_attendance(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_attendance(request, public_id)
    user = request.user
    can_record = policy.can_record_suspect_attendance_consent(user, case)
    form = AttendanceConsentForm(posted(request) if can_record else None)
    if request.method == "POST":
        if not can_record:
            raise denied(request, "programmes.suspect_attendance_consent", str(public_id))
        if form.is_valid():
            services.record_attendance_consent(
                case, state=form.cleaned_data["state"], by=user, request=request
            )
            messages.success(request, "The client's decision is recorded.")
            return redirect("programmes:suspect_attendance", public_id=case.public_id)
    history = list(SuspectAttendanceConsent.objects.for_user(user).filter(case=case))
    given = policy.suspect_attendance_consent_given(case)
    answers = services.suspect_attendance(user, case, request=request) if given else []
    return render(
        request,
        "programmes/suspect_attendance.html",
        {
            "case": case,
            "form": form,
            "can_record": can_record,
            "history": history,
            "given": given,
            "answers": answers,
        },
    )
