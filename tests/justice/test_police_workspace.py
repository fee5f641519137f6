"""The police stalking coordinator's workspace shows only what the victim consented to share, and
only for the coordinator's own force; withdrawing consent removes it. Possible under-recording is
found from the diary and counted by month."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.justice import services
from harbour.justice.models import RecordingReview
from tests.conftest import page_of, signed_in_client
from tests.justice.conftest import consent, full_spo, harassment_journey

pytestmark = pytest.mark.django_db

PAGES = [
    ("/justice/police/spo-pipeline/", "SPO pipeline"),
    ("/justice/police/under-recording/", "Possible under-recording"),
]


@pytest.fixture
def shared_case(case_a, cast, orgs):
    """Case A with a harassment-recorded report, two diary entries and an SPO, all for Pete's force."""
    harassment_journey(case_a, cast["alice"], orgs["police"])
    full_spo(case_a, cast["alice"], orgs["police"])
    return case_a


def test_nothing_unconsented_appears_in_the_workspace(shared_case, as_user):
    pete = as_user("pete")
    for url, title in PAGES:
        assert shared_case.reference not in page_of(pete.get(url), title)
    assert pete.get(f"/justice/police/cases/{shared_case.public_id}/").status_code == 404


def test_a_refused_consent_shows_nothing_either(shared_case, cast, as_user):
    consent(shared_case, cast["alice"], "refused")
    for url, title in PAGES:
        assert shared_case.reference not in page_of(as_user("pete").get(url), title)


def test_with_consent_the_case_appears_with_its_spo_and_possible_under_recording(
    shared_case, cast, as_user
):
    consent(shared_case, cast["alice"])
    pete = as_user("pete")
    for url, title in PAGES:
        assert shared_case.reference in page_of(pete.get(url), title)
    page = page_of(
        pete.get(f"/justice/police/cases/{shared_case.public_id}/"), f"Case {shared_case.reference}"
    )
    assert "Harassment (s.2)" in page and "Possibly under-recorded" in page
    assert "s.2A(3)(b) contacting" in page  # the course-of-conduct summary
    assert "He rang from a withheld number" not in page  # never the diary's words
    workspace = page_of(pete.get("/justice/police/"), "Stalking workspace")
    assert "/referrals/sent/" in workspace


def test_withdrawing_consent_removes_the_case_from_the_workspace(shared_case, cast, as_user):
    consent(shared_case, cast["alice"])
    consent(shared_case, cast["alice"], "withdrawn")
    pete = as_user("pete")
    for url, title in PAGES:
        assert shared_case.reference not in page_of(pete.get(url), title)
    assert pete.get(f"/justice/police/cases/{shared_case.public_id}/").status_code == 404


def test_another_forces_coordinator_sees_nothing_of_it(shared_case, cast, as_user):
    consent(shared_case, cast["alice"])
    other = Organisation.objects.create(name="Eastshire Police", kind="police_force")
    erin = User.objects.create(username="erin", organisation=other, role="police_coordinator")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=erin, name="app", confirmed=True)
    client = signed_in_client(erin)
    for url, title in PAGES:
        assert shared_case.reference not in page_of(client.get(url), title)
    assert client.get(f"/justice/police/cases/{shared_case.public_id}/").status_code == 404


def test_a_crime_recorded_as_stalking_is_not_flagged(case_a, cast, orgs):
    journey = harassment_journey(case_a, cast["alice"], orgs["police"])
    assert services.possibly_under_recorded(services.Journey.unscoped.all())
    services.record_milestone(
        journey,
        by=cast["alice"],
        kind="recorded",
        on=timezone.localdate(),
        recorded_as="s2a_stalking",
    )
    assert services.possibly_under_recorded(services.Journey.unscoped.all()) == []


def test_one_diary_entry_is_not_a_course_of_conduct(case_a, cast, orgs):
    harassment_journey(case_a, cast["alice"], orgs["police"], diary_entries=1)
    assert services.possibly_under_recorded(services.Journey.unscoped.all()) == []


def test_the_monthly_count_for_reporting_counts_by_month_reported(case_a, cast, orgs):
    journey = harassment_journey(case_a, cast["alice"], orgs["police"])
    month = journey.reported_on.replace(day=1)
    before = (month - datetime.timedelta(days=1)).replace(day=1)
    counts = services.under_recorded_by_month(
        start=before, end=journey.reported_on, force=orgs["police"]
    )
    assert counts == {before: 0, month: 1}
    other = Organisation.objects.create(name="Eastshire Police", kind="police_force")
    assert services.under_recorded_by_month(start=month, end=month, force=other) == {month: 0}


def test_the_coordinator_asks_for_a_review_and_the_advocate_sees_it(shared_case, cast, as_user):
    consent(shared_case, cast["alice"])
    journey = services.Journey.unscoped.get(case=shared_case)
    response = as_user("pete").post(f"/justice/police/journeys/{journey.public_id}/review/")
    assert response.status_code == 302
    assert RecordingReview.unscoped.filter(journey=journey, requested_by=cast["pete"]).exists()
    page = as_user("alice").get(f"/justice/journeys/{journey.public_id}/").content.decode()
    assert "asked for the crime recording to be reviewed" in page


def test_the_coordinator_cannot_ask_for_a_review_without_consent(shared_case, as_user):
    journey = services.Journey.unscoped.get(case=shared_case)
    response = as_user("pete").post(f"/justice/police/journeys/{journey.public_id}/review/")
    assert response.status_code == 404
    assert not RecordingReview.unscoped.exists()
