"""The trainer's pages: the queue of requests, sessions and events, attendance, certificates and
figures; and the partner organisations with their contacts, trainings and later referrals."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.accounts.access import denied
from harbour.accounts.models import Organisation
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core import policy
from harbour.core.forms import posted
from harbour.core.http import AuthenticatedHttpRequest
from harbour.core.pages import submitted
from harbour.training import services
from harbour.training.access import (
    get_attendee_for_user,
    get_open_request_for_user,
    get_partner_for_edit,
    get_partner_for_user,
    get_request_for_user,
    get_scheduled_session_for_user,
    get_session_for_user,
    require_contact_point_editor,
    require_partner_editor,
    require_partner_reader,
    require_training_staff,
)
from harbour.training.certificate import certificate_filename, certificate_pdf
from harbour.training.figures import referrals_from_partners, training_figures
from harbour.training.forms import (
    AttendeeForm,
    ContactPointForm,
    DeliveredForm,
    EventForm,
    PartnerChoiceForm,
    PartnerContactForm,
    PartnerForm,
    ReasonForm,
    ScheduleForm,
)
from harbour.training.models import (
    CONFIDENCE_AREAS,
    Attendee,
    ContactPoint,
    Feedback,
    PartnerContact,
    PartnerOrganisation,
    Sector,
    SectorAttendance,
    SessionOrganisation,
    TrainingRequest,
    TrainingSession,
)

SECTOR_LABELS = dict(Sector.choices)


def _org(request: AuthenticatedHttpRequest) -> Organisation:
    """The acting person's organisation (the access helper let only staff of one through)."""
    organisation = request.user.organisation
    assert organisation is not None
    return organisation


def _form_page(request: AuthenticatedHttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "training/form_page.html", context)


# The queue ----------------------------------------------------------------------------------------


@require_GET
@require_training_staff
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    requests = TrainingRequest.objects.for_user(user)
    sessions = TrainingSession.objects.for_user(user).select_related("trainer")
    now = timezone.now()
    context = {
        "received": list(requests.filter(status=TrainingRequest.Status.RECEIVED)),
        "upcoming": list(
            sessions.filter(status=TrainingSession.Status.SCHEDULED).order_by("starts_at")
        ),
        "recent": list(
            sessions.exclude(status=TrainingSession.Status.SCHEDULED)
            .filter(starts_at__gte=now - datetime.timedelta(days=92))
            .annotate(people=Sum("attendance_rows__people"))
            .order_by("-starts_at")
        ),
    }
    return render(request, "training/queue.html", context)


@require_GET
@require_training_staff
def request_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = get_request_for_user(request, public_id)
    record(actor=request.user, verb=AuditVerb.TRAINING_REQUEST_VIEWED, obj=found, request=request)
    session = TrainingSession.objects.for_user(request.user).filter(request=found).first()
    return render(request, "training/request_detail.html", {"item": found, "session": session})


