"""Every staff list costs a fixed number of queries, whatever the size of the organisation.

Each page is measured with one unit of data, then again after ten more units (cases with their
contacts, actions, assessments and suspects; referrals; audit rows): the count must be exactly the
number pinned here both times, so an N+1 (or a query that disappears) fails the build. None of
them writes the session back (its activity stamp is written at most once a minute).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harbour.cases import services
from harbour.cases.models import Case, SupportAction, Suspect
from harbour.evidence import services as evidence
from harbour.justice import services as justice
from harbour.referrals.models import Referral
from harbour.referrals.services import receive_referral
from harbour.risk import services as risk
from harbour.risk.models import InstrumentVersion
from tests.cases.test_caseload import CASE_PAGE_QUERIES
from tests.conftest import statements
from tests.evidence.conftest import entry


def add_unit(orgs: dict[str, Any], cast: dict[str, Any], n: int) -> Case:
    """One more case for Alice (with everything a caseload row shows) and one more referral."""
    case = services.open_case(
        organisation=orgs["provider_a"],
        client_fields={"given_name": f"Client{n}", "family_name": "Listcost"},
        by=cast["mia"],
        allocated_to=cast["alice"],
    )
    services.record_contact(case, by=cast["alice"], method="phone", direction="in")
    SupportAction.unscoped.create(
        case=case,
        area="housing",
        description="Call the housing officer",
        owner=cast["alice"],
        due_on=timezone.localdate() - datetime.timedelta(days=n % 3),
    )
    risk.ensure_shipped_instruments()
    version = InstrumentVersion.objects.get(slug="harbour-stalking-risk")
    risk.record_assessment(
        case, instrument_version=version, answers={"victim_fear": "yes"}, by=cast["alice"]
    )
    suspect = Suspect.unscoped.create(case=case, names="S")
    services.set_suspect_identifiers(suspect, {"phone": [f"07911 1234{n:02d}"]})
    add_justice(case, suspect, orgs, cast)
    receive_referral(
        source=Referral.Source.POLICE,
        fields={
            "given_name": f"Referred{n}",
            "family_name": "Listcost",
            "phone": f"07911 2000{n:02d}",
            "postcode": "NS1 2AB",
            "safe_call": True,
            "consent_to_contact": True,
            "crime_reference": f"NP/{n:05d}/26",
        },
        by=cast["pete"],
        referring_organisation=orgs["police"],
    )
    return case


def add_justice(case: Case, suspect: Suspect, orgs: dict[str, Any], cast: dict[str, Any]) -> None:
    """Consent to share with police, a report recorded as harassment, and an SPO in force."""
    today = timezone.localdate()
    alice = cast["alice"]
    evidence.record_police_consent(case, state="given", how="in_person", decided_on=today, by=alice)
    journey = justice.start_journey(
        case, by=alice, force=orgs["police"], reported_on=today, suspect=suspect
    )
    justice.record_milestone(
        journey, by=alice, kind="recorded", on=today, recorded_as="s2_harassment"
    )
    justice.record_milestone(journey, by=alice, kind="charged", on=today, offence="s.2")
    justice.record_milestone(
        journey, by=alice, kind="hearing", on=today + datetime.timedelta(days=7)
    )
    order = justice.record_order(
        case,
        by=alice,
        kind="spo",
        step="made",
        on=today,
        suspect=suspect,
        force=orgs["police"],
        expires_on=today.replace(year=today.year + 3),
    )
    justice.add_condition(order, by=alice, kind="no_contact")
    justice.record_notification_event(order, by=alice, event="service", event_on=today)
    justice.record_breach(order, by=alice, occurred_on=today)


def queries(get: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = get()
    assert response.status_code == 200
    return statements(captured)


# (who, url ({case} is the first case, {alice} Alice's id), the exact number of queries)
PAGES: list[tuple[str, str, int]] = [
    ("alice", "/home/", 11),
    ("mia", "/home/", 13),
    ("alice", "/home/?all=reminders", 11),
    ("mia", "/home/?all=actions", 13),
    ("alice", "/cases/", 13),
    ("alice", "/cases/?show=unallocated", 9),
    ("alice", "/cases/?show=open", 13),
    ("alice", "/cases/?show=closed", 9),
    ("alice", "/cases/?show=all", 13),
    ("mia", "/cases/", 16),
    ("mia", "/cases/?show=all", 16),
    ("mia", "/cases/?show=closed", 12),
    ("mia", "/cases/?show=open&advocate={alice}", 16),
    ("alice", "/referrals/", 12),
    ("alice", "/referrals/?show=closed", 9),
    ("pete", "/referrals/sent/", 11),
    ("alice", "/cases/{case}/", CASE_PAGE_QUERIES),
    ("alice", "/cases/{case}/contacts/", 11),
    ("mia", "/cases/{case}/access-log/", 12),
    ("alice", "/evidence/cases/{case}/diary/", 11),
    ("alice", "/evidence/cases/{case}/pattern/", 10),
    ("alice", "/evidence/cases/{case}/files/", 10),
    ("pete", "/justice/police/", 16),
    ("pete", "/justice/police/spo-pipeline/", 11),
    ("pete", "/justice/police/under-recording/", 11),
    ("pete", "/justice/police/cases/{case}/", 18),
]


@pytest.mark.parametrize(("who", "where", "expected"), PAGES)
@pytest.mark.usefixtures("steady_session")
def test_each_list_costs_the_same_at_two_sizes(
    as_user: Callable[[str], Any],
    orgs: dict[str, Any],
    cast: dict[str, Any],
    who: str,
    where: str,
    expected: int,
) -> None:
    first = add_unit(orgs, cast, 0)
    evidence.log_incident(first, by=cast["alice"], data=entry())
    url = where.format(case=first.public_id, alice=cast["alice"].pk)
    client = as_user(who)
    client.get(url)  # warm: sessions, instruments, content types
    small = queries(lambda: client.get(url))
    for n in range(1, 11):
        add_unit(orgs, cast, n)
        evidence.log_incident(first, by=cast["alice"], data=entry(behaviours=["messages"]))
    client.get(url)  # warm again: a figure kept in the cache is worked out anew for the new data
    large = queries(lambda: client.get(url))
    assert (small, large) == (expected, expected)
