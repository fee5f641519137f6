"""A small, hand-counted world for the reporting tests.

Financial year 2025 (April 2025 to March 2026). Provider A (Northshire Advocacy) and provider B
(Southshire Support) are funded by Cora's office, with the Northshire force; provider A is in the
area "North", provider B in "South". In May 2025 provider A received 12 police referrals (10 within
the Victims' Code, 2 later), 6 self-referrals and 2 from professionals; provider B received 7
self-referrals and 3 police ones. In June 2025 provider A received 8 self-referrals.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from harbour.accounts.models import Organisation
from harbour.cases.models import Case, Client
from harbour.referrals.models import Referral
from harbour.reporting.models import CommissionedOrganisation, RecordedCrimes, ReportingArea

TZ = datetime.UTC


def at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


def referral(org: Organisation, source: str, when: datetime.datetime, **fields: Any) -> Referral:
    made = Referral(routed_to=org, source=source, received_at=when, **fields)
    made.save()
    return made


def case(org: Organisation, when: datetime.datetime, **fields: Any) -> Case:
    client = Client.unscoped.create(organisation=org, given_name="Wilhelmina", phone="07700 900123")
    return Case.unscoped.create(organisation=org, client=client, opened_at=when, **fields)


@pytest.fixture
def world(orgs: dict[str, Organisation], cast: dict[str, Any]) -> dict[str, Any]:
    a, b, police, office = (
        orgs["provider_a"],
        orgs["provider_b"],
        orgs["police"],
        orgs["commissioner"],
    )
    for org in (a, b, police, orgs["programme"]):
        CommissionedOrganisation.objects.create(commissioner=office, organisation=org)
    north = ReportingArea.objects.create(
        commissioner=office, name="North", force=police, population_16_59=280_800
    )
    north.providers.add(a)
    south = ReportingArea.objects.create(commissioner=office, name="South", force=police)
    south.providers.add(b)
    may = at(2025, 5, 14)
    for i in range(12):
        reported = datetime.date(2025, 5, 13) if i < 10 else datetime.date(2025, 5, 1)
        referral(
            a,
            "police",
            may,
            referring_organisation=police,
            crime_reported_on=reported,
            first_contact_at=may + datetime.timedelta(hours=3),
        )
    for _ in range(6):
        referral(a, "self", may, first_contact_at=may + datetime.timedelta(days=6))
    for _ in range(2):
        referral(a, "professional", may)
    for _ in range(7):
        referral(b, "self", may)
    for _ in range(3):
        referral(b, "police", may, referring_organisation=police)
    for _ in range(8):
        referral(a, "self", at(2025, 6, 3))
    for i in range(9):
        case(a, may, gender="woman" if i < 7 else "man", cyber_elements=i < 5)
    RecordedCrimes.objects.create(area=north, month=datetime.date(2025, 5, 1), stalking_crimes=40)
    return {"a": a, "b": b, "police": police, "office": office, "north": north, "south": south}