@require_http_methods(["GET", "POST"])
@require_training_staff
def request_schedule(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = get_open_request_for_user(request, public_id)
    user = request.user
    form = ScheduleForm(
        posted(request),
        trainers=policy.trainers_of(_org(request).pk),
        initial={
            "title": "Stalking awareness training",
            "capacity": found.people,
            "place": found.place,
            "trainer": user.pk,
            "duration_minutes": 180,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partner = services.find_or_add_partner(
                _org(request),
                name=found.organisation_name,
                sector=found.sector,
                area=data["partner_area"] or data["area"],
                by=user,
                request=request,
            )
            session = services.schedule_session(
                _org(request),
                by=user,
                title=data["title"],
                starts_at=form.starts_at(),
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                venue=data["venue"],
                area=data["area"],
                trainer=data["trainer"],
                capacity=data["capacity"],
                for_request=found,
                partner=partner,
                request=request,
            )
        except services.TrainingRuleError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Session scheduled.")
            return redirect("training:session_detail", public_id=session.public_id)
    return _form_page(
        request,
        {
            "form": form,
            "page_title": "Schedule a session",
            "caption": found.organisation_name,
            "back_url": found_url(found),
            "submit_label": "Schedule session",
        },
    )


def found_url(found: TrainingRequest) -> str:
    return reverse("training:request_detail", kwargs={"public_id": found.public_id})


@require_http_methods(["GET", "POST"])
@require_training_staff
def request_cancel(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = get_open_request_for_user(request, public_id)
    form = ReasonForm(posted(request))
    done = submitted(
        request,
        form,
        lambda data: services.cancel_request(found, by=request.user, request=request, **data),
        then=reverse("training:queue"),
        message="Request cancelled.",
        refusals=(services.TrainingRuleError,),
    )
    return done or _form_page(
        request,
        {
            "form": form,
            "page_title": "Cancel this request",
            "caption": found.organisation_name,
            "back_url": found_url(found),
            "submit_label": "Cancel request",
            "warning": True,
        },
    )


# Sessions and events ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_training_staff
def session_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = EventForm(
        posted(request),
        trainers=policy.trainers_of(_org(request).pk),
        initial={"kind": TrainingSession.Kind.EVENT, "trainer": user.pk, "duration_minutes": 240},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = services.schedule_session(
            _org(request),
            by=user,
            kind=data["kind"],
            title=data["title"],
            starts_at=form.starts_at(),
            duration_minutes=data["duration_minutes"],
            place=data["place"],
            venue=data["venue"],
            area=data["area"],
            trainer=data["trainer"],
            capacity=data["capacity"],
            request=request,
        )
        messages.success(request, "Session added.")
        return redirect("training:session_detail", public_id=session.public_id)
    return _form_page(
        request,
        {
            "form": form,
            "page_title": "Add a session or event",
            "back_url": reverse("training:queue"),
            "submit_label": "Add",
        },
    )


@require_GET
@require_training_staff
def session_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    session = get_session_for_user(request, public_id)
    user = request.user
    record(actor=user, verb=AuditVerb.TRAINING_SESSION_VIEWED, obj=session, request=request)
    organisations = list(
        PartnerOrganisation.objects.for_user(user)
        .filter(session_links__session=session)
        .order_by("name")
    )
    attendees = list(
        Attendee.objects.for_user(user).filter(session=session).select_related("partner")
    )
    answered = set(
        Feedback.objects.for_user(user)
        .filter(attendee__session=session)
        .values_list("attendee_id", flat=True)
    )
    attendance = list(SectorAttendance.objects.for_user(user).filter(session=session))
    chosen = {p.pk for p in organisations}
    add_form = PartnerChoiceForm(
        partners=PartnerOrganisation.objects.for_user(user).exclude(pk__in=chosen)
    )
    context = {
        "session": session,
        "organisations": organisations,
        "attendees": [(a, a.pk in answered) for a in attendees],
        "attendance": attendance,
        "attended": sum(row.people for row in attendance),
        "add_form": add_form,
        "site": request.build_absolute_uri("/")[:-1],
        "is_scheduled": session.status == TrainingSession.Status.SCHEDULED,
        "is_delivered": session.status == TrainingSession.Status.DELIVERED,
    }
    return render(request, "training/session_detail.html", context)


@require_POST
@require_training_staff
def session_organisation_add(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID
) -> HttpResponse:
    session = get_session_for_user(request, public_id)
    form = PartnerChoiceForm(
        posted(request), partners=PartnerOrganisation.objects.for_user(request.user)
    )
    if form.is_valid():
        try:
            services.add_organisation(
                session, form.cleaned_data["partner"], by=request.user, request=request
            )
        except services.TrainingRuleError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "Organisation added.")
    else:
        messages.error(request, "Select an organisation to add.")
    return redirect("training:session_detail", public_id=session.public_id)


@require_http_methods(["GET", "POST"])
@require_training_staff
def attendee_add(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    session = get_session_for_user(request, public_id)
    user = request.user
    partners = PartnerOrganisation.objects.for_user(user).filter(session_links__session=session)
    form = AttendeeForm(posted(request), partners=partners)
    done = submitted(
        request,
        form,
        lambda data: services.add_attendee(session, by=user, request=request, **data),
        then=_session_url(session),
        message="Attendee added.",
        refusals=(services.TrainingRuleError,),
    )
    return done or _form_page(
        request,
        {
            "form": form,
            "page_title": "Add an attendee",
            "caption": session.title,
            "back_url": _session_url(session),
            "submit_label": "Add attendee",
        },
    )


def _session_url(session: TrainingSession) -> str:
    return reverse("training:session_detail", kwargs={"public_id": session.public_id})


@require_http_methods(["GET", "POST"])
@require_training_staff
def session_deliver(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    session = get_scheduled_session_for_user(request, public_id)
    form = DeliveredForm(posted(request))
    done = submitted(
        request,
        form,
        lambda data: services.deliver_session(
            session, attendance=form.attendance(), by=request.user, request=request
        ),
        then=_session_url(session),
        message="Session marked as delivered.",
        refusals=(services.TrainingRuleError,),
    )
    return done or _form_page(
        request,
        {
            "form": form,
            "page_title": "Record attendance",
            "caption": session.title,
            "intro": "How many people came from each sector? Leave a sector blank if nobody came.",
            "back_url": _session_url(session),
            "submit_label": "Mark as delivered",
        },
    )


@require_http_methods(["GET", "POST"])
@require_training_staff
def session_cancel(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    session = get_scheduled_session_for_user(request, public_id)
    form = ReasonForm(posted(request))
    done = submitted(
        request,
        form,
        lambda data: services.cancel_session(session, by=request.user, request=request, **data),
        then=_session_url(session),
        message="Session cancelled.",
        refusals=(services.TrainingRuleError,),
    )
    return done or _form_page(
        request,
        {
            "form": form,
            "page_title": "Cancel this session",
            "caption": session.title,
            "back_url": _session_url(session),
            "submit_label": "Cancel session",
            "warning": True,
        },
    )


@require_GET
@require_training_staff
def certificate(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    attendee = get_attendee_for_user(request, public_id)
    if attendee.session.status != TrainingSession.Status.DELIVERED:
        raise denied(request, "training.certificate", str(public_id))
    record(
        actor=request.user,
        verb=AuditVerb.TRAINING_CERTIFICATE_ISSUED,
        obj=attendee.session,
        payload={"attendee": str(attendee.public_id)},
        request=request,
    )
    return pdf_response(certificate_pdf(attendee), certificate_filename(attendee))


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Figures ------------------------------------------------------------------------------------------


def _year_start(today: datetime.date) -> datetime.date:
    """The start of the financial year (1 April) that ``today`` falls in."""
    year = today.year if today.month >= 4 else today.year - 1
    return datetime.date(year, 4, 1)


@require_GET
@require_training_staff
def figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365)
    result = training_figures([_org(request).pk], start, today)
    by_sector = sorted(
        ((SECTOR_LABELS.get(s, s), n) for s, n in result.by_sector.items()),
        key=lambda row: -row[1],
    )
    by_area = sorted(result.by_area.items(), key=lambda row: -row[1])
    confidence = [
        (words, change)
        for (_stem, words), change in zip(CONFIDENCE_AREAS, result.confidence, strict=True)
    ]
    return render(
        request,
        "training/figures.html",
        {
            "start": start,
            "end": today,
            "figures": result,
            "by_sector": by_sector,
            "by_area": by_area,
            "confidence": confidence,
        },
    )


# Partner organisations ----------------------------------------------------------------------------


@require_GET
@require_partner_reader
def partners(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    rows = list(
        PartnerOrganisation.objects.for_user(user)
        .annotate(trainings=Count("session_links"))
        .order_by("name")
    )
    point = (
        ContactPoint.objects.filter(provider_id=_org(request).pk).select_related("advocate").first()
    )
    return render(
        request,
        "training/partners.html",
        {
            "partners": rows,
            "point": point,
            "can_edit": policy.can_edit_partners(user),
            "can_name_point": policy.can_name_contact_point(user),
        },
    )


@require_http_methods(["GET", "POST"])
@require_partner_editor
def partner_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PartnerForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.add_partner(
                _org(request), by=request.user, request=request, **form.cleaned_data
            )
        except services.TrainingRuleError as refused:
            form.add_error("name", str(refused))
        else:
            return redirect("partners:detail", public_id=partner.public_id)
    return _form_page(
        request,
        {
            "form": form,
            "page_title": "Add a partner organisation",
            "back_url": reverse("partners:list"),
            "submit_label": "Add organisation",
        },
    )


@require_GET
@require_partner_reader
def partner_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    partner = get_partner_for_user(request, public_id)
    user = request.user
    record(actor=user, verb=AuditVerb.TRAINING_PARTNER_VIEWED, obj=partner, request=request)
    contacts = list(PartnerContact.objects.for_user(user).filter(partner=partner))
    sessions = (
        list(
            SessionOrganisation.objects.for_user(user)
            .filter(partner=partner)
            .select_related("session")
            .order_by("-session__starts_at")
        )
        if policy.can_run_training(user)
        else []
    )
    today = timezone.localdate()
    later = referrals_from_partners(
        [_org(request).pk], today - datetime.timedelta(days=3 * 365), today
    ).get(partner.pk, [])
    trained = (
        SessionOrganisation.objects.for_user(user)
        .filter(partner=partner, session__status=TrainingSession.Status.DELIVERED)
        .exists()
        if policy.can_run_training(user)
        else None
    )
    return render(
        request,
        "training/partner_detail.html",
        {
            "partner": partner,
            "contacts": contacts,
            "sessions": [row.session for row in sessions],
            "referral_dates": sorted(later, reverse=True),
            "trained": trained,
            "can_edit": policy.can_edit_partners(user),
            "can_run_training": policy.can_run_training(user),
        },
    )


@require_http_methods(["GET", "POST"])
@require_partner_editor
def partner_contact_add(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    partner = get_partner_for_edit(request, public_id)
    form = PartnerContactForm(posted(request))
    done = submitted(
        request,
        form,
        lambda data: services.add_partner_contact(
            partner, by=request.user, request=request, **data
        ),
        then=reverse("partners:detail", kwargs={"public_id": partner.public_id}),
        message="Contact added.",
    )
    return done or _form_page(
        request,
        {
            "form": form,
            "page_title": "Add a contact",
            "caption": partner.name,
            "back_url": reverse("partners:detail", kwargs={"public_id": partner.public_id}),
            "submit_label": "Add contact",
        },
    )


@require_http_methods(["GET", "POST"])
@require_contact_point_editor
def contact_point(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    current = ContactPoint.objects.filter(provider_id=_org(request).pk).first()
    form = ContactPointForm(
        posted(request),
        advocates=policy.advocates_of(_org(request).pk),
        initial={
            "advocate": current.advocate_id if current else None,
            "area": current.area if current else _org(request).area_name,
        },
    )
    done = submitted(
        request,
        form,
        lambda data: services.name_contact_point(_org(request), by=user, request=request, **data),
        then=reverse("partners:list"),
        message="Single point of contact saved.",
    )
    return done or _form_page(
        request,
        {
            "form": form,
            "page_title": "Single point of contact",
            "intro": "The advocate who coordinates with local agencies for the area: partner "
            "organisations and trainers are pointed to them.",
            "back_url": reverse("partners:list"),
            "submit_label": "Save",
        },
    )
