"""Named state changes for orders, breaches and the criminal-justice journey, the police
coordinator's read-side queries, reminders and serial-suspect linking.

Every change writes its audit row in the same transaction. The rules themselves (lifecycle, SPO
minimum term, notification deadlines, milestone order) are in ``rules.py``.

Why unscoped: every function here acts on a record its caller already holds, reached through an
access helper that asked the policy; the rule checks and writes must see the whole case (a record
another user added, a row the caller may not list), so they read through ``unscoped`` and never
return more than the caller was granted. The reminder and linking jobs run with no user and read
across cases on purpose: reminders name no one, and links show only the organisation to contact.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.cases.models import Case, NeedArea, SupportAction, Suspect, SuspectIdentifier
from harbour.core import policy
from harbour.core.fields import blind_index
from harbour.evidence.models import Incident, IncidentVersion
from harbour.evidence.pattern import Fact, Summary, course_of_conduct
from harbour.justice import names, rules
from harbour.justice.models import (
    Breach,
    BreachIncident,
    Journey,
    JourneyMilestone,
    LinkDisclosure,
    Order,
    OrderCondition,
    OrderNotification,
    OrderStep,
    RecordingReview,
    Reminder,
    SuspectNameKey,
)
from harbour.justice.rules import RuleError

__all__ = ["RuleError"]


def _check_suspect(case: Case, suspect: Suspect | None) -> None:
    if suspect is not None and suspect.case_id != case.pk:
        raise RuleError("Choose a suspect recorded on this case.")


def _check_force(force: Organisation | None) -> None:
    if force is not None and force.kind != Organisation.Kind.POLICE_FORCE:
        raise RuleError("Choose a police force.")


# --- orders --------------------------------------------------------------------------------------


def record_order(
    case: Case,
    *,
    by: User,
    kind: str,
    step: str,
    on: datetime.date,
    suspect: Suspect | None = None,
    force: Organisation | None = None,
    applicant: str = "",
    other_kind: str = "",
    court: str = "",
    reference: str = "",
    expires_on: datetime.date | None = None,
    indefinite: bool = False,
    hearing_on: datetime.date | None = None,
    note: str = "",
    request: Any = None,
) -> Order:
    """A new order on the case, at its first known step (considered, asked of police, ... made)."""
    _check_suspect(case, suspect)
    _check_force(force)
    if kind == rules.OrderKind.SPO:
        applicant = "police"
        if force is None:
            raise RuleError("Name the police force: only police apply for an SPO.")
    rules.check_step(
        kind, None, step, on=on, applicant=applicant, expires_on=expires_on, indefinite=indefinite
    )
    with transaction.atomic():
        order = Order.unscoped.create(
            case=case,
            suspect=suspect,
            kind=kind,
            other_kind=other_kind,
            force=force,
            applicant=applicant,
            status=step,
            status_on=on,
            created_by=by,
        )
        _apply_step(order, step, on, court, reference, expires_on, indefinite, hearing_on)
        order.save()
        OrderStep.unscoped.create(
            order=order,
            step=step,
            on=on,
            court=court,
            reference=reference,
            expires_on=expires_on,
            indefinite=indefinite,
            note=note,
            recorded_by=by,
        )
        record(
            actor=by,
            verb=AuditVerb.JUSTICE_ORDER_RECORDED,
            obj=case,
            request=request,
            payload={"order": str(order.public_id), "kind": kind, "step": step},
        )
    return order


def _apply_step(
    order: Order,
    step: str,
    on: datetime.date,
    court: str,
    reference: str,
    expires_on: datetime.date | None,
    indefinite: bool,
    hearing_on: datetime.date | None,
) -> None:
    order.status, order.status_on = step, on
    if court:
        order.court = court
    if reference:
        order.court_reference = reference
    if step in (rules.Step.INTERIM_MADE, rules.Step.MADE) and (
        order.made_on is None or step == rules.Step.MADE
    ):
        order.made_on = on
    if step in (rules.Step.INTERIM_MADE, rules.Step.MADE, rules.Step.RENEWED):
        order.expires_on, order.indefinite = expires_on, indefinite
    if step == rules.Step.VARIED and (expires_on is not None or indefinite):
        order.expires_on, order.indefinite = expires_on, indefinite
    order.hearing_on = hearing_on
    if order.kind == rules.OrderKind.SPO and rules.Step(step) in rules.IN_FORCE:
        order.notification_required = True


def record_order_step(
    order: Order,
    *,
    by: User | None,
    step: str,
    on: datetime.date,
    court: str = "",
    reference: str = "",
    expires_on: datetime.date | None = None,
    indefinite: bool = False,
    hearing_on: datetime.date | None = None,
    note: str = "",
    request: Any = None,
) -> OrderStep:
    """The order's next step; refused if the lifecycle or the SPO rules do not allow it."""
    with transaction.atomic():
        locked = Order.unscoped.select_for_update().get(pk=order.pk)
        rules.check_step(
            locked.kind,
            locked.status,
            step,
            on=on,
            applicant=locked.applicant,
            expires_on=expires_on,
            indefinite=indefinite,
            last_on=locked.status_on,
        )
        _apply_step(locked, step, on, court, reference, expires_on, indefinite, hearing_on)
        locked.version += 1
        locked.save()
        row = OrderStep.unscoped.create(
            order=locked,
            step=step,
            on=on,
            court=court,
            reference=reference,
            expires_on=expires_on,
            indefinite=indefinite,
            note=note,
            recorded_by=by,
        )
        record(
            actor=by,
            verb=(
                AuditVerb.JUSTICE_ORDER_EXPIRED
                if by is None
                else AuditVerb.JUSTICE_ORDER_STEP_RECORDED
            ),
            obj=locked.case,
            request=request,
            username="" if by else "harbour reminders",
            payload={"order": str(locked.public_id), "step": step},
        )
    for name in (
        "status",
        "status_on",
        "made_on",
        "expires_on",
        "indefinite",
        "hearing_on",
        "notification_required",
        "court",
        "court_reference",
    ):
        setattr(order, name, getattr(locked, name))
    order.version = locked.version
    return row


