"""Two clocks: the Victims' Code (police refer within 2 working days of the report) and the
service's own target for a first contact attempt (2 working days from receipt by default)."""

import datetime as dt
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from harbour.referrals.models import Referral

pytestmark = pytest.mark.django_db


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_due_date_skips_the_weekend_and_a_bank_holiday(make_referral):
    # Friday 22 May 2026; Monday 25 May is the spring bank holiday.
    fresh = make_referral(received_at=_at(2026, 5, 22, 13, 0))
    assert timezone.localtime(fresh.due_by).date().isoformat() == "2026-05-27"
    assert not fresh.is_overdue(now=_at(2026, 5, 27, 22, 0))  # 23:00 BST, still Wednesday
    assert fresh.is_overdue(now=_at(2026, 5, 27, 23, 30))  # 00:30 BST Thursday


def test_due_date_over_christmas_counts_the_boxing_day_substitute(make_referral):
    # Friday 25 Dec and Monday 28 Dec (Boxing Day falls on a Saturday) are bank holidays.
    fresh = make_referral(Referral.Source.POLICE, received_at=_at(2026, 12, 24, 10, 0))
    assert timezone.localtime(fresh.due_by).date().isoformat() == "2026-12-30"


def test_first_contact_within_two_working_days_meets_the_services_target():
    referral = Referral(received_at=_at(2026, 5, 22, 13, 0), source="self")
    referral.save()
    referral.first_contact_at = _at(2026, 5, 26, 9, 0)
    assert referral.working_days_to_first_contact == 1
    assert referral.met_contact_target is True
    # The Victims' Code measures the police, not the service: it does not apply to a self-referral.
    assert referral.met_victims_code is None
    assert not referral.is_overdue(now=_at(2026, 6, 30, 9, 0))


def test_late_first_contact_is_counted_as_late():
    referral = Referral(received_at=_at(2026, 5, 22, 13, 0), source="self")
    referral.save()
    referral.first_contact_at = _at(2026, 5, 28, 9, 0)
    assert referral.working_days_to_first_contact == 3
    assert referral.met_contact_target is False


def test_a_closed_referral_is_not_flagged_overdue(make_referral, cast):
    from harbour.referrals import services

    referral = make_referral()
    services.signpost(referral, to="Helpline", by=cast["alice"])
    assert not referral.is_overdue(now=_at(2099, 1, 1, 0, 0))


def test_due_today_on_the_last_working_day_only(make_referral):
    # Received Friday 22 May 2026 (Monday 25 May a bank holiday): due by the end of Wednesday 27.
    referral = make_referral(received_at=_at(2026, 5, 22, 13, 0))
    assert not referral.is_due_today(now=_at(2026, 5, 26, 9, 0))
    assert referral.is_due_today(now=_at(2026, 5, 27, 9, 0))
    assert not referral.is_due_today(now=_at(2026, 5, 28, 9, 0))  # overdue by then


def test_the_victims_code_clock_runs_from_the_report_to_police_to_the_referral():
    # Reported on Thursday 21 May; Monday 25 May 2026 is a bank holiday.
    on_time = Referral(
        source="police", received_at=_at(2026, 5, 26, 9, 0), crime_reported_on=dt.date(2026, 5, 21)
    )
    assert on_time.police_working_days == 2
    assert on_time.met_victims_code is True
    late = Referral(
        source="police", received_at=_at(2026, 5, 27, 9, 0), crime_reported_on=dt.date(2026, 5, 21)
    )
    assert late.police_working_days == 3
    assert late.met_victims_code is False
    unknown = Referral(source="police", received_at=_at(2026, 5, 27, 9, 0))
    assert unknown.met_victims_code is None


def test_the_services_target_is_configurable_and_separate(settings):
    settings.HARBOUR_FIRST_CONTACT_WORKING_DAYS = 1
    referral = Referral(received_at=_at(2026, 5, 22, 13, 0), source="police")
    referral.save()
    assert timezone.localtime(referral.due_by).date() == dt.date(2026, 5, 26)


def test_the_forces_cached_figure_changes_as_soon_as_a_referral_arrives_or_is_erased(
    make_referral, cast
):
    from harbour.referrals.reporting import victims_code_by_month, victims_code_by_month_cached

    def figure():
        referrals = Referral.objects.for_user(cast["pete"])
        return victims_code_by_month_cached(referrals, scope="test"), victims_code_by_month(
            referrals
        )

    make_referral(Referral.Source.POLICE, crime_reported_on=timezone.localdate())
    cached, fresh = figure()
    assert cached == fresh and sum(row.referrals for row in cached) == 1
    assert figure()[0] == cached  # the same referrals: the kept figure

    newest = make_referral(
        Referral.Source.POLICE,
        crime_reported_on=timezone.localdate() - dt.timedelta(days=20),
    )
    cached, fresh = figure()
    assert cached == fresh and sum(row.referrals for row in cached) == 2
    assert sum(row.late for row in cached) == 1

    Referral.unscoped.filter(pk=newest.pk).delete()
    cached, fresh = figure()
    assert cached == fresh and sum(row.referrals for row in cached) == 1
