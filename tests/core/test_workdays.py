from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbour.core.workdays import (
    UK_TZ,
    add_working_days,
    bank_holidays,
    is_working_day,
    uk_local_date,
    victims_code_deadline,
    working_days_between,
)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=UTC)


# --- bank holidays -----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2026, 1, 1), "New Year's Day"),
        (date(2026, 4, 3), "Good Friday"),
        (date(2026, 4, 6), "Easter Monday"),
        (date(2026, 5, 4), "early May bank holiday"),
        (date(2026, 5, 25), "spring bank holiday"),
        (date(2026, 8, 31), "summer bank holiday"),
        (date(2026, 12, 25), "Christmas Day (Friday)"),
        (date(2026, 12, 28), "substitute for Boxing Day (Saturday)"),
        (date(2027, 3, 26), "Good Friday 2027"),
        (date(2027, 3, 29), "Easter Monday 2027"),
        (date(2027, 12, 27), "substitute for Christmas Day (Saturday)"),
        (date(2027, 12, 28), "substitute for Boxing Day (Sunday)"),
        (date(2022, 1, 3), "substitute for New Year's Day (Saturday)"),
        (date(2022, 9, 19), "State Funeral of Queen Elizabeth II"),
        (date(2023, 5, 8), "Coronation of Charles III"),
        (date(2020, 5, 8), "early May bank holiday moved for VE Day"),
    ],
)
def test_bank_holiday_is_not_a_working_day(day: date, why: str) -> None:
    assert day in bank_holidays(day.year), why
    assert not is_working_day(day), why


@pytest.mark.parametrize(
    "day",
    [
        date(2020, 5, 4),  # usual early May Monday, moved in 2020
        date(2026, 12, 29),  # Tuesday after the Boxing Day substitute
        date(2026, 3, 17),  # St Patrick's Day: Northern Ireland only
        date(2026, 11, 30),  # St Andrew's Day: Scotland only
        date(2026, 1, 2),  # 2 January: Scotland only
        date(2026, 8, 3),  # first Monday in August: Scotland only
    ],
)
def test_ordinary_weekday_is_a_working_day(day: date) -> None:
    assert is_working_day(day)


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 6, 6))  # Saturday
    assert not is_working_day(date(2026, 6, 7))  # Sunday
    assert is_working_day(date(2026, 6, 8))  # Monday


def test_bank_holidays_accepts_several_years_and_caches_per_year() -> None:
    both = bank_holidays([2026, 2027])
    assert both == bank_holidays(2026) | bank_holidays(2027)
    assert bank_holidays(2026) is bank_holidays(2026)
    assert all(d.year == 2026 for d in bank_holidays(2026))
    assert len(bank_holidays(2026)) == 9


# --- local dates --------------------------------------------------------------


def test_late_evening_utc_in_summer_is_the_next_uk_date() -> None:
    # 23:30 UTC on 4 June 2026 is 00:30 BST on Friday 5 June.
    assert uk_local_date(utc(2026, 6, 4, 23, 30)) == date(2026, 6, 5)


def test_late_evening_utc_in_winter_is_the_same_uk_date() -> None:
    assert uk_local_date(utc(2026, 1, 15, 23, 30)) == date(2026, 1, 15)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        uk_local_date(datetime(2026, 1, 15, 12, 0))  # noqa: DTZ001


# --- working days between ------------------------------------------------------


def test_friday_afternoon_to_tuesday_over_a_bank_holiday_monday_is_one_day() -> None:
    # Friday 22 May 2026, Monday 25 May is the spring bank holiday.
    received = utc(2026, 5, 22, 15, 0)
    contacted = utc(2026, 5, 26, 9, 0)
    assert working_days_between(received, contacted) == 1


def test_saturday_receipt_counts_from_the_next_working_day() -> None:
    received = utc(2026, 6, 6, 10, 0)  # Saturday
    assert working_days_between(received, utc(2026, 6, 7, 10, 0)) == 0  # Sunday
    assert working_days_between(received, utc(2026, 6, 8, 9, 0)) == 1  # Monday
    assert working_days_between(received, utc(2026, 6, 9, 9, 0)) == 2  # Tuesday


def test_contact_on_the_day_of_receipt_is_zero_days() -> None:
    assert working_days_between(utc(2026, 6, 8, 9), utc(2026, 6, 8, 17)) == 0


def test_working_days_between_accepts_plain_dates() -> None:
    assert working_days_between(date(2026, 6, 8), date(2026, 6, 15)) == 5


def test_working_days_between_is_negative_when_end_is_before_start() -> None:
    assert working_days_between(date(2026, 6, 15), date(2026, 6, 8)) == -5


def test_working_days_over_christmas_2026() -> None:
    # Thu 24 Dec -> Tue 29 Dec: 25 (hol), 26-27 (weekend), 28 (substitute).
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1


def test_working_days_over_easter_2027() -> None:
    # Thu 25 Mar -> Wed 31 Mar: Good Friday 26, weekend, Easter Monday 29.
    assert working_days_between(date(2027, 3, 25), date(2027, 3, 31)) == 2