def add_condition(
    order: Order, *, by: User, kind: str, details: str = "", request: Any = None
) -> OrderCondition:
    with transaction.atomic():
        condition = OrderCondition.unscoped.create(
            order=order, kind=kind, details=details, created_by=by
        )
        record(
            actor=by,
            verb=AuditVerb.JUSTICE_CONDITION_ADDED,
            obj=order.case,
            request=request,
            payload={"order": str(order.public_id), "kind": kind},
        )
    return condition


def record_notification_event(
    order: Order,
    *,
    by: User,
    event: str,
    event_on: datetime.date,
    notified_on: datetime.date | None = None,
    request: Any = None,
) -> OrderNotification:
    """Service of the order, or a change of name or address: starts a 3-day notification clock."""
    if not order.notification_required:
        raise RuleError(
            "Only a Stalking Protection Order in force carries a notification requirement."
        )
    if notified_on is not None and notified_on < event_on:
        raise RuleError("The suspect cannot notify police before the order was served.")
    with transaction.atomic():
        row = OrderNotification.unscoped.create(
            order=order,
            event=event,
            event_on=event_on,
            due_on=rules.notification_due(event_on),
            notified_on=notified_on,
            recorded_by=by,
        )
        record(
            actor=by,
            verb=AuditVerb.JUSTICE_NOTIFICATION_RECORDED,
            obj=order.case,
            request=request,
            payload={"order": str(order.public_id), "event": event, "due_on": str(row.due_on)},
        )
    return row


def record_notified(
    notification: OrderNotification, *, by: User, notified_on: datetime.date, request: Any = None
) -> None:
    if notified_on < notification.event_on:
        raise RuleError("The suspect cannot notify police before the event that started the clock.")
    with transaction.atomic():
        OrderNotification.unscoped.filter(pk=notification.pk).update(notified_on=notified_on)
        notification.notified_on = notified_on
        record(
            actor=by,
            verb=AuditVerb.JUSTICE_NOTIFICATION_RECORDED,
            obj=notification.order.case,
            request=request,
            payload={
                "order": str(notification.order.public_id),
                "notified_on": str(notified_on),
                "late": notified_on > notification.due_on,
            },
        )


