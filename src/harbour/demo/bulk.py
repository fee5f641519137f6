"""Large synthetic caseloads for scale tests: ``harbour demo --cases-per-provider 25000``.

The first few cases of each provider come from the rich demo path (services, audit, every page
populated). The rest are written here in batches through Harbour's own models, so every identifying
value is really encrypted and every blind index really computed, but with ``bulk_create`` instead
of one transaction per record: 100,000 cases with about 2 million records load in minutes.

Each case gets what a real one has by the time it is worked: a client, five safe-contact
preferences, one to four contacts, a suspect with two identifiers, a risk assessment scored by the
shipped instrument, needs, one to three actions, a safety plan and entry (and exit) measures. Each
provider also gets a referral queue (one open referral per 40 cases, and closed ones). Nothing here
writes audit rows: a scale dataset is not a history of anyone's work.

Why unscoped: demo data is written once, by ``harbour demo``, with no signed-in user.
"""

from __future__ import annotations

import datetime
import json
import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.cases.models import (
    Case,
    Channel,
    Client,
    ContactLogEntry,
    ContactPreference,
    NeedArea,
    NeedsAssessment,
    OutcomeMeasures,
    Relationship,
    SafetyPlan,
    SafetyPlanVersion,
    SupportAction,
    Suspect,
    SuspectIdentifier,
    new_reference,
)
from harbour.cases.services import identifier_index
from harbour.core import policy
from harbour.core.statistics import analyse_database
from harbour.demo import data
from harbour.referrals.models import Referral, first_contact_due
from harbour.risk import services as risk
from harbour.risk.instrument import score
from harbour.risk.models import Assessment, InstrumentVersion

BATCH = 1000
_SAFE_TIMES = "Weekdays 10am to 2pm"
_CONTACT_NOTE = "Talked through the week's incidents and updated the diary."
_ACTION_TEXT = "Follow up with the client and record the outcome."


@dataclass(frozen=True)
class _Scored:
    answers_json: str
    score: int
    band: str
    band_label: str
    triggers: list[str]


def _scored_answers(rng: random.Random) -> tuple[Any, list[_Scored]]:
    """A handful of answer sets scored once by the shipped instrument, reused across cases."""

    risk.ensure_shipped_instruments()
    version = InstrumentVersion.objects.get(slug="harbour-stalking-risk")
    instrument = version.instrument
    scored = []
    for _ in range(12):
        answers = {q.id: rng.choice(["yes", "no", "no", "unknown"]) for q in instrument.questions}
        result = score(instrument, answers)
        scored.append(
            _Scored(
                answers_json=json.dumps(answers, sort_keys=True),
                score=result.score,
                band=result.band,
                band_label=instrument.band(result.band).label,
                triggers=list(result.triggers),
            )
        )
    return version, scored


