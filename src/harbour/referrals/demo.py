"""Synthetic demo referrals: a few per provider from every route, some from the police forces, in
every state, through the real services (so routing, timers and audit behave as in real use)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.cases.models import Client
from harbour.demo import data
from harbour.referrals import services
from harbour.referrals.forms import RELATIONSHIP
from harbour.referrals.models import HOW_LONG, Referral

#: Police force demo key for each provider's area.
FORCE_FOR = {"km": "kentpol", "wk": "kentpol", "glow": "derpol", "crd": "derpol"}

#: (source, what happens to it) for each demo referral of a provider.
PLAN = (
    (Referral.Source.POLICE, "new"),
    (Referral.Source.POLICE, "overdue"),
    (Referral.Source.POLICE, "accepted"),
    (Referral.Source.POLICE, "declined"),
    (Referral.Source.SELF, "attempted"),
    (Referral.Source.SELF, "new"),
    (Referral.Source.PROFESSIONAL, "accepted"),
    (Referral.Source.FAMILY_FRIEND, "signposted"),
    (Referral.Source.SELF, "duplicate"),
)

ACCOUNTS = (
    "They message me from new accounts every time I block one.",
    "My ex keeps turning up outside work and at the gym.",
    "Someone has been leaving notes on my car and posting about me online.",
    "A former colleague follows me home and has contacted my family.",
    "I think my phone is being tracked; they always know where I am.",
)


def load_referrals(seed: int, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    rng = random.Random(seed + 7)  # noqa: S311 - demo data only
    now = timezone.now()
    for key, org in orgs.items():
        if org.kind != Organisation.Kind.PROVIDER or not org.service_areas.exists():
            continue
        districts = tuple(org.service_areas.values_list("postcode_district", flat=True))
        staff = [u for u in users.values() if u.organisation_id == org.pk]
        advocate = next(u for u in staff if u.role == "advocate")
        force = orgs[FORCE_FOR[key]]
        coordinator = next(
            (
                u
                for u in users.values()
                if u.organisation_id == force.pk and u.role == "police_coordinator"
            ),
            None,
        )
        people = data.people(seed + 500 + org.pk, districts, len(PLAN))
        for i, ((source, fate), person) in enumerate(zip(PLAN, people, strict=True)):
            fields = _fields(rng, person, source, i)
            if fate == "duplicate":
                _copy_identity_of_a_client(fields, org)
            days_ago = {"new": 0, "overdue": 6}.get(fate, rng.randint(1, 20))
            received_at = now - timedelta(days=days_ago, hours=rng.randint(0, 6))
            if source == Referral.Source.POLICE:
                # Most forces refer within the Victims' Code's 2 working days; some do not.
                fields["crime_reported_on"] = timezone.localdate(received_at) - timedelta(
                    days=rng.choice([0, 1, 1, 2, 4, 9])
                )
            referral = services.receive_referral(
                source=source,
                kind=Referral.Kind.ADVICE
                if source == Referral.Source.FAMILY_FRIEND
                else Referral.Kind.REFERRAL,
                fields=fields,
                by=coordinator if source == Referral.Source.POLICE else None,
                referring_organisation=force if source == Referral.Source.POLICE else None,
                via="demo",
                received_at=received_at,
            )
            _apply(fate, referral, advocate)
            if key == "km" and "wk" in orgs and fate == "new" and source == Referral.Source.SELF:
                # West Kent's service has no areas of its own: its manager colleague reroutes.
                manager = next(u for u in staff if u.role == "manager")
                services.reroute(referral, to=orgs["wk"], by=manager, reason="demo")
        if coordinator is not None:
            # One referral from outside every service area: signposted on arrival.
            services.receive_referral(
                source=Referral.Source.POLICE,
                fields={
                    **_fields(rng, people[0], Referral.Source.POLICE, 99),
                    "postcode": "ZE1 0AA",
                },
                by=coordinator,
                referring_organisation=force,
                via="demo",
                received_at=now - timedelta(days=3),
            )


def _fields(rng: random.Random, person: Any, source: str, i: int) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth,
        "phone": person.phone,
        "email": person.email,
        "address": person.address,
        "postcode": person.postcode,
        "safe_call": True,
        "safe_voicemail": i % 3 == 0,
        "safe_text": i % 2 == 0,
        "safe_email": i % 4 == 1,
        "safe_post": False,
        "safe_times": rng.choice(["Weekdays 10am to 2pm", "After 6pm", ""]),
        "withheld_number_ok": i % 2 == 1,
        "code_word": rng.choice(["", "heron", "lantern", "juniper"]),
        "what_is_happening": rng.choice(ACCOUNTS),
        "how_long": rng.choice(HOW_LONG)[0],
        "suspect_relationship": rng.choice(RELATIONSHIP)[0],
        "consent_to_contact": True,
        "consent_to_share_with_police": i % 3 != 2,
    }
    if source == Referral.Source.POLICE:
        fields.update(
            crime_reference=f"DEMO/{rng.randint(10000, 99999)}/26",
            recorded_as=rng.choice(list(Referral.RecordedAs.values)),
            officer_in_case=f"DC {person.family_name}",
            officer_contact=f"01632 960{rng.randint(100, 999)}",
            suspect_name=rng.choice(["", "Not known", "Jordan Fairweather", "Casey Holloway"]),
            suspect_identifiers=rng.choice(["", "07700 900654", "@quiet_watcher_87"]),
            bail_conditions=rng.choice(
                ["", "Not to contact the victim directly or indirectly; not to enter her street."]
            ),
            risk_level=rng.choice(list(Referral.RiskLevel.values)),
            risk_information="Suspect knows the home address.",
            reported_to_police="yes",
        )
    elif source == Referral.Source.PROFESSIONAL:
        fields.update(
            referrer_name="Demo referrer",
            referrer_role=rng.choice(["gp", "hair_beauty", "employer", "counsellor"]),
            referrer_email="referrer@example.org",
        )
    elif source == Referral.Source.FAMILY_FRIEND:
        fields.update(referrer_role="parent")
    return fields


def _copy_identity_of_a_client(fields: dict[str, Any], org: Organisation) -> None:
    """Give the referral the name and date of birth of an existing client, to show a duplicate."""
    client = (
        Client.objects.system("demo data: make a duplicate referral")
        .filter(organisation=org, date_of_birth__isnull=False)
        .order_by("pk")
        .first()
    )
    if client is not None:
        fields.update(
            given_name=client.given_name,
            family_name=client.family_name,
            date_of_birth=client.date_of_birth,
        )


def _apply(fate: str, referral: Referral, advocate: User) -> None:
    if fate in ("attempted", "accepted", "declined", "signposted"):
        channel = referral.safe_channels()[0]
        services.attempt_contact(referral, channel=channel, outcome="spoke", by=advocate)
    if fate == "accepted":
        services.accept(referral, by=advocate, allocate_to=advocate)
    elif fate == "declined":
        services.decline(referral, reason="person_declined", by=advocate)
    elif fate == "signposted":
        services.signpost(referral, to="Local family support service", by=advocate)