def record_breach(
    order: Order,
    *,
    by: User,
    occurred_on: datetime.date,
    incidents: Iterable[Incident] = (),
    description: str = "",
    reported_to_police_on: datetime.date | None = None,
    police_reference: str = "",
    request: Any = None,
) -> Breach:
    """A breach of the order. Unless already reported, it adds an action due today for the case's
    advocate to report it to police (breach is an offence), which the home page shows."""
    if not order.in_force:
        raise RuleError("Only an order in force can be breached.")
    chosen = list(incidents)
    if any(i.case_id != order.case_id for i in chosen):
        raise RuleError("Choose diary entries of this case.")
    with transaction.atomic():
        breach = Breach.unscoped.create(
            order=order,
            occurred_on=occurred_on,
            description=description,
            reported_to_police_on=reported_to_police_on,
            police_reference=police_reference,
            recorded_by=by,
        )
        BreachIncident.unscoped.bulk_create(
            BreachIncident(breach=breach, incident=incident) for incident in chosen
        )
        if reported_to_police_on is None:
            SupportAction.unscoped.create(
                case=order.case,
                created_by=by,
                area=NeedArea.REPORTING_TO_POLICE,
                description=f"Report the breach of the {order.title.lower()} "
                f"({occurred_on:%-d %B %Y}) to police.",
                owner=order.case.allocated_to or by,
                due_on=timezone.localdate(),
            )
        record(
            actor=by,
            verb=AuditVerb.JUSTICE_BREACH_RECORDED,
            obj=order.case,
            request=request,
            payload={
                "order": str(order.public_id),
                "breach": str(breach.public_id),
                "incidents": [str(i.public_id) for i in chosen],
                "reported": reported_to_police_on is not None,
            },
        )
    return breach


def order_deadlines(order: Order, notifications: list[OrderNotification]) -> list[rules.Deadline]:
    return rules.order_deadlines(order.facts(notifications))


# --- the criminal-justice journey -------------------------------------------------------------------


def start_journey(
    case: Case,
    *,
    by: User,
    force: Organisation,
    reported_on: datetime.date,
    suspect: Suspect | None = None,
    crime_reference: str = "",
    details: str = "",
    request: Any = None,
) -> Journey:
    """A journey begins with the report to police (date, force, crime reference)."""
    _check_suspect(case, suspect)
    _check_force(force)
    with transaction.atomic():
        existing = Journey.unscoped.filter(case=case, suspect=suspect)
        if existing.exists():
            raise RuleError("This case already has a journey for that suspect.")
        journey = Journey.unscoped.create(
            case=case,
            suspect=suspect,
            force=force,
            crime_reference=crime_reference,
            reported_on=reported_on,
            created_by=by,
        )
        _add_milestone(journey, by, rules.Milestone.REPORTED, reported_on, details=details)
        record(
            actor=by,
            verb=AuditVerb.JUSTICE_JOURNEY_STARTED,
            obj=case,
            request=request,
            payload={"journey": str(journey.public_id), "force": force.pk},
        )
    return journey


def history_of(journey: Journey) -> list[JourneyMilestone]:
    return list(JourneyMilestone.unscoped.filter(journey=journey).order_by("recorded_at", "pk"))


def record_milestone(
    journey: Journey,
    *,
    by: User,
    kind: str,
    on: datetime.date,
    recorded_as: str = "",
    offence: str = "",
    outcome: str = "",
    court: str = "",
    details: str = "",
    request: Any = None,
) -> JourneyMilestone:
    if kind == rules.Milestone.RECORDED and not recorded_as:
        raise RuleError("Crime recorded as: choose how the police recorded it.")
    with transaction.atomic():
        locked = Journey.unscoped.select_for_update().get(pk=journey.pk)
        history = history_of(locked)
        rules.check_milestone(
            [(m.kind, m.outcome) for m in history],
            kind,
            outcome=outcome,
            on=on,
            last_on=locked.last_on,
        )
        row = _add_milestone(
            locked,
            by,
            rules.Milestone(kind),
            on,
            recorded_as=recorded_as,
            offence=offence,
            outcome=outcome,
            court=court,
            details=details,
        )
        record(
            actor=by,
            verb=AuditVerb.JUSTICE_MILESTONE_RECORDED,
            obj=locked.case,
            request=request,
            payload={"journey": str(locked.public_id), "milestone": kind},
        )
    for name in ("recorded_as", "stage", "last_on", "next_court_on"):
        setattr(journey, name, getattr(locked, name))
    return row


