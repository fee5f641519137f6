"""Protective orders and the criminal-justice journey: the rules, in plain Python (no Django).

Everything here is arithmetic on dates and sequences of named steps, so it is tested directly
(tests/justice/test_rules.py) and the models and services only store and show the results.

Stalking Protection Orders (Stalking Protection Act 2019, ../shared/DOMAIN.md):

- only a chief officer of police applies, to a magistrates' court: an advocate asks police and
  supports; Harbour refuses an SPO application recorded with any other applicant;
- a full order runs for a fixed period of at least 2 years, or until further order (indefinite);
  Harbour refuses a shorter fixed term. An interim order has no minimum (it lasts until the hearing);
- within 3 days of service the defendant must notify police of their name(s) and home address, and
  of any change within 3 days of it: each is a deadline counted in calendar days from the event.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

SPO_MINIMUM_YEARS = 2
NOTIFICATION_DAYS = 3
RENEWAL_NOTICE_DAYS = 90  # a fixed-term order: ask police about renewal this long before expiry
COURT_DATE_NOTICE_DAYS = 14  # court dates appear among upcoming deadlines this long ahead


class RuleError(ValueError):
    """A rule refused the change; the message is safe to show to staff."""


# --- orders --------------------------------------------------------------------------------------


class OrderKind(StrEnum):
    SPO = "spo"
    RESTRAINING_CONVICTION = "restraining_conviction"
    RESTRAINING_ACQUITTAL = "restraining_acquittal"
    NON_MOLESTATION = "non_molestation"
    DAPN = "dapn"
    DAPO = "dapo"
    OTHER = "other"


ORDER_KIND_LABELS: dict[OrderKind, str] = {
    OrderKind.SPO: "Stalking Protection Order",
    OrderKind.RESTRAINING_CONVICTION: "Restraining order (on conviction)",
    OrderKind.RESTRAINING_ACQUITTAL: "Restraining order (on acquittal)",
    OrderKind.NON_MOLESTATION: "Non-molestation order",
    OrderKind.DAPN: "Domestic abuse protection notice",
    OrderKind.DAPO: "Domestic abuse protection order",
    OrderKind.OTHER: "Other order",
}


class Step(StrEnum):
    CONSIDERED = "considered"
    ASKED_OF_POLICE = "asked_of_police"
    APPLIED_FOR = "applied_for"
    INTERIM_MADE = "interim_made"
    MADE = "made"
    REFUSED = "refused"
    VARIED = "varied"
    RENEWED = "renewed"
    DISCHARGED = "discharged"
    EXPIRED = "expired"


STEP_LABELS: dict[Step, str] = {
    Step.CONSIDERED: "Considered",
    Step.ASKED_OF_POLICE: "Asked of police",
    Step.APPLIED_FOR: "Applied for",
    Step.INTERIM_MADE: "Interim order made",
    Step.MADE: "Made",
    Step.REFUSED: "Refused",
    Step.VARIED: "Varied",
    Step.RENEWED: "Renewed",
    Step.DISCHARGED: "Discharged",
    Step.EXPIRED: "Expired",
}

#: Steps after which an order is in force (its conditions bind the suspect).
IN_FORCE = frozenset({Step.INTERIM_MADE, Step.MADE, Step.VARIED, Step.RENEWED})
#: Steps after which nothing more happens to the order.
ENDED = frozenset({Step.REFUSED, Step.DISCHARGED, Step.EXPIRED})

_NEXT: dict[Step | None, frozenset[Step]] = {
    # A new record may start anywhere up to "made" (an advocate meets orders already in force).
    None: frozenset(
        {Step.CONSIDERED, Step.ASKED_OF_POLICE, Step.APPLIED_FOR, Step.INTERIM_MADE, Step.MADE}
    ),
    Step.CONSIDERED: frozenset(
        {Step.ASKED_OF_POLICE, Step.APPLIED_FOR, Step.INTERIM_MADE, Step.MADE, Step.REFUSED}
    ),
    Step.ASKED_OF_POLICE: frozenset({Step.APPLIED_FOR, Step.REFUSED}),
    Step.APPLIED_FOR: frozenset({Step.INTERIM_MADE, Step.MADE, Step.REFUSED}),
    Step.INTERIM_MADE: frozenset(
        {Step.INTERIM_MADE, Step.MADE, Step.REFUSED, Step.DISCHARGED, Step.EXPIRED}
    ),
    Step.MADE: frozenset({Step.VARIED, Step.RENEWED, Step.DISCHARGED, Step.EXPIRED}),
    Step.VARIED: frozenset({Step.VARIED, Step.RENEWED, Step.DISCHARGED, Step.EXPIRED}),
    Step.RENEWED: frozenset({Step.VARIED, Step.RENEWED, Step.DISCHARGED, Step.EXPIRED}),
    Step.REFUSED: frozenset(),
    Step.DISCHARGED: frozenset(),
    Step.EXPIRED: frozenset(),
}

#: Orders police apply for or give, so "asked of police" makes sense for them.
POLICE_ORDERS = frozenset({OrderKind.SPO, OrderKind.DAPN, OrderKind.DAPO})
#: Orders a court can make before a full hearing.
INTERIM_ORDERS = frozenset({OrderKind.SPO, OrderKind.DAPO, OrderKind.NON_MOLESTATION})


def allowed_steps(kind: OrderKind | str, current: Step | str | None) -> list[Step]:
    """The steps that may follow ``current`` for an order of this kind, in lifecycle order."""
    kind = OrderKind(kind)
    following = _NEXT[Step(current) if current else None]
    return [
        s
        for s in Step
        if s in following
        and not (s == Step.ASKED_OF_POLICE and kind not in POLICE_ORDERS)
        and not (s == Step.INTERIM_MADE and kind not in INTERIM_ORDERS)
    ]


def check_step(
    kind: OrderKind | str,
    current: Step | str | None,
    step: Step | str,
    *,
    on: datetime.date,
    applicant: str = "",
    expires_on: datetime.date | None = None,
    indefinite: bool = False,
    last_on: datetime.date | None = None,
) -> None:
    """Refuse a step the lifecycle or the law does not allow (raises ``RuleError``)."""
    kind, step = OrderKind(kind), Step(step)
    if step not in allowed_steps(kind, current):
        before = STEP_LABELS[Step(current)].lower() if current else "nothing recorded"
        raise RuleError(
            f"{ORDER_KIND_LABELS[kind]}: '{STEP_LABELS[step].lower()}' cannot follow {before}."
        )
    if last_on is not None and on < last_on:
        raise RuleError("A step cannot be dated before the step recorded before it.")
    if kind == OrderKind.SPO and step == Step.APPLIED_FOR and applicant != "police":
        raise RuleError(
            "Only a chief officer of police can apply for a Stalking Protection Order. Record "
            "that you asked police (the advocate's role is to ask and support)."
        )
    if step in (Step.MADE, Step.RENEWED, Step.VARIED) and kind == OrderKind.SPO:
        check_full_term(on, expires_on, indefinite, required=step != Step.VARIED)
    if expires_on is not None and expires_on <= on:
        raise RuleError("The order must end after the day it was made.")


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def minimum_full_term_end(made_on: datetime.date) -> datetime.date:
    """The earliest end date of a fixed-term full SPO made on ``made_on`` (at least 2 years)."""
    return add_years(made_on, SPO_MINIMUM_YEARS)


def check_full_term(
    made_on: datetime.date,
    expires_on: datetime.date | None,
    indefinite: bool,
    *,
    required: bool = True,
) -> None:
    """A full SPO runs for a fixed period of at least 2 years or until further order."""
    if indefinite and expires_on is not None:
        raise RuleError("An order until further order has no end date: leave the end date empty.")
    if indefinite:
        return
    if expires_on is None:
        if required:
            raise RuleError(
                "A full Stalking Protection Order runs for a fixed period (give its end date) or "
                "until further order."
            )
        return
    earliest = minimum_full_term_end(made_on)
    if expires_on < earliest:
        raise RuleError(
            f"A full Stalking Protection Order must run for at least {SPO_MINIMUM_YEARS} years: "
            f"made on {made_on:%-d %B %Y}, it cannot end before {earliest:%-d %B %Y}. "
            "Check the order, or record it as until further order."
        )


def notification_due(event_on: datetime.date) -> datetime.date:
    """The last day the defendant may notify police: 3 days after service (or after a change)."""
    return event_on + datetime.timedelta(days=NOTIFICATION_DAYS)


def renewal_reminder_on(expires_on: datetime.date) -> datetime.date:
    return expires_on - datetime.timedelta(days=RENEWAL_NOTICE_DAYS)


# --- deadlines -----------------------------------------------------------------------------------


class DeadlineKind(StrEnum):
    NOTIFICATION = "notification"
    RENEWAL = "renewal"
    EXPIRY = "expiry"
    COURT_DATE = "court_date"


DEADLINE_LABELS: dict[DeadlineKind, str] = {
    DeadlineKind.NOTIFICATION: "Suspect must notify police of name and address",
    DeadlineKind.RENEWAL: "Order ends soon: ask police about renewal",
    DeadlineKind.EXPIRY: "Order ends",
    DeadlineKind.COURT_DATE: "Court date",
}


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due_on: datetime.date
    remind_from: datetime.date
    subject: str  # an opaque key naming what the deadline belongs to (never identifying)

    @property
    def label(self) -> str:
        return DEADLINE_LABELS[self.kind]

    def stage(self, today: datetime.date) -> str:
        """``upcoming`` (inside the reminder window), ``due`` (today) or ``overdue``; else ``""``."""
        if today > self.due_on:
            return "overdue"
        if today == self.due_on:
            return "due"
        if today >= self.remind_from:
            return "upcoming"
        return ""


@dataclass(frozen=True)
class OrderFacts:
    """What the deadline arithmetic needs to know about one order."""

    key: str
    status: str
    indefinite: bool = False
    expires_on: datetime.date | None = None
    hearing_on: datetime.date | None = None
    #: (event date, notified on or None) for each notification the order requires.
    notifications: tuple[tuple[datetime.date, datetime.date | None], ...] = ()


def order_deadlines(order: OrderFacts) -> list[Deadline]:
    """Every deadline an order carries now: unmet notifications, renewal, expiry, next hearing."""
    out: list[Deadline] = []
    status = Step(order.status) if order.status else None
    if status in ENDED:
        return out
    for event_on, notified_on in order.notifications:
        if notified_on is None:
            due = notification_due(event_on)
            out.append(
                Deadline(DeadlineKind.NOTIFICATION, due, event_on, f"{order.key}:n:{event_on}")
            )
    if status in IN_FORCE and order.expires_on is not None and not order.indefinite:
        out.append(
            Deadline(
                DeadlineKind.RENEWAL,
                renewal_reminder_on(order.expires_on),
                renewal_reminder_on(order.expires_on) - datetime.timedelta(days=14),
                f"{order.key}:r:{order.expires_on}",
            )
        )
        out.append(
            Deadline(
                DeadlineKind.EXPIRY,
                order.expires_on,
                order.expires_on - datetime.timedelta(days=28),
                f"{order.key}:e:{order.expires_on}",
            )
        )
    if order.hearing_on is not None:
        out.append(court_date(order.hearing_on, f"{order.key}:h"))
    return sorted(out, key=lambda d: (d.due_on, d.kind))


def court_date(on: datetime.date, key: str) -> Deadline:
    return Deadline(
        DeadlineKind.COURT_DATE,
        on,
        on - datetime.timedelta(days=COURT_DATE_NOTICE_DAYS),
        f"{key}:{on}",
    )


def has_expired(order: OrderFacts, today: datetime.date) -> bool:
    """A fixed-term order in force whose end date has passed."""
    status = Step(order.status) if order.status else None
    return (
        status in IN_FORCE
        and not order.indefinite
        and order.expires_on is not None
        and order.expires_on < today
    )


# --- the criminal-justice journey -----------------------------------------------------------------


class Milestone(StrEnum):
    REPORTED = "reported"
    RECORDED = "recorded"
    ARRESTED = "arrested"
    BAILED = "bailed"
    RELEASED_UNDER_INVESTIGATION = "released_under_investigation"
    CHARGED = "charged"
    NO_FURTHER_ACTION = "no_further_action"
    PROSECUTION = "prosecution"
    HEARING = "hearing"
    TRIAL_DATE = "trial_date"
    OUTCOME = "outcome"
    SENTENCE = "sentence"
    VICTIM_PERSONAL_STATEMENT = "victim_personal_statement"
    SPECIAL_MEASURES_ASKED = "special_measures_asked"
    SPECIAL_MEASURES_GRANTED = "special_measures_granted"


MILESTONE_LABELS: dict[Milestone, str] = {
    Milestone.REPORTED: "Reported to police",
    Milestone.RECORDED: "Crime recorded as",
    Milestone.ARRESTED: "Suspect arrested",
    Milestone.BAILED: "Bail and conditions",
    Milestone.RELEASED_UNDER_INVESTIGATION: "Released under investigation",
    Milestone.CHARGED: "Charged",
    Milestone.NO_FURTHER_ACTION: "No further action",
    Milestone.PROSECUTION: "Prosecution (first hearing listed)",
    Milestone.HEARING: "Court hearing",
    Milestone.TRIAL_DATE: "Trial date",
    Milestone.OUTCOME: "Outcome",
    Milestone.SENTENCE: "Sentence",
    Milestone.VICTIM_PERSONAL_STATEMENT: "Victim personal statement made",
    Milestone.SPECIAL_MEASURES_ASKED: "Special measures asked for",
    Milestone.SPECIAL_MEASURES_GRANTED: "Special measures granted",
}

COURT_MILESTONES = frozenset({Milestone.PROSECUTION, Milestone.HEARING, Milestone.TRIAL_DATE})


class RecordedAs(StrEnum):
    STALKING_2A = "s2a_stalking"
    STALKING_4A = "s4a_stalking"
    HARASSMENT_2 = "s2_harassment"
    HARASSMENT_4 = "s4_harassment"
    MALICIOUS_COMMUNICATIONS = "malicious_communications"
    OTHER = "other"
    NOT_RECORDED = "not_recorded"


RECORDED_AS_LABELS: dict[RecordedAs, str] = {
    RecordedAs.STALKING_2A: "Stalking (s.2A)",
    RecordedAs.STALKING_4A: "Stalking involving fear of violence or serious alarm or distress (s.4A)",
    RecordedAs.HARASSMENT_2: "Harassment (s.2)",
    RecordedAs.HARASSMENT_4: "Harassment, putting people in fear of violence (s.4)",
    RecordedAs.MALICIOUS_COMMUNICATIONS: "Malicious communications",
    RecordedAs.OTHER: "Another offence",
    RecordedAs.NOT_RECORDED: "No crime recorded",
}

#: Recorded as something less than stalking (or nothing): worth a second look when the diary
#: evidences s.2A(3) behaviours on two or more occasions.
LESSER_RECORDINGS = frozenset(
    {
        RecordedAs.HARASSMENT_2,
        RecordedAs.HARASSMENT_4,
        RecordedAs.MALICIOUS_COMMUNICATIONS,
        RecordedAs.NOT_RECORDED,
    }
)


class Outcome(StrEnum):
    CONVICTED = "convicted"
    ACQUITTED = "acquitted"
    DISCONTINUED = "discontinued"


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.CONVICTED: "Convicted",
    Outcome.ACQUITTED: "Acquitted",
    Outcome.DISCONTINUED: "Discontinued",
}


def check_milestone(
    history: Sequence[tuple[str, str]],
    new: Milestone | str,
    *,
    outcome: str = "",
    on: datetime.date | None = None,
    last_on: datetime.date | None = None,
) -> None:
    """Refuse a milestone out of sequence. ``history`` is (milestone, outcome) pairs, oldest first."""
    new = Milestone(new)
    seen = {Milestone(k) for k, _o in history}
    outcomes = [o for k, o in history if Milestone(k) == Milestone.OUTCOME]
    label = MILESTONE_LABELS[new]

    def refuse(why: str) -> None:
        raise RuleError(f"{label}: {why}")

    if new == Milestone.REPORTED:
        if Milestone.REPORTED in seen:
            refuse("the report is already recorded (correct it instead of adding another).")
        return
    if Milestone.REPORTED not in seen:
        refuse("record the report to police first.")
    investigation = (Milestone.ARRESTED, Milestone.BAILED, Milestone.RELEASED_UNDER_INVESTIGATION)
    if new in investigation and outcomes:
        refuse("the case already has its outcome.")
    if new == Milestone.CHARGED:
        if Milestone.NO_FURTHER_ACTION in seen:
            refuse("no further action was recorded; a charge after review needs a new journey.")
        if Milestone.CHARGED in seen:
            refuse("the charge is already recorded.")
    if new == Milestone.NO_FURTHER_ACTION and Milestone.CHARGED in seen:
        refuse("the suspect has been charged: record the outcome (discontinued) instead.")
    after_charge = COURT_MILESTONES | {Milestone.OUTCOME, Milestone.SPECIAL_MEASURES_ASKED}
    if new in after_charge and Milestone.CHARGED not in seen:
        refuse("there is no charge yet.")
    if new in COURT_MILESTONES and outcomes:
        refuse("the case already has its outcome.")
    if new == Milestone.OUTCOME:
        if outcomes:
            refuse("the outcome is already recorded.")
        if outcome not in {o.value for o in Outcome}:
            refuse("choose convicted, acquitted or discontinued.")
    if new == Milestone.SENTENCE and Outcome.CONVICTED.value not in outcomes:
        refuse("a sentence follows a conviction only.")
    if new == Milestone.SPECIAL_MEASURES_GRANTED and Milestone.SPECIAL_MEASURES_ASKED not in seen:
        refuse("record that special measures were asked for first.")
    if on is not None and last_on is not None and on < last_on and new not in COURT_MILESTONES:
        refuse("it cannot be dated before the milestone recorded before it.")


def stage_of(history: Sequence[tuple[str, str]]) -> str:
    """A one-line stage for lists: the latest milestone that moves the case on."""
    if not history:
        return "Not reported"
    kind, outcome = history[-1]
    milestone = Milestone(kind)
    if milestone == Milestone.OUTCOME and outcome:
        return OUTCOME_LABELS[Outcome(outcome)]
    return MILESTONE_LABELS[milestone]


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)
