"""Synthetic demo training: a year of Protection Against Stalking's West Kent pilot, through the real
services. It opens with a half-day conference of strategic partners and businesses; requests then
arrive from the public page and become bespoke sessions for police, courts, probation, health,
housing, employers and trades; attendees give feedback; some trained organisations later refer.
Victim Support Kent's trainer has a smaller programme. Every organisation and person is invented.

Why unscoped: demo data is written once, by ``harbour demo``, with no signed-in user.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone
from faker import Faker

from harbour.accounts.models import Organisation, User
from harbour.referrals import services as referrals
from harbour.referrals.models import Referral
from harbour.training import services
from harbour.training.models import PartnerOrganisation, TrainingRequest, TrainingSession

#: (name, sector, area, other names): West Kent organisations, all invented.
WEST_KENT = (
    ("Kent Police West Division", "police", "Maidstone", ""),
    ("Maidstone Magistrates' Court Witness Service", "courts", "Maidstone", ""),
    ("Probation Service West Kent", "probation", "Maidstone", ""),
    ("Tonbridge Medical Group", "health", "Tonbridge", "Tonbridge Surgery"),
    ("Pembury Road Surgery", "health", "Tunbridge Wells", ""),
    ("Weald Community Mental Health Team", "health", "Sevenoaks", ""),
    ("Sevenoaks Weald Academy", "education", "Sevenoaks", ""),
    ("Medway Valley Homes", "housing", "Maidstone", "MVH"),
    ("Sevenoaks District Housing Options", "housing", "Sevenoaks", ""),
    ("Hop Farm Logistics", "employer", "Paddock Wood", ""),
    ("Weald Building Society", "employer", "Tunbridge Wells", ""),
    ("Cutting Room Tonbridge", "hairdressing", "Tonbridge", ""),
    ("Scissors & Co Sevenoaks", "hairdressing", "Sevenoaks", ""),
    ("The Nail Studio Maidstone", "beauty", "Maidstone", ""),
    ("Pantiles Beauty Rooms", "beauty", "Tunbridge Wells", ""),
    ("West Kent Counselling Collective", "counselling", "Tonbridge", ""),
    ("FitWeald Gym", "personal_training", "Tonbridge", "Fit Weald"),
    ("Kings Hill Personal Training", "personal_training", "West Malling", ""),
)

CONFERENCE_ATTENDANCE = {
    "police": 11,
    "courts": 4,
    "probation": 6,
    "health": 9,
    "education": 3,
    "housing": 7,
    "employer": 8,
    "hairdressing": 3,
    "beauty": 2,
    "counselling": 2,
}

COMMENTS = (
    "I had no idea how many of the signs we see at the salon.",
    "The FOUR prompt is easy to remember.",
    "Would like a follow-up session for new staff.",
    "Useful to know we can refer without the police being involved.",
    "",
    "",
)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _request_fields(
    fake: Faker, partner: PartnerOrganisation, rng: random.Random
) -> dict[str, Any]:
    return {
        "organisation_name": partner.name,
        "sector": partner.sector,
        "people": rng.randint(4, 18),
        "preferred_dates": rng.choice(
            ["Weekday mornings", "Any Monday", "After 6pm, we close at 5.30", "Flexible"]
        ),
        "place": rng.choice(["their_premises", "their_premises", "online", "our_premises"]),
        "location": partner.area,
        "contact_name": fake.name(),
        "contact_email": f"training@{partner.name.split()[0].lower()}.example.org",
        "contact_phone": "",
    }


def _deliver_with_feedback(
    session: TrainingSession,
    partner: PartnerOrganisation | None,
    attendance: dict[str, int],
    *,
    fake: Faker,
    rng: random.Random,
    by: User,
    named: int,
) -> None:
    attendees = [
        services.add_attendee(
            session,
            name=fake.name(),
            email="",
            sector=partner.sector if partner else rng.choice(list(attendance)),
            partner=partner,
            by=by,
        )
        for _ in range(named)
    ]
    services.deliver_session(session, attendance=attendance, by=by)
    for attendee in attendees:
        if rng.random() < 0.3:
            continue  # not everyone gives feedback
        answers: dict[str, Any] = {"comments": rng.choice(COMMENTS)}
        for stem in ("recognising", "responding", "referring"):
            before = rng.choice([1, 2, 2, 3, 3])
            answers[f"{stem}_before"] = before
            answers[f"{stem}_after"] = min(5, before + rng.choice([0, 1, 2, 2, 3]))
        services.give_feedback(attendee, answers)


def load_training_demo(seed: int, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    rng = random.Random(seed + 15)  # noqa: S311 - demo data only
    fake = Faker("en_GB")
    fake.seed_instance(seed + 15)
    wk = orgs["wk"]
    trainer = users["wk-trainer"]
    advocate = users["wk-advocate"]
    manager = users["wk-manager"]
    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=350)

    services.name_contact_point(wk, advocate=advocate, area="West Kent", by=manager)
    partners = []
    for name, sector, area, other in WEST_KENT:
        partners.append(
            services.add_partner(
                wk, by=trainer, name=name, sector=sector, area=area, other_names=other
            )
        )
    contact_names = iter(fake.name() for _ in range(40))
    for partner in partners[::2]:
        services.add_partner_contact(
            partner,
            by=trainer,
            name=next(contact_names),
            job_title=rng.choice(["Practice manager", "Owner", "HR lead", "Team leader"]),
            email=f"contact@{partner.name.split()[0].lower()}.example.org",
        )

    # The half-day conference that opened the pilot.
    conference = services.schedule_session(
        wk,
        by=trainer,
        kind=TrainingSession.Kind.EVENT,
        title="West Kent stalking awareness conference",
        starts_at=_at(year_ago, 9),
        duration_minutes=240,
        place="other_venue",
        venue="Tonbridge Angel Centre",
        area="Tonbridge",
        trainer=trainer,
        capacity=80,
    )
    for partner in partners:
        services.add_organisation(conference, partner, by=trainer)
    _deliver_with_feedback(
        conference,
        None,
        CONFERENCE_ATTENDANCE,
        fake=fake,
        rng=rng,
        by=trainer,
        named=12,
    )

    # Requests through the year: most delivered, two cancelled, some still to come or waiting.
    delivered_partners: list[tuple[PartnerOrganisation, datetime.date]] = []
    order = [*partners[:3], *partners[3:]] * 2
    for i, partner in enumerate(order[:24]):
        received = year_ago + datetime.timedelta(days=7 + i * 14 + rng.randint(0, 5))
        request = services.receive_request(wk, _request_fields(fake, partner, rng))
        TrainingRequest.unscoped.filter(pk=request.pk).update(
            received_at=_at(received, 10) if received < today else timezone.now()
        )
        if i >= 22:
            continue  # waiting in the queue
        session_day = received + datetime.timedelta(days=rng.randint(10, 21))
        if i >= 20:
            session_day = today + datetime.timedelta(days=6 + 9 * (i - 20))  # still to come
        session = services.schedule_session(
            wk,
            by=trainer,
            title="Stalking awareness training",
            starts_at=_at(session_day, rng.choice([9, 13, 18])),
            duration_minutes=rng.choice([90, 120, 180]),
            place=request.place,
            venue=partner.name if request.place == "their_premises" else "",
            area=partner.area,
            trainer=advocate if i % 5 == 4 else trainer,
            capacity=request.people + 2,
            for_request=request,
            partner=partner,
        )
        if session_day >= today:
            continue  # scheduled, still to come
        if i in (6, 15):
            services.cancel_session(
                session,
                reason="The organisation asked to postpone; they will ask again.",
                by=trainer,
            )
            continue
        people = max(2, request.people - rng.randint(0, 3))
        attendance = {partner.sector: people}
        if partner.sector == "police" and people > 6:
            attendance = {"police": people - 2, "courts": 2}
        _deliver_with_feedback(
            session, partner, attendance, fake=fake, rng=rng, by=trainer, named=min(people, 4)
        )
        delivered_partners.append((partner, session_day))

    _referrals_from_trained(rng, fake, orgs, users, delivered_partners, today)
    _victim_support_kent(fake, rng, orgs, users, today)


def _referrals_from_trained(
    rng: random.Random,
    fake: Faker,
    orgs: dict[str, Organisation],
    users: dict[str, User],
    delivered: list[tuple[PartnerOrganisation, datetime.date]],
    today: datetime.date,
) -> None:
    """The pilot's real test: professionals from trained organisations later refer someone. They
    arrive in Kent (Victim Support's area) and are sent on to West Kent, where an advocate takes
    them. Two came before their organisation was trained, and do not count."""
    km_manager, wk_advocate = users["km-manager"], users["wk-advocate"]
    plan = [(p, d + datetime.timedelta(days=rng.randint(5, 60))) for p, d in delivered[::2]]
    plan += [(p, d - datetime.timedelta(days=20)) for p, d in delivered[1:3]]
    for n, (partner, received) in enumerate(plan):
        if received >= today:
            continue
        given, family = fake.first_name(), fake.last_name()
        referral = referrals.receive_referral(
            source=Referral.Source.PROFESSIONAL,
            fields={
                "given_name": given,
                "family_name": family,
                "phone": f"07911 5{n:05d}",
                "postcode": "TN9 1AA",
                "safe_call": True,
                "safe_text": True,
                "what_is_happening": "A client told me someone keeps turning up where she works.",
                "consent_to_contact": True,
                "referrer_name": fake.name(),
                "referrer_role": "other",
                "referrer_organisation": partner.name,
                "referrer_email": "referrer@example.org",
            },
            via="demo",
            received_at=_at(received, 11),
        )
        referrals.reroute(referral, to=orgs["wk"], by=km_manager, reason="West Kent")
        referrals.attempt_contact(referral, channel="call", outcome="spoke", by=wk_advocate)
        referrals.accept(referral, by=wk_advocate, allocate_to=wk_advocate)


def _victim_support_kent(
    fake: Faker,
    rng: random.Random,
    orgs: dict[str, Organisation],
    users: dict[str, User],
    today: datetime.date,
) -> None:
    """Victim Support Kent's trainer: a few sessions, one request waiting, one coming up."""
    km, trainer = orgs["km"], users["km-trainer"]
    plan = (
        ("Canterbury Hair Collective", "hairdressing", "Canterbury", -70),
        ("Thanet Housing Partnership", "housing", "Margate", -35),
        ("Ashford Leisure Gyms", "personal_training", "Ashford", 12),
        ("Dover Harbour Employers Forum", "employer", "Dover", None),
    )
    for name, sector, area, offset in plan:
        partner = services.add_partner(km, by=trainer, name=name, sector=sector, area=area)
        request = services.receive_request(km, _request_fields(fake, partner, rng))
        if offset is None:
            continue
        session = services.schedule_session(
            km,
            by=trainer,
            title="Stalking awareness training",
            starts_at=_at(today + datetime.timedelta(days=offset), 10),
            duration_minutes=120,
            place="their_premises",
            venue=name,
            area=area,
            trainer=trainer,
            capacity=request.people,
            for_request=request,
            partner=partner,
        )
        if offset < 0:
            _deliver_with_feedback(
                session, partner, {sector: request.people}, fake=fake, rng=rng, by=trainer, named=3
            )