def _add_milestone(
    journey: Journey,
    by: User,
    kind: rules.Milestone,
    on: datetime.date,
    **data: str,
) -> JourneyMilestone:
    row = JourneyMilestone.unscoped.create(
        journey=journey, kind=kind, on=on, recorded_by=by, **data
    )
    history = history_of(journey)
    if kind == rules.Milestone.RECORDED:
        journey.recorded_as = data.get("recorded_as", "")
    side = {
        rules.Milestone.VICTIM_PERSONAL_STATEMENT,
        rules.Milestone.SPECIAL_MEASURES_ASKED,
        rules.Milestone.SPECIAL_MEASURES_GRANTED,
    }
    journey.stage = rules.stage_of([(m.kind, m.outcome) for m in history if m.kind not in side])
    if kind not in rules.COURT_MILESTONES:
        journey.last_on = max(filter(None, [journey.last_on, on]))
    today = timezone.localdate()
    outcome = any(m.kind == rules.Milestone.OUTCOME for m in history)
    future = [m.on for m in history if m.is_court_date and m.on >= today]
    journey.next_court_on = None if outcome or not future else min(future)
    journey.save()
    return row


def request_recording_review(journey: Journey, *, by: User, request: Any = None) -> RecordingReview:
    with transaction.atomic():
        review = RecordingReview.unscoped.create(journey=journey, requested_by=by)
        record(
            actor=by,
            verb=AuditVerb.JUSTICE_RECORDING_REVIEW_REQUESTED,
            obj=journey.case,
            request=request,
            payload={"journey": str(journey.public_id), "recorded_as": journey.recorded_as},
        )
    return review


# --- possible under-recording ------------------------------------------------------------------------


def _facts_by_case(case_ids: Iterable[int]) -> dict[int, list[Fact]]:
    """Each case's diary as the pattern sees it, from plain columns only (nothing decrypted)."""
    rows = IncidentVersion.unscoped.filter(
        incident__case_id__in=list(case_ids), number=F("incident__current_version")
    ).values_list(
        "incident__case_id",
        "incident__number",
        "occurred_at",
        "behaviours",
        "count",
        "effects",
        "suspect_id",
        "breach",
        "reported_to_police",
    )
    out: dict[int, list[Fact]] = defaultdict(list)
    for case_id, number, at, behaviours, count, effects, suspect_id, breach, reported in rows:
        out[case_id].append(
            Fact(
                ref=f"D{number:03d}",
                start=timezone.localtime(at).replace(tzinfo=None),
                behaviours=tuple(behaviours),
                count=count,
                suspect=str(suspect_id or ""),
                effects=tuple(effects),
                breach=breach,
                reported_to_police=reported,
            )
        )
    return out


def _lesser() -> Q:
    return Q(recorded_as__in=[r.value for r in rules.LESSER_RECORDINGS]) | Q(recorded_as="")


def evidences_stalking(summary: Summary) -> bool:
    """s.2A(3) behaviours on two or more occasions: a course of conduct of stalking acts."""
    return bool(summary.behaviours) and summary.course_of_conduct.met is True


def _relevant(facts: list[Fact], journey: Journey) -> list[Fact]:
    if journey.suspect_id is None:
        return facts
    return [f for f in facts if f.suspect in ("", str(journey.suspect_id))]


def is_possibly_under_recorded(journey: Journey, facts: list[Fact]) -> tuple[bool, Summary]:
    """One journey against its case's diary facts: recorded as less than stalking (or not at all)
    while the diary evidences s.2A(3) behaviours on two or more occasions."""
    summary = course_of_conduct(_relevant(facts, journey))
    lesser = rules.RecordedAs(journey.recorded_as or "not_recorded") in rules.LESSER_RECORDINGS
    return lesser and evidences_stalking(summary), summary


