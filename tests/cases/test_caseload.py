"""The caseload and case pages: risk band, last contact, next action, in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from harbour.cases import services
from harbour.cases.models import ContactPreference
from harbour.risk import services as risk
from harbour.risk.models import InstrumentVersion
from tests.conftest import assert_query_count, page_of
from tests.factories import OpenCaseFactory, SupportActionFactory, SuspectFactory


def busy_case(orgs, cast, n):
    case = OpenCaseFactory(
        organisation=orgs["provider_a"], by=cast["mia"], allocated_to=cast["alice"]
    )
    services.record_contact(case, by=cast["alice"], method="phone", direction="in")
    SupportActionFactory(case=case, owner=cast["alice"], area="housing", due_in_days=n)
    risk.ensure_shipped_instruments()
    version = InstrumentVersion.objects.get(slug="harbour-stalking-risk")
    risk.record_assessment(
        case,
        instrument_version=version,
        answers={"threats_to_kill": "yes", "victim_fear": "yes"},
        by=cast["alice"],
    )
    ContactPreference.unscoped.create(case=case, channel="call", safe=True)
    suspect = SuspectFactory(case=case)
    services.set_suspect_identifiers(suspect, {"phone": ["07911 123456"]})
    return case


def test_caseload_shows_band_last_contact_and_next_action(as_user, orgs, cast):
    busy_case(orgs, cast, 3)
    page = page_of(as_user("alice").get("/cases/"), "Cases")
    assert "harbour-badge--risk-" in page
    assert "None yet" not in page
    expected = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%-d %b %Y")
    assert expected in page


#: Queries for the case page, whatever the case holds: session, user with their organisation, and
#: device (3); the case (1); one per section of the page (13; the emergency-grant check only for an
#: advocate viewing a case not allocated to them, so not here); the audit row with its chain head in a
#: savepoint (5); the consent to share with police, its orders and its criminal-justice journeys
#: (3). Nothing more: whether the advocate may edit is known from the case's own access check, and
#: the session is written back only when its activity stamp is due.
CASE_PAGE_QUERIES = 25


@pytest.mark.usefixtures("steady_session")
def test_case_page_query_count_is_fixed(as_user, orgs, cast):
    case = busy_case(orgs, cast, 1)
    client = as_user("alice")
    client.get(f"/cases/{case.public_id}/")
    with assert_query_count(CASE_PAGE_QUERIES):
        first = client.get(f"/cases/{case.public_id}/")
    for _ in range(5):
        services.record_contact(case, by=cast["alice"], method="phone", direction="in")
        s = SuspectFactory(case=case, names="More")
        services.set_suspect_identifiers(s, {"email": ["a@b.c"], "handle": ["@x"]})
        SupportActionFactory(case=case, owner=cast["amir"], area="finance")
    with assert_query_count(CASE_PAGE_QUERIES):
        second = client.get(f"/cases/{case.public_id}/")
    assert first.status_code == second.status_code == 200


def test_advocate_caseload_lists_only_their_cases_by_default(as_user, case_a, cast, orgs):
    OpenCaseFactory(
        organisation=orgs["provider_a"],
        by=cast["mia"],
        allocated_to=cast["amir"],
        given_name="Amirs",
    )
    page = page_of(as_user("alice").get("/cases/"), "Cases")
    assert case_a.reference in page and "Amirs" not in page
    assert "Amirs" in as_user("mia").get("/cases/").content.decode()


def test_a_manager_can_see_one_advocates_caseload_and_allocate_from_it(as_user, case_a, cast, orgs):
    OpenCaseFactory(
        organisation=orgs["provider_a"],
        by=cast["mia"],
        allocated_to=cast["amir"],
        given_name="Amirs",
    )
    page = page_of(as_user("mia").get(f"/cases/?show=open&advocate={cast['alice'].pk}"), "Cases")
    assert case_a.reference in page and "Amirs" not in page
    assert f"/cases/{case_a.public_id}/allocate/" in page
    assert "/allocate/" not in page_of(as_user("alice").get("/cases/"), "Cases")


def test_home_page_query_count_does_not_grow_with_the_caseload(
    as_user, orgs, cast, django_assert_max_num_queries
):
    from django.urls import reverse

    client = as_user("alice")
    busy_case(orgs, cast, -1)
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(20):
        client.get(reverse("core:home"))
    for n in range(-6, -1):
        busy_case(orgs, cast, n)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("core:home")).content.decode()
    assert page.count("Overdue") == 6
