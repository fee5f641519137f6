"""Demo reporting: what each commissioner's office funds, its areas (West Kent's iceberg of seed
002: 280,800 people aged 16 to 59 at a survey rate of 2.6% is about 7,300 stalked in a year, against
17 stalking crimes recorded), recorded crimes per month, and a year of referrals at every provider
so the dashboard tells a story.

The year of history is written in bulk (``bulk_create``, no audit rows: it is not anyone's work),
through the models, so identifying values are really encrypted. Its cases carry demographics, a
risk level, and when closed their needs met and entry and exit measures; some reach the criminal
justice milestones and protective orders the funnel counts.

Why unscoped: demo data is written once, by ``harbour demo``, with no signed-in user.
"""

from __future__ import annotations

import datetime
import random
import uuid
from typing import Any, cast

from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.cases.models import (
    Case,
    Client,
    NeedArea,
    NeedsAssessment,
    OutcomeMeasures,
    Relationship,
    new_reference,
)
from harbour.core import policy
from harbour.demo import data
from harbour.referrals.models import Referral, first_contact_due
from harbour.reporting.models import (
    CommissionedOrganisation,
    RecordedCrimes,
    ReportingArea,
    ReportingSettings,
)
from harbour.reporting.periods import add_months

#: office key -> organisations it funds
FUNDED = {"kentpcc": ("km", "wk", "kentpol", "pp"), "derpcc": ("glow", "crd", "derpol", "pp")}
#: (office, area, providers, force, people aged 16 to 59, their year, crimes recorded a year)
AREAS = (
    ("kentpcc", "West Kent", ("wk",), "kentpol", 280_800, 2016, 17),
    ("kentpcc", "Kent and Medway (rest of the county)", ("km",), "kentpol", 740_000, 2024, 260),
    ("derpcc", "Derby city", ("glow",), "derpol", 160_000, 2024, 70),
    ("derpcc", "Derbyshire county", ("crd",), "derpol", 450_000, 2024, 150),
)
#: Referrals a provider receives in the demo year.
YEARLY = {"km": 260, "wk": 90, "glow": 140, "crd": 160}
SURVEY_SOURCE = "Survey rate behind the West Kent estimate of 2016 (seed 002): 2.6% a year"