# --- add working days -----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 6, 8), 1, date(2026, 6, 9)),
        (date(2026, 6, 5), 1, date(2026, 6, 8)),  # Friday -> Monday
        (date(2026, 6, 6), 1, date(2026, 6, 8)),  # Saturday -> Monday
        (date(2026, 6, 6), 0, date(2026, 6, 8)),  # first working day on/after
        (date(2026, 6, 8), 0, date(2026, 6, 8)),
        (date(2026, 5, 22), 1, date(2026, 5, 26)),  # over spring bank holiday
        (date(2026, 12, 24), 2, date(2026, 12, 30)),
        (date(2026, 6, 8), -1, date(2026, 6, 5)),
        (date(2026, 5, 26), -1, date(2026, 5, 22)),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected


# --- Victims' Code deadline -----------------------------------------------------


def test_deadline_is_end_of_second_working_day_in_uk_time() -> None:
    # Monday 8 June 2026 (BST): due by the end of Wednesday 10 June UK time,
    # which is 22:59:59.999999 UTC.
    deadline = victims_code_deadline(utc(2026, 6, 8, 10, 0))
    assert deadline.tzinfo is UTC
    local = deadline.astimezone(UK_TZ)
    assert local.date() == date(2026, 6, 10)
    assert (local.hour, local.minute, local.second) == (23, 59, 59)
    assert deadline == utc(2026, 6, 10, 22, 59, 59, 999999)


def test_deadline_in_winter_is_midnight_utc() -> None:
    assert victims_code_deadline(utc(2026, 1, 12, 10, 0)) == utc(2026, 1, 14, 23, 59, 59, 999999)


def test_referral_at_2330_utc_on_a_bst_date_belongs_to_the_next_uk_date() -> None:
    # 23:30 UTC Thursday 4 June 2026 is 00:30 BST Friday 5 June: due Tuesday.
    late = victims_code_deadline(utc(2026, 6, 4, 23, 30))
    assert late.astimezone(UK_TZ).date() == date(2026, 6, 9)
    # An hour earlier it is still Thursday in the UK: due Monday.
    early = victims_code_deadline(utc(2026, 6, 4, 22, 30))
    assert early.astimezone(UK_TZ).date() == date(2026, 6, 8)


def test_deadline_across_the_clocks_going_back() -> None:
    # Friday 23 Oct 2026 (BST); clocks go back Sunday 25 Oct; due Tuesday 27
    # Oct, by then GMT, so the deadline is 23:59:59.999999 UTC.
    assert victims_code_deadline(utc(2026, 10, 23, 12)) == utc(2026, 10, 27, 23, 59, 59, 999999)


def test_deadline_across_the_clocks_going_forward() -> None:
    # Friday 27 Mar 2026 (GMT); clocks go forward Sunday 29 Mar; due Tuesday
    # 31 Mar in BST, which is 22:59:59.999999 UTC.
    assert victims_code_deadline(utc(2026, 3, 27, 12)) == utc(2026, 3, 31, 22, 59, 59, 999999)


def test_deadline_over_friday_and_bank_holiday_monday() -> None:
    deadline = victims_code_deadline(utc(2026, 5, 22, 15, 0))
    assert deadline.astimezone(UK_TZ).date() == date(2026, 5, 27)


def test_deadline_refuses_naive_datetime() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        victims_code_deadline(datetime(2026, 6, 8, 10, 0))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("contacted", "within"),
    [
        (utc(2026, 5, 27, 22, 59, 59), True),  # 23:59:59 BST Wednesday
        (utc(2026, 5, 27, 23, 0, 0), False),  # 00:00 BST Thursday
    ],
)
def test_deadline_agrees_with_working_days_between(contacted: datetime, within: bool) -> None:
    received = utc(2026, 5, 22, 15, 0)
    assert (contacted <= victims_code_deadline(received)) is within
    assert (working_days_between(received, contacted) <= 2) is within


# --- properties -----------------------------------------------------------------

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
working_dates = dates.filter(is_working_day)
instants = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=datetime(2090, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@given(start=dates, n=st.integers(min_value=-60, max_value=60))
def test_add_working_days_always_lands_on_a_working_day(start: date, n: int) -> None:
    assert is_working_day(add_working_days(start, n))


@given(start=working_dates, n=st.integers(min_value=-60, max_value=60))
def test_working_days_between_inverts_add_working_days(start: date, n: int) -> None:
    assert working_days_between(start, add_working_days(start, n)) == n


@given(start=dates, n=st.integers(min_value=1, max_value=60))
def test_inverse_holds_for_any_start_when_n_is_positive(start: date, n: int) -> None:
    assert working_days_between(start, add_working_days(start, n)) == n


@given(received=instants, delay=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)))
def test_deadline_agrees_with_the_count_for_contact_on_working_days(
    received: datetime, delay: timedelta
) -> None:
    contacted = received + delay
    met = contacted <= victims_code_deadline(received)
    elapsed = working_days_between(received, contacted)
    if met:
        assert elapsed <= 2
    if is_working_day(uk_local_date(contacted)):
        assert met == (elapsed <= 2)


def test_weekend_contact_after_the_due_friday_is_late_though_the_count_is_two() -> None:
    received = utc(2026, 6, 10, 12)  # Wednesday: due end of Friday 12 June
    contacted = utc(2026, 6, 13, 12)  # Saturday
    assert working_days_between(received, contacted) == 2
    assert contacted > victims_code_deadline(received)