def case_facts(case: Case) -> list[Fact]:
    return _facts_by_case([case.pk]).get(case.pk, [])


def possibly_under_recorded(journeys: QuerySet[Journey]) -> list[tuple[Journey, Summary]]:
    """Journeys recorded as harassment, malicious communications or nothing whose diary evidences
    s.2A(3) behaviours on two or more occasions, each with its course-of-conduct summary."""
    candidates = list(journeys.filter(_lesser()).select_related("case").order_by("reported_on"))
    facts = _facts_by_case({j.case_id for j in candidates})
    out = []
    for journey in candidates:
        summary = course_of_conduct(_relevant(facts.get(journey.case_id, []), journey))
        if evidences_stalking(summary):
            out.append((journey, summary))
    return out


def under_recorded_by_month(
    *, start: datetime.date, end: datetime.date, force: Organisation | None = None
) -> dict[datetime.date, int]:
    """How many journeys reported to police in each month from ``start`` to ``end`` (inclusive)
    are possibly under-recorded now: a count per month for reporting (no identities, no consent
    needed for a count). Months with none are present with 0."""
    journeys = Journey.objects.system("under-recording count for reports").filter(
        reported_on__gte=rules.month_start(start), reported_on__lte=end
    )
    if force is not None:
        journeys = journeys.filter(force=force)
    counts: dict[datetime.date, int] = {}
    month = rules.month_start(start)
    while month <= end:
        counts[month] = 0
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    for journey, _summary in possibly_under_recorded(journeys):
        assert journey.reported_on is not None
        counts[rules.month_start(journey.reported_on)] += 1
    return counts


# --- reminders ---------------------------------------------------------------------------------------


@dataclass
class Due:
    """A deadline on a case, for a home page or a reminder."""

    deadline: rules.Deadline
    case: Case
    link: str
    what: str

    @property
    def label(self) -> str:
        return self.deadline.label


def _order_link(order: Order) -> str:
    return reverse("justice:order_detail", args=[order.public_id])


def deadlines_on(orders: Iterable[Order], journeys: Iterable[Journey]) -> list[Due]:
    """Every deadline of these orders and journeys (two more queries: notifications)."""
    orders = list(orders)
    by_order: dict[int, list[OrderNotification]] = defaultdict(list)
    notifications = OrderNotification.unscoped.filter(order__in=[o.pk for o in orders])
    # Grouped by order below: sorted by the order's id, not (as the model's ordering) by a join
    # to the orders for their own ordering.
    for n in notifications.only("order_id", "event_on", "notified_on").order_by(
        "order_id", "event_on", "pk"
    ):
        by_order[n.order_id].append(n)
    out: list[Due] = []
    for order in orders:
        for d in order_deadlines(order, by_order[order.pk]):
            out.append(Due(d, order.case, _order_link(order), order.title))
    for journey in journeys:
        if journey.next_court_on is not None:
            d = rules.court_date(journey.next_court_on, f"journey:{journey.public_id}")
            link = reverse("justice:journey_detail", args=[journey.public_id])
            out.append(Due(d, journey.case, link, "Criminal case"))
    return sorted(out, key=lambda due: (due.deadline.due_on, due.case.reference))


def expire_orders(today: datetime.date) -> int:
    """Record "expired" on every fixed-term order in force whose end date has passed."""
    ended = 0
    for order in Order.objects.system("harbour reminders: expiry").filter(
        status__in=[s.value for s in rules.IN_FORCE], indefinite=False, expires_on__lt=today
    ):
        assert order.expires_on is not None
        on = order.expires_on + datetime.timedelta(days=1)
        record_order_step(order, by=None, step=rules.Step.EXPIRED, on=max(on, order.status_on))
        ended += 1
    return ended


def _recipients(case: Case, managers: dict[int, list[User]]) -> list[User]:
    if case.allocated_to_id is not None and case.allocated_to and case.allocated_to.is_active:
        return [case.allocated_to]
    return managers.get(case.organisation_id, [])