def generate(
    per_provider: int,
    *,
    seed: int,
    skip: int = 0,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Add cases to each demo provider until it has ``per_provider`` (the first ``skip`` exist)."""
    rng = random.Random(seed + 8)  # noqa: S311 - demo data only
    assessment_version, scored = _scored_answers(rng)
    providers = list(Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).order_by("pk"))
    police = list(Organisation.objects.filter(kind=Organisation.Kind.POLICE_FORCE).order_by("pk"))
    taken = set(
        Case.objects.system("bulk demo: unique references").values_list("reference", flat=True)
    )
    made = 0
    for org in providers:
        staff = list(policy.advocates_of(org).order_by("pk"))
        districts = (
            next((spec.districts for spec in data.ORGANISATIONS if spec.name == org.name), ())
            or data.KENT[40:60]
        )
        todo = max(per_provider - skip, 0)
        for start in range(0, todo, BATCH):
            count = min(BATCH, todo - start)
            with transaction.atomic():
                _batch(
                    org,
                    staff,
                    police,
                    districts,
                    count,
                    rng=rng,
                    seed=seed + org.pk * 7919 + start,
                    taken=taken,
                    assessment_version=assessment_version,
                    scored=scored,
                    per_provider=per_provider,
                )
            made += count
            if progress:
                progress(f"{org.short_name}: {start + count:,} of {todo:,} cases")
    analyse_database()
    return made


def _batch(
    org: Organisation,
    staff: list[User],
    police: list[Organisation],
    districts: tuple[str, ...],
    count: int,
    *,
    rng: random.Random,
    seed: int,
    taken: set[str],
    assessment_version: Any,
    scored: list[_Scored],
    per_provider: int,
) -> None:

    now = timezone.now()
    today = timezone.localdate()
    # Most of a large service's cases are closed: keep about 600 open per provider (a few hundred
    # per advocate, as in a real caseload) however many closed cases there are.
    open_share = min(0.3, 600 / max(per_provider, 1))
    people = data.people(seed, districts, count)
    clients = []
    for person in people:
        client = Client(organisation=org, **person.__dict__)
        client.refresh_indexes()
        clients.append(client)
    Client.unscoped.bulk_create(clients, batch_size=500)

    cases = []
    for i, client in enumerate(clients):
        reference = new_reference()
        while reference in taken:
            reference = new_reference()
        taken.add(reference)
        opened = now - data.opened_offset(rng) - datetime.timedelta(days=rng.randint(0, 1400))
        closed = rng.random() >= open_share
        cases.append(
            Case(
                reference=reference,
                organisation=org,
                client=client,
                opened_at=opened,
                closed_at=opened + datetime.timedelta(days=rng.randint(30, 300))
                if closed
                else None,
                status=Case.Status.CLOSED if closed else Case.Status.OPEN,
                allocated_to=(rng.choice(staff) if staff and (closed or i % 6) else None),
                relationship_to_suspect=rng.choice(Relationship.values),
                domestic_abuse=rng.random() < 0.4,
                cyber_elements=rng.random() < 0.5,
                gender=rng.choice(["woman", "woman", "man", "", "not_said"]),
                age_band=rng.choice(["18_24", "25_34", "35_44", "45_54", ""]),
                closure_reason="support_complete" if closed else "",
            )
        )
    Case.unscoped.bulk_create(cases, batch_size=500)

    prefs, contacts, suspects, actions, needs, plans, measures, assessments = ([] for _ in range(8))
    for n, case in enumerate(cases):
        worker = case.allocated_to
        for channel in Channel.values:
            prefs.append(
                ContactPreference(
                    case=case,
                    channel=channel,
                    safe=channel not in ("post", "voicemail") or n % 2 == 0,
                    safe_times=_SAFE_TIMES if channel == "call" else "",
                    withheld_ok=channel == "call",
                    last_confirmed_on=today - datetime.timedelta(days=rng.randint(0, 90)),
                )
            )
        if worker is None:
            continue
        end = case.closed_at or now
        for _ in range(rng.randint(1, 4)):
            contacts.append(
                ContactLogEntry(
                    case=case,
                    created_by=worker,
                    at=case.opened_at + (end - case.opened_at) * rng.random(),
                    method=rng.choice(["phone", "face_to_face", "live_chat"]),
                    direction=rng.choice(["in", "out"]),
                    duration_minutes=rng.choice([10, 20, 45, 60]),
                    note=_CONTACT_NOTE,
                )
            )
        suspects.append(
            Suspect(
                case=case,
                created_by=worker,
                names=f"Suspect {case.reference}",
                description="Synthetic demo suspect.",
                relationship=case.relationship_to_suspect,
            )
        )
        result = rng.choice(scored)
        assessments.append(
            Assessment(
                case=case,
                instrument_version=assessment_version,
                answers_json=result.answers_json,
                score=result.score,
                computed_band=result.band,
                band=result.band,
                band_label=result.band_label,
                triggers=result.triggers,
                review_on=today + datetime.timedelta(days=rng.randint(-5, 60)),
                assessed_at=case.opened_at + datetime.timedelta(days=1),
                assessed_by=worker,
            )
        )
        need = NeedsAssessment(case=case, created_by=worker, plan="Feel safe at home again.")
        for area in NeedArea:
            setattr(need, area.value, rng.choice(["", "none", "some", "high"]))
        needs.append(need)
        for _ in range(rng.randint(1, 3)):
            done = case.status == Case.Status.CLOSED or rng.random() < 0.5
            actions.append(
                SupportAction(
                    case=case,
                    created_by=worker,
                    area=rng.choice(NeedArea.values),
                    description=_ACTION_TEXT,
                    owner=worker,
                    due_on=today + datetime.timedelta(days=rng.randint(-30, 30)),
                    status=SupportAction.Status.DONE if done else SupportAction.Status.OPEN,
                    completed_at=now if done else None,
                )
            )
        plans.append(
            SafetyPlan(
                case=case,
                created_by=worker,
                notes="Reviewed with the client.",
                review_date=today + datetime.timedelta(days=rng.randint(-3, 60)),
                updated_by=worker,
            )
        )
        for stage in ("entry", "exit") if case.status == Case.Status.CLOSED else ("entry",):
            low, high = (1, 3) if stage == "entry" else (2, 5)
            measures.append(
                OutcomeMeasures(
                    case=case,
                    created_by=worker,
                    stage=stage,
                    **{key: rng.randint(low, high) for key, _ in OutcomeMeasures.MEASURES},
                )
            )
    batches: tuple[tuple[Any, list[Any]], ...] = (
        (ContactPreference, prefs),
        (ContactLogEntry, contacts),
        (Suspect, suspects),
        (Assessment, assessments),
        (NeedsAssessment, needs),
        (SupportAction, actions),
        (SafetyPlan, plans),
        (OutcomeMeasures, measures),
    )
    for model, rows in batches:
        model.unscoped.bulk_create(rows, batch_size=500)
    SuspectIdentifier.unscoped.bulk_create(_identifiers(suspects), batch_size=500)
    SafetyPlanVersion.unscoped.bulk_create(
        (
            SafetyPlanVersion(
                plan=plan, number=1, content=json.dumps(plan.snapshot()), saved_by=plan.updated_by
            )
            for plan in plans
        ),
        batch_size=500,
    )
    Referral.unscoped.bulk_create(
        _referrals(org, police, people, count, rng=rng, now=now), batch_size=500
    )


def _identifiers(suspects: Iterable[Suspect]) -> list[SuspectIdentifier]:
    rows = []
    for suspect in suspects:
        case = suspect.case
        for kind, value in (
            ("handle", f"@demo_{case.reference.lower()}"),
            ("vehicle", f"DM{case.pk % 100:02d} XYZ"),
        ):
            rows.append(
                SuspectIdentifier(
                    suspect=suspect, kind=kind, value=value, index=identifier_index(kind, value)
                )
            )
    return rows


def _referrals(
    org: Organisation,
    police: list[Organisation],
    people: list[data.DemoPerson],
    count: int,
    *,
    rng: random.Random,
    now: datetime.datetime,
) -> list[Referral]:
    """One open referral per 40 cases (the queue) and three closed ones (declined, accepted)."""
    rows = []
    for k in range(count // 10):
        person = people[k]
        open_ = k % 4 == 0
        received = now - datetime.timedelta(hours=rng.randint(1, 24 * (3 if open_ else 700)))
        force = rng.choice(police) if police and k % 2 else None
        referral = Referral(
            public_id=uuid.uuid4(),
            source=Referral.Source.POLICE if force else Referral.Source.SELF,
            status=Referral.Status.RECEIVED if open_ else Referral.Status.DECLINED,
            received_at=received,
            outcome_at=None if open_ else received + datetime.timedelta(days=2),
            referring_organisation=force,
            given_name=person.given_name,
            family_name=person.family_name,
            date_of_birth=cast(Any, person.date_of_birth),
            phone=person.phone,
            email=person.email,
            postcode=person.postcode,
            postcode_district=person.postcode.split()[0],
            routed_to=org,
            safe_call=True,
            consent_to_contact=True,
        )
        referral.due_by = first_contact_due(received)
        referral.refresh_indexes()
        rows.append(referral)
    return rows
