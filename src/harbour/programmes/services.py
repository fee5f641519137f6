"""Every change to programme records, each with its audit row in the same transaction.

Why unscoped: every function here acts on a record its caller already holds, reached through an
access helper that asked the policy; the rule checks and writes must see the whole case (a record
another user added, a row the caller may not list), so they read through ``unscoped`` and never
return more than the caller was granted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.cases.models import Case, Suspect, SuspectIdentifier
from harbour.core import policy
from harbour.programmes.models import (
    PLANNED_SESSIONS,
    Participant,
    ProgrammeSession,
    ReferrerUpdate,
    RiskReview,
    SuspectAttendanceConsent,
)

#: Weekly sessions: twelve over about three months.
SESSION_INTERVAL = datetime.timedelta(days=7)


class ProgrammeRuleError(ValueError):
    """A change the rules do not allow; the message is for the person who asked."""


def add_participant(
    programme: Organisation, *, by: User, request: Any = None, **fields: Any
) -> Participant:
    if fields.get("route") == Participant.Route.SPO_REQUIREMENT and not fields.get(
        "referring_force"
    ):
        raise ProgrammeRuleError("Select the police force that holds the order.")
    with transaction.atomic():
        participant = Participant.unscoped.create(programme=programme, **fields)
        record(
            actor=by,
            verb=AuditVerb.PROGRAMME_PARTICIPANT_ADDED,
            obj=participant,
            payload={"route": participant.route},
            request=request,
        )
    return participant


def plan_dates(first: datetime.date, count: int = PLANNED_SESSIONS) -> list[datetime.date]:
    return [first + SESSION_INTERVAL * n for n in range(count)]


def start_programme(
    participant: Participant, *, first_session: datetime.date, by: User, request: Any = None
) -> None:
    """Start: the participant is on the programme with a plan of weekly sessions."""
    with transaction.atomic():
        updated = Participant.unscoped.filter(
            pk=participant.pk, status=Participant.Status.REFERRED
        ).update(status=Participant.Status.ACTIVE, started_on=first_session)
        if not updated:
            raise ProgrammeRuleError("This participant has already started.")
        ProgrammeSession.unscoped.bulk_create(
            [
                ProgrammeSession(participant=participant, number=n, planned_on=on)
                for n, on in enumerate(plan_dates(first_session), start=1)
            ]
        )
        record(
            actor=by,
            verb=AuditVerb.PROGRAMME_PARTICIPANT_STARTED,
            obj=participant,
            request=request,
        )


def record_session(
    session: ProgrammeSession,
    *,
    status: str,
    notes: str,
    planned_on: datetime.date,
    by: User,
    request: Any = None,
) -> None:
    with transaction.atomic():
        session.status = status
        session.notes = notes
        session.planned_on = planned_on
        session.recorded_at = timezone.now()
        session.recorded_by = by
        session.save(update_fields=["status", "notes", "planned_on", "recorded_at", "recorded_by"])
        record(
            actor=by,
            verb=AuditVerb.PROGRAMME_SESSION_RECORDED,
            obj=session.participant,
            payload={"session": session.number, "status": status, "notes": bool(notes)},
            request=request,
        )


def review_risk(
    participant: Participant, *, level: str, notes: str, by: User, request: Any = None
) -> RiskReview:
    with transaction.atomic():
        review = RiskReview.unscoped.create(
            participant=participant, level=level, notes=notes, reviewed_by=by
        )
        record(
            actor=by,
            verb=AuditVerb.PROGRAMME_RISK_REVIEWED,
            obj=participant,
            payload={"level": level},
            request=request,
        )
    return review


def tell_referrer(
    participant: Participant, *, kind: str, message: str, by: User, request: Any = None
) -> ReferrerUpdate:
    with transaction.atomic():
        update = ReferrerUpdate.unscoped.create(
            participant=participant, kind=kind, message=message, sent_by=by
        )
        record(
            actor=by,
            verb=AuditVerb.PROGRAMME_REFERRER_UPDATE_SENT,
            obj=participant,
            payload={"kind": kind},
            request=request,
        )
    return update


def end_participation(
    participant: Participant,
    *,
    reason: str,
    note: str,
    ended_on: datetime.date,
    by: User,
    request: Any = None,
) -> None:
    """Completion, or leaving early with the reason. Planned sessions not held are cancelled."""
    status = (
        Participant.Status.COMPLETED
        if reason == Participant.EndReason.COMPLETED
        else Participant.Status.DROPPED_OUT
    )
    with transaction.atomic():
        locked = Participant.unscoped.select_for_update().get(pk=participant.pk)
        if not locked.is_open:
            raise ProgrammeRuleError("This participant has already left the programme.")
        locked.status = status
        locked.end_reason = reason
        locked.end_note = note
        locked.ended_on = ended_on
        locked.save(update_fields=["status", "end_reason", "end_note", "ended_on"])
        ProgrammeSession.unscoped.filter(
            participant=participant, status=ProgrammeSession.Status.PLANNED
        ).update(status=ProgrammeSession.Status.CANCELLED)
        record(
            actor=by,
            verb=AuditVerb.PROGRAMME_PARTICIPANT_ENDED,
            obj=participant,
            payload={"status": status, "reason": reason},
            request=request,
        )


@dataclass(frozen=True)
class AttendanceSummary:
    planned: int
    attended: int
    missed: int
    last_attended: datetime.date | None


def attendance_summary(participant: Participant) -> AttendanceSummary:
    """Counts only (a police coordinator may see these; never the notes)."""
    rows = ProgrammeSession.unscoped.filter(participant=participant)
    counts = rows.aggregate(
        planned=Count("pk", filter=~Q(status=ProgrammeSession.Status.CANCELLED)),
        attended=Count("pk", filter=Q(status=ProgrammeSession.Status.ATTENDED)),
        missed=Count("pk", filter=Q(status=ProgrammeSession.Status.MISSED)),
    )
    last = (
        rows.filter(status=ProgrammeSession.Status.ATTENDED)
        .order_by("-planned_on")
        .values_list("planned_on", flat=True)
        .first()
    )
    return AttendanceSummary(
        planned=counts["planned"],
        attended=counts["attended"],
        missed=counts["missed"],
        last_attended=last,
    )


def referrer_updates(participant: Participant) -> list[ReferrerUpdate]:
    """What the referrer has been told (the caller already holds the participant)."""
    return list(ReferrerUpdate.unscoped.filter(participant=participant))


# The victim's side ---------------------------------------------------------------------------------


def record_attendance_consent(
    case: Case, *, state: str, by: User, request: Any = None
) -> SuspectAttendanceConsent:
    with transaction.atomic():
        consent = SuspectAttendanceConsent.unscoped.create(case=case, state=state, recorded_by=by)
        record(
            actor=by,
            verb=AuditVerb.PROGRAMME_ATTENDANCE_CONSENT_RECORDED,
            obj=case,
            payload={"state": state},
            request=request,
        )
    return consent


class Attending:
    """What an advocate may be told: only whether the suspect is attending."""

    YES = "attending"
    NO = "not_attending"
    COMPLETED = "completed"


def suspect_attendance(user: User, case: Case, request: Any = None) -> list[str]:
    """For each programme participant matched to a suspect on this case (by blind index of a phone
    number or email address), where the policy lets this user be told: attending, not attending,
    or completed. Nothing else about the participant leaves this function."""
    suspects = Suspect.unscoped.filter(case=case)
    identifiers = SuspectIdentifier.unscoped.filter(
        suspect__in=suspects, kind__in=("phone", "email")
    ).exclude(index="")
    phones = [i.index for i in identifiers if i.kind == "phone"]
    emails = [i.index for i in identifiers if i.kind == "email"]
    if not phones and not emails:
        return []
    matched = Participant.unscoped.filter(
        Q(phone_index__in=phones) | Q(email_index__in=emails)
    ).exclude(status=Participant.Status.REFERRED)
    answers = []
    for participant in matched:
        if not policy.advocate_may_see_attendance(user, case, participant):
            continue
        if participant.status == Participant.Status.ACTIVE:
            answers.append(Attending.YES)
        elif participant.status == Participant.Status.COMPLETED:
            answers.append(Attending.COMPLETED)
        else:
            answers.append(Attending.NO)
    record(
        actor=user,
        verb=AuditVerb.PROGRAMME_ATTENDANCE_VIEWED,
        obj=case,
        payload={"answers": len(answers)},
        request=request,
    )
    return answers