def run_reminders(today: datetime.date | None = None) -> dict[str, int]:
    """Expire ended orders, then write one reminder per deadline stage per person. Idempotent: a
    reminder already written (same person, deadline and stage) is never written again."""
    today = today or timezone.localdate()
    expired = expire_orders(today)
    open_cases = Q(case__status=Case.Status.OPEN)
    orders = (
        Order.objects.system("harbour reminders")
        .filter(open_cases)
        .exclude(status__in=[s.value for s in rules.ENDED])
        .select_related("case", "case__allocated_to")
    )
    journeys = (
        Journey.objects.system("harbour reminders")
        .filter(open_cases, next_court_on__isnull=False)
        .select_related("case", "case__allocated_to")
    )
    managers: dict[int, list[User]] = defaultdict(list)
    for manager in policy.active_managers().order_by("pk"):
        if manager.organisation_id is not None:
            managers[manager.organisation_id].append(manager)
    written = 0
    for due in deadlines_on(orders, journeys):
        stage = due.deadline.stage(today)
        if not stage:
            continue
        for user in _recipients(due.case, managers):
            key = f"{due.deadline.subject}:{due.deadline.kind}:{stage}"[:200]
            try:
                with transaction.atomic():
                    _r, created = Reminder.unscoped.get_or_create(
                        user=user,
                        key=key,
                        defaults={
                            "case": due.case,
                            "kind": due.deadline.kind,
                            "stage": stage,
                            "due_on": due.deadline.due_on,
                            "link": due.link,
                        },
                    )
            except IntegrityError:  # a second run at the same moment wrote it first
                created = False
            written += int(created)
    if written or expired:
        record(
            actor=None,
            verb=AuditVerb.JUSTICE_REMINDERS_WRITTEN,
            username="harbour reminders",
            payload={"written": written, "expired": expired, "day": str(today)},
        )
    return {"written": written, "expired": expired}


def mark_reminder_read(reminder: Reminder, *, by: User, request: Any = None) -> None:
    with transaction.atomic():
        Reminder.unscoped.filter(pk=reminder.pk).update(read_at=timezone.now())
        record(
            actor=by,
            verb=AuditVerb.JUSTICE_REMINDER_READ,
            obj=reminder.case,
            request=request,
            payload={"reminder": str(reminder.public_id)},
        )


# --- serial-suspect linking -------------------------------------------------------------------------


def refresh_name_keys(suspect: Suspect) -> None:
    """Keep a suspect's name blind indexes in step with its (encrypted) names and aliases."""
    keys = names.name_keys(f"{suspect.names or ''}\n{suspect.aliases or ''}")
    with transaction.atomic():
        SuspectNameKey.unscoped.filter(suspect=suspect).delete()
        SuspectNameKey.unscoped.bulk_create(
            SuspectNameKey(suspect=suspect, kind=kind, index=blind_index(f"suspect_{kind}", value))
            for kind, value in sorted(keys)
        )


@dataclass
class Match:
    """Another case's suspect who matches ours, and on what."""

    suspect_id: int
    suspect_public_id: Any
    case_id: int
    organisation: Organisation
    restricted: bool = False
    identifiers: set[str] = field(default_factory=set)  # kinds of identifier shared
    same_name: bool = False
    name_score: float | None = None

    @property
    def strong(self) -> bool:
        return bool(self.identifiers)

    @property
    def signals(self) -> list[str]:
        out = [SuspectIdentifier.Kind(k).label.lower() for k in sorted(self.identifiers)]
        if self.same_name:
            out.append("the same name (weaker)")
        elif self.name_score is not None:
            out.append(f"a similar name, {self.name_score:.0f}% alike (weaker)")
        return out


CANDIDATE_LIMIT = 50  # name candidates scored per suspect (their names are decrypted one by one)


def matches_for(suspect: Suspect) -> list[Match]:
    """Suspects on other cases sharing an identifier (blind index) or a name (blind index of the
    whole name; or enough Soundex keys, then a rapidfuzz score of those few candidates' names)."""
    return batch_matches([suspect])[suspect.pk]


