"""Safe times are read as days and windows, stored in one canonical form, and a contact outside them
can be told apart from one inside."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbour.core.safetimes import SafeTimesError, allows, canonical, parse

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("weekdays 10:00-14:00", "weekdays 10:00-14:00"),
        ("Weekdays 10am to 2pm", "weekdays 10:00-14:00"),
        ("After 6pm", "every day 18:00-23:59"),
        ("Mon-Thu 9.30-12; Sat after 10am", "Mon-Thu 09:30-12:00\nSat 10:00-23:59"),
        ("Mon, Wed, Fri before 3pm", "Mon, Wed, Fri 00:00-15:00"),
        ("any time", "every day 00:00-23:59"),
        ("", ""),
    ],
)
def test_common_ways_of_writing_safe_times_are_read(written: str, stored: str) -> None:
    assert canonical(written) == stored
    assert canonical(stored) == stored  # the stored form reads back as itself


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("sunday 25:00-26:00", "25:00 is not a time"),
        ("blah", "write the times as 10:00-14:00"),
        ("Fri-Mon 10:00-12:00", "is not a range of days"),
        ("weekdays 14:00-10:00", "must end after it starts"),
        ("Mon 10:00-12:00; Funday 9-10", '"Funday 9-10"'),
    ],
)
def test_unreadable_safe_times_are_refused_naming_the_part(written: str, problem: str) -> None:
    with pytest.raises(SafeTimesError, match=problem):
        parse(written)


def test_a_moment_is_inside_or_outside_the_windows() -> None:
    windows = parse("weekdays 10:00-14:00")
    assert allows(windows, datetime(2026, 12, 1, 10, 0, tzinfo=LONDON))  # a Tuesday
    assert allows(windows, datetime(2026, 12, 1, 14, 0, tzinfo=LONDON))
    assert not allows(windows, datetime(2026, 12, 1, 14, 1, tzinfo=LONDON))
    assert not allows(windows, datetime(2026, 12, 5, 11, 0, tzinfo=LONDON))  # a Saturday
    assert allows(
        (), datetime(2026, 12, 5, 3, 0, tzinfo=LONDON)
    )  # nothing recorded: no restriction


@given(
    day=st.integers(0, 6),
    start=st.integers(0, 22 * 60),
    length=st.integers(1, 60),
    probe=st.integers(0, 23 * 60 + 59),
)
def test_a_window_allows_exactly_its_own_minutes(
    day: int, start: int, length: int, probe: int
) -> None:
    end = min(start + length, 23 * 60 + 59)
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    text = f"{names[day]} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"
    windows = parse(text)
    monday = datetime(
        2026, 11, 30, probe // 60, probe % 60, tzinfo=LONDON
    )  # 30 November 2026 is a Monday
    moment = monday + timedelta(days=day)
    assert allows(windows, moment) == (start <= probe <= end)
