"""Synthetic demo caseload for Pathways, the perpetrator programme: people referred by Kent Police,
Derbyshire Constabulary, probation, and Stalking Protection Order requirements, at every stage:
referred, part-way through their twelve sessions, completed, and left early with the reason. One
participant is the suspect on a Victim Support Kent case whose client asked to be told whether he
attends, so the advocate's page has an answer. Every person is invented.

Why unscoped: demo data is written once, by ``harbour demo``, with no signed-in user.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone
from faker import Faker

from harbour.accounts.models import Organisation, User
from harbour.cases import services as cases
from harbour.cases.models import Case, Suspect
from harbour.programmes import services
from harbour.programmes.models import Participant, ProgrammeSession

NOTES = (
    "Arrived on time. Worked on the timeline of contact; still frames the messages as 'checking in'.",
    "Discussed the effect of turning up at her workplace. Some recognition, then minimising.",
    "Role-play on accepting an ending. Became tearful. Agreed a plan for evenings.",
    "Reviewed the conditions of the order. Understands them; tested where the edges are.",
    "Talked through urges to look at her social media. Has removed the app, he says.",
    "Short session: anxious about a court date. Kept to grounding and the safety plan.",
    "Good engagement. Identified three triggers and what he will do instead.",
    "Late by twenty minutes. Blamed the bus. Some hostility about being 'made' to attend.",
)
RISK = (
    ("high", "At referral: repeated breaches of contact conditions, fixated on the ex-partner."),
    ("medium", "Engaging; no reported contact for six weeks; still ruminating."),
    ("low", "Sustained change reported by the referrer; no contact for three months."),
    ("very_high", "New information from police: seen near her home twice this week."),
)

#: (route, force key, status, sessions held, end reason)
CASELOAD = (
    ("spo", "kentpol", "active", 9, ""),
    ("spo", "kentpol", "active", 4, ""),
    ("police", "kentpol", "active", 6, ""),
    ("probation", None, "active", 2, ""),
    ("police", "derpol", "active", 11, ""),
    ("spo", "derpol", "active", 7, ""),
    ("probation", None, "active", 3, ""),
    ("spo", "kentpol", "completed", 12, "completed"),
    ("probation", None, "completed", 12, "completed"),
    ("police", "derpol", "completed", 12, "completed"),
    ("spo", "kentpol", "dropped_out", 5, "disengaged"),
    ("probation", None, "dropped_out", 3, "custody"),
    ("police", "kentpol", "referred", 0, ""),
    ("spo", "derpol", "referred", 0, ""),
    ("probation", None, "referred", 0, ""),
)


def load_programme_demo(seed: int, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    rng = random.Random(seed + 16)  # noqa: S311 - demo data only
    fake = Faker("en_GB")
    fake.seed_instance(seed + 16)
    programme = orgs["pp"]
    practitioner = users["pathways-practitioner"]
    manager = users["pathways-manager"]
    today = timezone.localdate()
    for n, (route, force, status, held, reason) in enumerate(CASELOAD):
        by = practitioner if n % 3 else manager
        referred_on = today - datetime.timedelta(days=7 * held + rng.randint(14, 40))
        if status != "active":
            referred_on -= datetime.timedelta(days=60 + 7 * n)
        participant = services.add_participant(
            programme,
            by=by,
            given_name=fake.first_name_male(),
            family_name=fake.last_name(),
            date_of_birth=fake.date_of_birth(minimum_age=22, maximum_age=64),
            phone=f"07911 7{n:05d}",
            route=route,
            referring_force=orgs[force] if force else None,
            referrer_name="" if force else f"Probation officer {fake.last_name()}",
            referrer_contact="probation.westkent@example.org" if not force else "",
            order_reference=f"SPO/{'KT' if force == 'kentpol' else 'DB'}/2026/{40 + n:04d}"
            if route == "spo"
            else "",
            referred_on=referred_on,
            practitioner=practitioner,
            share_attendance_with_victim_services=n % 4 != 3,
        )
        services.review_risk(participant, level=RISK[0][0], notes=RISK[0][1], by=by)
        if status == "referred":
            continue
        first = referred_on + datetime.timedelta(days=rng.randint(10, 20))
        if status == "active":
            first = today - datetime.timedelta(days=7 * held - rng.randint(0, 3))
        services.start_programme(participant, first_session=first, by=by)
        services.tell_referrer(
            participant,
            kind="started",
            message=f"Started the programme on {first:%d %B %Y}; twelve weekly sessions planned.",
            by=by,
        )
        sessions = list(
            ProgrammeSession.unscoped.filter(participant=participant).order_by("number")
        )
        attended = 0
        for session in sessions[:held]:
            missed = rng.random() < 0.12
            services.record_session(
                session,
                status="missed" if missed else "attended",
                notes="Did not attend; no contact." if missed else rng.choice(NOTES),
                planned_on=session.planned_on,
                by=by,
            )
            attended += 0 if missed else 1
        if held >= 6:
            level, note = RISK[1] if n % 5 else RISK[3]
            services.review_risk(participant, level=level, notes=note, by=by)
            services.tell_referrer(
                participant,
                kind="concern" if level == "very_high" else "progress",
                message=(
                    "Please call: new information raises our concern about risk."
                    if level == "very_high"
                    else f"Attended {attended} of {held} sessions so far; engaging."
                ),
                by=by,
            )
        if reason:
            ended = sessions[held - 1].planned_on + datetime.timedelta(days=3)
            services.end_participation(
                participant,
                reason=reason,
                note="" if reason == "completed" else "Referrer told the same day.",
                ended_on=min(ended, today),
                by=by,
            )
            services.tell_referrer(
                participant,
                kind="completed" if reason == "completed" else "dropped_out",
                message=(
                    f"Completed the programme: {attended} of 12 sessions attended."
                    if reason == "completed"
                    else f"Left the programme: {Participant.EndReason(reason).label.lower()}."
                ),
                by=by,
            )
        if n == 0:
            _link_to_a_victims_case(participant, users)


def _link_to_a_victims_case(participant: Participant, users: dict[str, User]) -> None:
    """The suspect on one of Victim Support Kent's cases is this participant (same phone number);
    the client asked to be told whether he attends. Pathways never sees the case."""
    advocate = users["km-advocate"]
    case = (
        Case.objects.system("demo data: link a suspect to the programme")
        .filter(allocated_to=advocate, status=Case.Status.OPEN, restricted=False)
        .order_by("pk")
        .first()
    )
    if case is None:
        return
    suspect = Suspect.unscoped.create(
        case=case,
        created_by=advocate,
        names="Demo suspect on a programme",
        description="Synthetic demo suspect.",
    )
    cases.set_suspect_identifiers(suspect, {"phone": [participant.phone]})
    services.record_attendance_consent(case, state="given", by=advocate)