def batch_matches(suspects: list[Suspect]) -> dict[int, list[Match]]:
    """``matches_for`` for many suspects in a fixed number of queries, whatever their number.

    The suspects given need only ``pk`` and ``case_id`` loaded. Only blind indexes are compared;
    the only names decrypted are those of suspects with Soundex candidates and of at most
    ``CANDIDATE_LIMIT`` candidates each, to score them with rapidfuzz."""
    by_pk = {s.pk: s for s in suspects}
    found: dict[int, dict[int, Match]] = {pk: {} for pk in by_pk}
    #: their suspect -> (public id, case, organisation, whether the case is restricted)
    others: dict[int, tuple[Any, int, int, bool]] = {}
    hits: list[tuple[int, int, str]] = []  # (our suspect, their suspect, signal)

    own_ids = list(
        SuspectIdentifier.unscoped.filter(suspect_id__in=by_pk)
        .exclude(index="")
        .values_list("suspect_id", "kind", "index")
    )
    if own_ids:
        holders: dict[tuple[str, str], list[int]] = defaultdict(list)
        for sid, kind, index in own_ids:
            holders[(kind, index)].append(sid)
        for sid, pid, case_id, org_id, kind, index, restricted in SuspectIdentifier.unscoped.filter(
            index__in={i for _s, _k, i in own_ids}
        ).values_list(
            "suspect_id",
            "suspect__public_id",
            "suspect__case_id",
            "suspect__case__organisation_id",
            "kind",
            "index",
            "suspect__case__restricted",
        ):
            for ours in holders.get((kind, index), ()):
                if case_id != by_pk[ours].case_id:
                    others[sid] = (pid, case_id, org_id, restricted)
                    hits.append((ours, sid, kind))
    own_keys = list(
        SuspectNameKey.unscoped.filter(suspect_id__in=by_pk).values_list(
            "suspect_id", "kind", "index"
        )
    )
    key_holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    sound_count: dict[int, int] = defaultdict(int)
    for sid, kind, index in own_keys:
        key_holders[(kind, index)].append(sid)
        if kind == "sound":
            sound_count[sid] += 1
    shared_sound: dict[tuple[int, int], int] = defaultdict(int)
    if own_keys:
        for sid, pid, case_id, org_id, kind, index, restricted in SuspectNameKey.unscoped.filter(
            index__in={i for _s, _k, i in own_keys}
        ).values_list(
            "suspect_id",
            "suspect__public_id",
            "suspect__case_id",
            "suspect__case__organisation_id",
            "kind",
            "index",
            "suspect__case__restricted",
        ):
            for ours in key_holders.get((kind, index), ()):
                if case_id == by_pk[ours].case_id:
                    continue
                others[sid] = (pid, case_id, org_id, restricted)
                if kind == "full":
                    hits.append((ours, sid, "full"))
                else:
                    shared_sound[(ours, sid)] += 1
    same_name = {(o, t) for o, t, signal in hits if signal == "full"}
    candidates: dict[int, list[int]] = defaultdict(list)
    for (ours, theirs), shared in sorted(shared_sound.items()):
        needed = min(2, sound_count[ours])
        wanted_pair = shared >= needed and (ours, theirs) not in same_name
        if wanted_pair and len(candidates[ours]) < CANDIDATE_LIMIT:
            candidates[ours].append(theirs)
    wanted = {t for ts in candidates.values() for t in ts}
    if wanted:
        names_of = {
            o.pk: f"{o.names or ''}\n{o.aliases or ''}"
            for o in Suspect.unscoped.filter(pk__in=wanted | set(candidates)).only(
                "pk", "names", "aliases"
            )
        }
        for ours, theirs_list in candidates.items():
            for theirs in theirs_list:
                score = names.best_name_score(names_of.get(ours, ""), names_of.get(theirs, ""))
                if score >= names.NAME_MATCH_SCORE:
                    hits.append((ours, theirs, f"score:{score}"))
    orgs = Organisation.objects.in_bulk({org for _p, _c, org, _r in others.values()})
    for ours, theirs, signal in hits:
        pid, case_id, org_id, restricted = others[theirs]
        m = found[ours].setdefault(
            theirs, Match(theirs, pid, case_id, orgs[org_id], restricted=restricted)
        )
        if signal == "full":
            m.same_name = True
        elif signal.startswith("score:"):
            m.name_score = max(m.name_score or 0.0, float(signal[6:]))
        else:
            m.identifiers.add(signal)
    return {
        pk: sorted(ms.values(), key=lambda m: (not m.strong, m.organisation.name, m.case_id))
        for pk, ms in found.items()
    }


