"""Every change to training records, each with its audit row in the same transaction.

A request arrives from the public page; a trainer schedules a session for it (or cancels it); the
session is delivered, with attendance by sector, or cancelled. Events (a conference, a briefing)
are sessions with several organisations. Attendees get their own feedback link: one response each.

Why unscoped: every function here acts on a record its caller already holds, reached through an
access helper that asked the policy; the rule checks and writes must see the whole case (a record
another user added, a row the caller may not list), so they read through ``unscoped`` and never
return more than the caller was granted.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.training.models import (
    Attendee,
    ContactPoint,
    Feedback,
    PartnerContact,
    PartnerOrganisation,
    SectorAttendance,
    SessionOrganisation,
    TrainingRequest,
    TrainingSession,
)


class TrainingRuleError(ValueError):
    """A change the rules do not allow; the message is for the person who asked."""


def receive_request(provider: Organisation, fields: dict[str, Any]) -> TrainingRequest:
    """A request from the public page. The audit row names no one (the sender has no account)."""
    with transaction.atomic():
        found = TrainingRequest.unscoped.create(provider=provider, **fields)
        record(
            actor=None,
            verb=AuditVerb.TRAINING_REQUEST_RECEIVED,
            obj=found,
            payload={"provider": provider.pk, "sector": found.sector, "people": found.people},
            username="public training request",
        )
    return found


def find_or_add_partner(
    provider: Organisation, *, name: str, sector: str, area: str, by: User, request: Any = None
) -> PartnerOrganisation:
    """The partner organisation of this name at this provider, added if it is new."""
    name = name.strip()
    with transaction.atomic():
        partner, made = PartnerOrganisation.unscoped.get_or_create(
            provider=provider, name=name, defaults={"sector": sector, "area": area}
        )
        if made:
            record(actor=by, verb=AuditVerb.TRAINING_PARTNER_ADDED, obj=partner, request=request)
    return partner


def add_partner(
    provider: Organisation, *, by: User, request: Any = None, **fields: Any
) -> PartnerOrganisation:
    with transaction.atomic():
        if PartnerOrganisation.unscoped.filter(provider=provider, name=fields["name"]).exists():
            raise TrainingRuleError("There is already a partner organisation with this name.")
        partner = PartnerOrganisation.unscoped.create(provider=provider, **fields)
        record(actor=by, verb=AuditVerb.TRAINING_PARTNER_ADDED, obj=partner, request=request)
    return partner


def add_partner_contact(
    partner: PartnerOrganisation, *, by: User, request: Any = None, **fields: Any
) -> PartnerContact:
    with transaction.atomic():
        contact = PartnerContact.unscoped.create(partner=partner, **fields)
        record(
            actor=by,
            verb=AuditVerb.TRAINING_PARTNER_CONTACT_ADDED,
            obj=partner,
            payload={"contact": contact.pk},
            request=request,
        )
    return contact


def name_contact_point(
    provider: Organisation, *, advocate: User, area: str, by: User, request: Any = None
) -> ContactPoint:
    with transaction.atomic():
        point, _made = ContactPoint.objects.update_or_create(
            provider=provider,
            defaults={
                "advocate": advocate,
                "area": area,
                "changed_at": timezone.now(),
                "changed_by": by,
            },
        )
        record(
            actor=by,
            verb=AuditVerb.TRAINING_CONTACT_POINT_NAMED,
            object_type="accounts.organisation",
            object_id=str(provider.pk),
            payload={"advocate": advocate.pk},
            request=request,
        )
    return point


def schedule_session(
    provider: Organisation,
    *,
    by: User,
    title: str,
    starts_at: datetime.datetime,
    duration_minutes: int,
    place: str,
    venue: str,
    area: str,
    trainer: User,
    capacity: int,
    kind: str = TrainingSession.Kind.SESSION,
    for_request: TrainingRequest | None = None,
    partner: PartnerOrganisation | None = None,
    request: Any = None,
) -> TrainingSession:
    """A new session (for a request, whose status becomes "scheduled") or event."""
    with transaction.atomic():
        if for_request is not None:
            locked = TrainingRequest.unscoped.select_for_update().get(pk=for_request.pk)
            if locked.status != TrainingRequest.Status.RECEIVED:
                raise TrainingRuleError("This request has already been dealt with.")
        session = TrainingSession.unscoped.create(
            provider=provider,
            kind=kind,
            title=title,
            request=for_request,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            place=place,
            venue=venue,
            area=area,
            trainer=trainer,
            capacity=capacity,
        )
        if partner is not None:
            SessionOrganisation.unscoped.create(session=session, partner=partner)
        if for_request is not None:
            TrainingRequest.unscoped.filter(pk=for_request.pk).update(
                status=TrainingRequest.Status.SCHEDULED, partner=partner
            )
        record(
            actor=by,
            verb=AuditVerb.TRAINING_SESSION_SCHEDULED,
            obj=session,
            payload={"request": str(for_request.public_id) if for_request else ""},
            request=request,
        )
    return session


def cancel_request(found: TrainingRequest, *, reason: str, by: User, request: Any = None) -> None:
    with transaction.atomic():
        updated = TrainingRequest.unscoped.filter(
            pk=found.pk, status=TrainingRequest.Status.RECEIVED
        ).update(
            status=TrainingRequest.Status.CANCELLED,
            closed_reason=reason,
            closed_at=timezone.now(),
        )
        if not updated:
            raise TrainingRuleError("This request has already been dealt with.")
        record(actor=by, verb=AuditVerb.TRAINING_REQUEST_CANCELLED, obj=found, request=request)


def add_organisation(
    session: TrainingSession, partner: PartnerOrganisation, *, by: User, request: Any = None
) -> None:
    with transaction.atomic():
        try:
            with transaction.atomic():
                SessionOrganisation.unscoped.create(session=session, partner=partner)
        except IntegrityError:
            raise TrainingRuleError("This organisation is already on the session.") from None
        record(
            actor=by,
            verb=AuditVerb.TRAINING_SESSION_ORGANISATION_ADDED,
            obj=session,
            payload={"partner": str(partner.public_id)},
            request=request,
        )


def add_attendee(
    session: TrainingSession,
    *,
    name: str,
    email: str,
    sector: str,
    partner: PartnerOrganisation | None,
    by: User,
    request: Any = None,
) -> Attendee:
    with transaction.atomic():
        if session.status == TrainingSession.Status.CANCELLED:
            raise TrainingRuleError("This session was cancelled.")
        attendee = Attendee.unscoped.create(
            session=session, name=name, email=email, sector=sector, partner=partner
        )
        record(
            actor=by,
            verb=AuditVerb.TRAINING_ATTENDEE_ADDED,
            obj=session,
            payload={"attendee": str(attendee.public_id)},
            request=request,
        )
    return attendee


def deliver_session(
    session: TrainingSession, *, attendance: dict[str, int], by: User, request: Any = None
) -> None:
    """Mark a session delivered with the number of people from each sector."""
    counts = {sector: n for sector, n in attendance.items() if n}
    if not counts:
        raise TrainingRuleError("Enter how many people came from at least one sector.")
    with transaction.atomic():
        updated = TrainingSession.unscoped.filter(
            pk=session.pk, status=TrainingSession.Status.SCHEDULED
        ).update(status=TrainingSession.Status.DELIVERED, delivered_at=timezone.now())
        if not updated:
            raise TrainingRuleError("This session has already been closed.")
        SectorAttendance.unscoped.bulk_create(
            [SectorAttendance(session=session, sector=s, people=n) for s, n in counts.items()]
        )
        if session.request_id:
            TrainingRequest.unscoped.filter(pk=session.request_id).update(
                status=TrainingRequest.Status.DELIVERED, closed_at=timezone.now()
            )
        record(
            actor=by,
            verb=AuditVerb.TRAINING_SESSION_DELIVERED,
            obj=session,
            payload={"people": sum(counts.values())},
            request=request,
        )


def cancel_session(session: TrainingSession, *, reason: str, by: User, request: Any = None) -> None:
    with transaction.atomic():
        updated = TrainingSession.unscoped.filter(
            pk=session.pk, status=TrainingSession.Status.SCHEDULED
        ).update(
            status=TrainingSession.Status.CANCELLED,
            cancelled_reason=reason,
        )
        if not updated:
            raise TrainingRuleError("This session has already been closed.")
        if session.request_id:
            TrainingRequest.unscoped.filter(pk=session.request_id).update(
                status=TrainingRequest.Status.CANCELLED, closed_at=timezone.now()
            )
        record(actor=by, verb=AuditVerb.TRAINING_SESSION_CANCELLED, obj=session, request=request)


# The attendee's own link (no account) ------------------------------------------------------------


def attendee_for_link(token: str) -> Attendee | None:
    """The attendee whose feedback link this is, if the session was delivered."""
    if not token or len(token) > 64:
        return None
    return (
        Attendee.unscoped.select_related("session", "session__provider")
        .filter(token=token, session__status=TrainingSession.Status.DELIVERED)
        .first()
    )


def has_given_feedback(attendee: Attendee) -> bool:
    return Feedback.unscoped.filter(attendee=attendee).exists()


def give_feedback(attendee: Attendee, answers: dict[str, Any]) -> Feedback | None:
    """Store the one response this link allows; None if it has been used already."""
    try:
        with transaction.atomic():
            feedback = Feedback.unscoped.create(attendee=attendee, **answers)
            record(
                actor=None,
                verb=AuditVerb.TRAINING_FEEDBACK_GIVEN,
                obj=attendee.session,
                payload={"attendee": str(attendee.public_id)},
                username="attendee feedback link",
            )
    except IntegrityError:
        return None
    return feedback
