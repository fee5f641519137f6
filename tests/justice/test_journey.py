"""The criminal-justice journey: named milestones with dates and history, court dates on the
advocate's home page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from harbour.justice import services
from harbour.justice.models import Journey, JourneyMilestone
from harbour.justice.rules import RuleError
from tests.conftest import page_of

pytestmark = pytest.mark.django_db


def test_a_journey_records_report_recording_charge_and_trial_and_keeps_each_as_history(
    case_a, cast, orgs, suspect
):
    alice, today = cast["alice"], timezone.localdate()
    journey = services.start_journey(
        case_a,
        by=alice,
        force=orgs["police"],
        reported_on=today - datetime.timedelta(days=40),
        suspect=suspect,
        crime_reference="NP/12345/26",
    )
    services.record_milestone(
        journey,
        by=alice,
        kind="recorded",
        on=today - datetime.timedelta(days=39),
        recorded_as="s4a_stalking",
    )
    services.record_milestone(
        journey, by=alice, kind="charged", on=today - datetime.timedelta(days=10), offence="s.4A"
    )
    trial = today + datetime.timedelta(days=12)
    services.record_milestone(
        journey, by=alice, kind="trial_date", on=trial, court="Northshire Crown Court"
    )
    journey.refresh_from_db()
    assert journey.recorded_as == "s4a_stalking"
    assert journey.next_court_on == trial
    assert journey.crime_reference == "NP/12345/26"
    kinds = list(JourneyMilestone.unscoped.filter(journey=journey).values_list("kind", flat=True))
    assert kinds == ["reported", "recorded", "charged", "trial_date"]


def test_a_charge_before_the_report_is_impossible_and_a_sentence_needs_a_conviction(
    case_a, cast, orgs
):
    alice, today = cast["alice"], timezone.localdate()
    journey = services.start_journey(case_a, by=alice, force=orgs["police"], reported_on=today)
    services.record_milestone(journey, by=alice, kind="charged", on=today)
    services.record_milestone(journey, by=alice, kind="outcome", on=today, outcome="acquitted")
    with pytest.raises(RuleError, match="conviction"):
        services.record_milestone(journey, by=alice, kind="sentence", on=today)
    journey.refresh_from_db()
    assert journey.stage == "Acquitted"
    assert JourneyMilestone.unscoped.filter(journey=journey).count() == 3


def test_one_journey_per_case_and_suspect(case_a, cast, orgs, suspect):
    today = timezone.localdate()
    services.start_journey(
        case_a, by=cast["alice"], force=orgs["police"], reported_on=today, suspect=suspect
    )
    with pytest.raises(RuleError, match="already has a journey"):
        services.start_journey(
            case_a, by=cast["alice"], force=orgs["police"], reported_on=today, suspect=suspect
        )
    assert Journey.unscoped.count() == 1


def test_a_journey_must_name_a_police_force(case_a, cast, orgs):
    with pytest.raises(RuleError, match="police force"):
        services.start_journey(
            case_a, by=cast["alice"], force=orgs["provider_b"], reported_on=timezone.localdate()
        )


def test_court_dates_in_the_next_four_weeks_are_on_the_advocates_home_page(
    case_a, cast, orgs, as_user
):
    alice, today = cast["alice"], timezone.localdate()
    journey = services.start_journey(case_a, by=alice, force=orgs["police"], reported_on=today)
    services.record_milestone(journey, by=alice, kind="charged", on=today)
    services.record_milestone(
        journey, by=alice, kind="hearing", on=today + datetime.timedelta(days=5)
    )
    page = page_of(as_user("alice").get("/home/"), "Home")
    assert "Court dates in the next 4 weeks" in page and case_a.reference in page
    amir = page_of(as_user("amir").get("/home/"), "Home")
    assert case_a.reference not in amir


def test_the_milestone_form_shows_a_refusal_in_words(case_a, cast, orgs, as_user):
    journey = services.start_journey(
        case_a, by=cast["alice"], force=orgs["police"], reported_on=timezone.localdate()
    )
    response = as_user("alice").post(
        f"/justice/journeys/{journey.public_id}/milestones/new/",
        {"kind": "trial_date", "on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert "there is no charge yet" in response.content.decode()


@pytest.mark.parametrize(("days", "shown"), [(-3, False), (0, True), (28, True), (40, False)])
def test_only_court_dates_in_the_coming_four_weeks_are_on_the_home_page(
    case_a, cast, orgs, as_user, days, shown
):
    alice, today = cast["alice"], timezone.localdate()
    journey = services.start_journey(
        case_a, by=alice, force=orgs["police"], reported_on=today - datetime.timedelta(days=30)
    )
    services.record_milestone(
        journey, by=alice, kind="charged", on=today - datetime.timedelta(days=20)
    )
    Journey.unscoped.filter(pk=journey.pk).update(
        next_court_on=today + datetime.timedelta(days=days)
    )
    page = page_of(as_user("alice").get("/home/"), "Home")
    assert (case_a.reference in page) is shown
    assert ("No court dates in the next 4 weeks" in page) is not shown


def test_a_restricted_case_the_advocate_is_not_named_on_gives_no_court_date(
    case_a, cast, orgs, as_user
):
    alice, today = cast["alice"], timezone.localdate()
    journey = services.start_journey(case_a, by=alice, force=orgs["police"], reported_on=today)
    Journey.unscoped.filter(pk=journey.pk).update(next_court_on=today)
    case_a.restricted = True
    case_a.save(update_fields=["restricted"])
    case_a.named_users.set([cast["mia"]])
    assert case_a.reference not in page_of(as_user("alice").get("/home/"), "Home")
    case_a.named_users.add(alice)
    assert case_a.reference in page_of(as_user("alice").get("/home/"), "Home")