def flagged_suspects(manager: User) -> list[tuple[Suspect, list[Match]]]:
    """The manager's organisation's suspects that match a suspect on any other case (newest cases'
    suspects first, at most 200)."""
    scanned = list(
        Suspect.objects.for_user(manager)
        .order_by("-case__opened_at", "-pk")
        .only("pk", "case_id")[:FLAG_SCAN_LIMIT]
    )  # no names loaded: nothing is decrypted to find the matches
    matches = batch_matches(scanned)
    flagged = [s.pk for s in scanned if matches[s.pk]][:200]
    shown = Suspect.objects.for_user(manager).filter(pk__in=flagged).select_related("case")
    by_pk = {s.pk: s for s in shown}
    return [(by_pk[pk], matches[pk]) for pk in flagged if pk in by_pk]


FLAG_SCAN_LIMIT = 2000


def break_glass_hours() -> int:
    return int(settings.HARBOUR_BREAK_GLASS_HOURS)


def claim_link_disclosure(
    *, manager: User, own: Suspect, other: Suspect, reason: str, request: Any = None
) -> LinkDisclosure:
    """Emergency access to another provider's matching suspect: reason, time limit, audit, review."""
    if not reason.strip():
        raise RuleError("Say why you need to see this now, in a sentence.")
    if not policy.can_claim_link_disclosure(manager, own.case, other.case):
        raise RuleError("Emergency access to this suspect is not possible.")
    if not any(m.suspect_id == other.pk for m in matches_for(own)):
        raise RuleError("These suspects do not match.")
    with transaction.atomic():
        disclosure = LinkDisclosure.unscoped.create(
            requested_by=manager,
            own_suspect=own,
            other_suspect=other,
            reason=reason,
            expires_at=timezone.now() + datetime.timedelta(hours=break_glass_hours()),
        )
        # On the other organisation's case, so its access log shows who looked and why.
        record(
            actor=manager,
            verb=AuditVerb.JUSTICE_LINK_DISCLOSED,
            obj=other.case,
            request=request,
            payload={"disclosure": str(disclosure.public_id), "hours": break_glass_hours()},
        )
    return disclosure


def review_link_disclosure(
    disclosure: LinkDisclosure, *, by: User, note: str, request: Any = None
) -> None:
    with transaction.atomic():
        LinkDisclosure.unscoped.filter(pk=disclosure.pk).update(
            reviewed_by=by, reviewed_at=timezone.now(), review_note=note
        )
        record(
            actor=by,
            verb=AuditVerb.JUSTICE_LINK_DISCLOSURE_REVIEWED,
            obj=disclosure.other_suspect.case,
            request=request,
            payload={"disclosure": str(disclosure.public_id)},
        )


def identifier_values(suspect: Suspect) -> list[SuspectIdentifier]:
    """A suspect's identifiers, for a caller already holding access to that suspect."""
    return list(SuspectIdentifier.unscoped.filter(suspect=suspect).order_by("kind", "pk"))


def orders_against(suspect: Suspect) -> list[Order]:
    """The orders recorded against a suspect (for an emergency disclosure the caller holds)."""
    return list(Order.unscoped.filter(suspect=suspect).order_by("-status_on"))


def case_summary(facts: list[Fact]) -> Summary:
    """The course-of-conduct summary of a case's diary (plain columns; nothing decrypted)."""
    return course_of_conduct(facts)


def breach_incidents(breaches: list[Breach]) -> dict[int, list[Incident]]:
    """The diary entries linked to each breach (the caller holds the breaches through its scope)."""
    out: dict[int, list[Incident]] = defaultdict(list)
    for link in (
        BreachIncident.unscoped.filter(breach__in=[b.pk for b in breaches])
        .select_related("incident")
        .order_by("incident__number")
    ):
        out[link.breach_id].append(link.incident)
    return out