def _spread(total: int, months: int, rng: random.Random) -> list[int]:
    """``total`` split over ``months`` unevenly but fully."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(months)]
    shares = [int(total * w / sum(weights)) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % months] += 1
    return shares


def load_reporting_demo(seed: int, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    rng = random.Random(seed + 17)  # noqa: S311 - demo data only
    today = timezone.localdate()
    for office, funded in FUNDED.items():
        for key in funded:
            CommissionedOrganisation.objects.create(
                commissioner=orgs[office], organisation=orgs[key]
            )
        ReportingSettings.objects.create(
            commissioner=orgs[office], survey_rate_source=SURVEY_SOURCE
        )
    this_month = today.replace(day=1)
    for office, name, providers, force, people, year, crimes in AREAS:
        area = ReportingArea.objects.create(
            commissioner=orgs[office],
            name=name,
            force=orgs[force],
            population_16_59=people,
            population_year=year,
        )
        area.providers.set([orgs[k] for k in providers])
        months = [add_months(this_month, -i) for i in range(1, 13)]
        RecordedCrimes.objects.bulk_create(
            RecordedCrimes(area=area, month=month, stalking_crimes=count)
            for month, count in zip(months, _spread(crimes, 12, rng), strict=True)
        )
    for key, count in YEARLY.items():
        _year_of_referrals(orgs[key], orgs, users, count, rng, seed)


_SOURCES = (
    (Referral.Source.POLICE, 0.42),
    (Referral.Source.SELF, 0.30),
    (Referral.Source.PROFESSIONAL, 0.16),
    (Referral.Source.FAMILY_FRIEND, 0.06),
    (Referral.Source.LIVE_CHAT, 0.06),
)
_OUTCOMES = (
    (Referral.Status.ACCEPTED, 0.62),
    (Referral.Status.DECLINED, 0.12),
    (Referral.Status.SIGNPOSTED, 0.08),
    (Referral.Status.UNABLE_TO_CONTACT, 0.12),
    (Referral.Status.MERGED, 0.02),
)


def _pick(rng: random.Random, table: tuple[tuple[Any, float], ...]) -> Any:
    roll, upto = rng.random(), 0.0
    for value, weight in table:
        upto += weight
        if roll < upto:
            return value
    return table[-1][0]


def _year_of_referrals(
    org: Organisation,
    orgs: dict[str, Organisation],
    users: dict[str, User],
    count: int,
    rng: random.Random,
    seed: int,
) -> None:
    from harbour.justice.models import Journey, JourneyMilestone, Order, OrderStep

    now = timezone.now()
    force = orgs["kentpol"] if org.area_name in ("Kent and Medway", "West Kent") else orgs["derpol"]
    advocates = list(policy.advocates_of(org).order_by("pk"))
    districts = (
        tuple(org.service_areas.values_list("postcode_district", flat=True)) or data.KENT[40:60]
    )
    people = data.people(seed + 1000 + org.pk, districts, count)
    referrals: list[Referral] = []
    clients: list[Client] = []
    cases: list[Case] = []
    for person in people:
        received = now - datetime.timedelta(days=rng.randint(3, 365), hours=rng.randint(0, 9))
        source = _pick(rng, _SOURCES)
        status = _pick(rng, _OUTCOMES)
        # Most first contacts within the day or two, some much later.
        contact_after = datetime.timedelta(hours=rng.choice([2, 5, 20, 26, 30, 50, 80, 130]))
        referral = Referral(
            public_id=uuid.uuid4(),
            source=source,
            status=status,
            received_at=received,
            due_by=first_contact_due(received),
            first_contact_at=None
            if status == Referral.Status.UNABLE_TO_CONTACT and rng.random() < 0.5
            else received + contact_after,
            outcome_at=received + contact_after + datetime.timedelta(days=2),
            referring_organisation=force if source == Referral.Source.POLICE else None,
            crime_reported_on=(
                (received - datetime.timedelta(days=rng.choice([0, 1, 1, 2, 3, 6, 12]))).date()
                if source == Referral.Source.POLICE and rng.random() < 0.9
                else None
            ),
            given_name=person.given_name,
            family_name=person.family_name,
            date_of_birth=cast(Any, person.date_of_birth),
            phone=person.phone,
            postcode=person.postcode,
            postcode_district=person.postcode.split()[0],
            routed_to=org,
            safe_call=True,
            consent_to_contact=True,
        )
        referral.refresh_indexes()
        referrals.append(referral)
        if status != Referral.Status.ACCEPTED:
            continue
        client = Client(organisation=org, **person.__dict__)
        client.refresh_indexes()
        clients.append(client)
        opened = received + contact_after + datetime.timedelta(days=1)
        closed = opened < now - datetime.timedelta(days=60) and rng.random() < 0.6
        relationship = rng.choice(Relationship.values)
        cases.append(
            Case(
                reference=new_reference(),
                organisation=org,
                client=client,
                opened_at=opened,
                status=Case.Status.CLOSED if closed else Case.Status.OPEN,
                closed_at=opened + datetime.timedelta(days=rng.randint(30, 55)) if closed else None,
                closure_reason="support_complete" if closed else "",
                allocated_to=rng.choice(advocates) if advocates else None,
                relationship_to_suspect=relationship,
                domestic_abuse=relationship in Relationship.domestic_abuse_related(),
                cyber_elements=rng.random() < 0.55,
                gender=rng.choice(["woman"] * 7 + ["man"] * 2 + ["non_binary", "not_said", ""]),
                age_band=rng.choice(["18_24", "25_34", "25_34", "35_44", "45_54", "55_64", ""]),
                ethnicity=rng.choice(["white"] * 6 + ["asian", "black", "mixed", "not_said", ""]),
                disability=rng.choice(["no", "no", "no", "yes", "not_said", ""]),
                risk_level=rng.choice([1, 1, 2, 2, 3]),
            )
        )
    Client.unscoped.bulk_create(clients, batch_size=500)
    for case in cases:
        case.client_id = case.client.pk
    Case.unscoped.bulk_create(cases, batch_size=500)
    by_person = iter(cases)
    for referral in referrals:
        if referral.status == Referral.Status.ACCEPTED:
            referral.case = next(by_person)
    Referral.unscoped.bulk_create(referrals, batch_size=500)
    needs, measures, journeys = [], [], []
    for case in cases:
        if case.status == Case.Status.CLOSED:
            need = NeedsAssessment(case=case, created_by=case.allocated_to, plan="Feel safe.")
            for area in NeedArea:
                setattr(need, area.value, rng.choice(["", "none", "met", "met", "some"]))
            needs.append(need)
            for stage, low, high in (("entry", 1, 3), ("exit", 2, 5)):
                measures.append(
                    OutcomeMeasures(
                        case=case,
                        created_by=case.allocated_to,
                        stage=stage,
                        **{k: rng.randint(low, high) for k, _l in OutcomeMeasures.MEASURES},
                    )
                )
        if rng.random() < 0.45:
            journeys.append(
                Journey(
                    case=case,
                    force=force,
                    reported_on=case.opened_at.date() + datetime.timedelta(days=rng.randint(0, 9)),
                    recorded_as=rng.choice(["s2a_stalking", "s4a_stalking", "s2_harassment"]),
                )
            )
    NeedsAssessment.unscoped.bulk_create(needs, batch_size=500)
    OutcomeMeasures.unscoped.bulk_create(measures, batch_size=500)
    Journey.unscoped.bulk_create(journeys, batch_size=500)
    milestones: list[JourneyMilestone] = []
    orders: list[tuple[Order, datetime.date, bool]] = []
    steps: list[OrderStep] = []
    today = timezone.localdate()
    for journey in journeys:
        on = journey.reported_on
        assert on is not None
        path = ["reported"]
        if rng.random() < 0.55:
            path.append("charged")
            if rng.random() < 0.8:
                path.append("prosecution")
                if rng.random() < 0.85:
                    path.append("outcome")
        for kind in path:
            if on > today:
                break
            milestones.append(
                JourneyMilestone(
                    journey=journey,
                    kind=kind,
                    on=on,
                    outcome="convicted" if kind == "outcome" else "",
                )
            )
            on = on + datetime.timedelta(days=rng.randint(7, 40))
        if rng.random() < 0.3:
            reported = journey.reported_on
            assert reported is not None
            applied: datetime.date = reported + datetime.timedelta(days=rng.randint(5, 30))
            if applied <= today:
                made = rng.random() < 0.75
                order = Order(
                    case=journey.case,
                    kind="spo",
                    force=force,
                    applicant="police",
                    status="made" if made else "applied_for",
                    status_on=applied,
                    made_on=applied + datetime.timedelta(days=14) if made else None,
                    expires_on=applied + datetime.timedelta(days=800) if made else None,
                )
                orders.append((order, applied, made))
    JourneyMilestone.unscoped.bulk_create(milestones, batch_size=500)
    Order.unscoped.bulk_create([o for o, _a, _m in orders], batch_size=500)
    for order, applied, made in orders:
        steps.append(OrderStep(order=order, step="applied_for", on=applied))
        if made and applied + datetime.timedelta(days=14) <= today:
            steps.append(
                OrderStep(order=order, step="made", on=applied + datetime.timedelta(days=14))
            )
    OrderStep.unscoped.bulk_create(steps, batch_size=500)
