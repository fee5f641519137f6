"""Synthetic demo data for the case workspace, called once by ``harbour demo`` after cases exist.

Everything is generated from the seed (no real person): safe-contact preferences, a few contacts,
a suspect with identifiers, a risk assessment with the shipped instrument, needs and actions (some
overdue, so the home page has something to show), a safety plan, entry measures, and for closed
cases a closure reason with exit measures.

Why unscoped: demo data is written once, by ``harbour demo``, with no signed-in user.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from harbour.cases import services
from harbour.cases.models import (
    SAFETY_PLAN_SECTIONS,
    Case,
    Channel,
    ContactLogEntry,
    ContactPreference,
    NeedArea,
    NeedsAssessment,
    OutcomeMeasures,
    Relationship,
    SafetyPlan,
    SupportAction,
    Suspect,
)
from harbour.risk import services as risk
from harbour.risk.models import InstrumentVersion

_PLAN_TEXT = {
    "at_home": "Doors locked, video doorbell fitted; neighbour at number 12 knows to call 999.",
    "out_and_about": "Varies the route to work; shares location with a friend when out late.",
    "work_or_study": "Reception has a description and will not confirm shifts to callers.",
    "online_and_devices": "New passwords, location sharing off, phone checked for tracking apps.",
    "children_and_family": "School has the safety plan and will not release the children to him.",
    "emergency": "999, and 55 if unable to speak. Go bag kept at her sister's.",
}


def load_case_demo(seed: int) -> None:
    rng = random.Random(seed + 404)  # noqa: S311 - demo data only
    today = timezone.localdate()
    risk.ensure_shipped_instruments()
    instrument_version = InstrumentVersion.objects.get(slug="harbour-stalking-risk")
    questions = instrument_version.instrument.questions
    cases = Case.objects.system("demo data").select_related("allocated_to").order_by("pk")
    for n, case in enumerate(cases):
        worker = case.allocated_to
        Case.unscoped.filter(pk=case.pk).update(
            relationship_to_suspect=rng.choice(Relationship.values),
            preferred_language="cy" if n % 11 == 5 else "en",
            domestic_abuse=rng.random() < 0.4,
            cyber_elements=rng.random() < 0.5,
            enhanced_rights=rng.choice(["", "", "persistently_targeted", "serious_crime"]),
            gender=rng.choice(["woman", "woman", "man", "", "not_said"]),
            age_band=rng.choice(["18_24", "25_34", "35_44", "45_54", ""]),
        )
        ContactPreference.unscoped.bulk_create(
            ContactPreference(
                case=case,
                channel=channel,
                safe=channel not in ("post", "voicemail") or n % 2 == 0,
                safe_times="Weekdays 10am to 2pm" if channel == "call" else "",
                withheld_ok=channel == "call",
                safe_places="Our office\nThe community centre" if channel == "meeting" else "",
                last_confirmed_on=today - datetime.timedelta(days=rng.randint(0, 45)),
            )
            for channel in Channel.values
        )
        if worker is None:
            continue
        for k in range(rng.randint(1, 4)):
            method = rng.choice(["phone", "face_to_face", "live_chat"])
            ContactLogEntry.unscoped.create(
                case=case,
                created_by=worker,
                # Spread over the case's life so far, never in the future.
                at=min(
                    case.opened_at + datetime.timedelta(days=k * 3 + 1),
                    timezone.now() - datetime.timedelta(hours=2 * (4 - k)),
                ),
                method=method,
                direction=rng.choice(["in", "out"]),
                duration_minutes=rng.choice([10, 20, 45, 60]),
                note="Talked through the week's incidents and updated the diary.",
                place="Our office" if method == "face_to_face" else "",
                place_known_to_suspect="no" if method == "face_to_face" else "",
            )
        suspect = Suspect.unscoped.create(
            case=case,
            created_by=worker,
            names=f"Suspect {case.reference}",
            description="Synthetic demo suspect.",
            relationship=rng.choice(Relationship.values),
        )
        services.set_suspect_identifiers(
            suspect, {"handle": [f"@demo_{case.reference.lower()}"], "vehicle": [f"DM{n:02d} XYZ"]}
        )
        answers = {q.id: rng.choice(["yes", "no", "no", "unknown"]) for q in questions}
        risk.record_assessment(
            case,
            instrument_version=instrument_version,
            answers=answers,
            by=worker,
            review_on=today + datetime.timedelta(days=rng.randint(-5, 60)),
        )
        needs = NeedsAssessment(case=case, created_by=worker, plan="Feel safe at home again.")
        for area in NeedArea:
            setattr(needs, area.value, rng.choice(["", "none", "some", "high"]))
        needs.save()
        for _ in range(rng.randint(1, 3)):
            SupportAction.unscoped.create(
                case=case,
                created_by=worker,
                area=rng.choice(NeedArea.values),
                description="Follow up with the client and record the outcome.",
                owner=worker,
                due_on=today + datetime.timedelta(days=rng.randint(-6, 20)),
            )
        plan = SafetyPlan(case=case, created_by=worker, notes="Reviewed with the client.")
        for key, _label, _hint in SAFETY_PLAN_SECTIONS:
            setattr(plan, key, _PLAN_TEXT[key])
        plan.review_date = today + datetime.timedelta(days=rng.randint(-3, 30))
        plan.save()
        services.snapshot_safety_plan(plan, by=worker)
        OutcomeMeasures.unscoped.create(
            case=case,
            created_by=worker,
            stage="entry",
            **{key: rng.randint(1, 3) for key, _ in OutcomeMeasures.MEASURES},
        )
        if case.status == Case.Status.CLOSED:
            OutcomeMeasures.unscoped.create(
                case=case,
                created_by=worker,
                stage="exit",
                **{key: rng.randint(3, 5) for key, _ in OutcomeMeasures.MEASURES},
            )
            Case.unscoped.filter(pk=case.pk).update(
                closure_reason="support_complete", closure_requested_by=worker
            )
