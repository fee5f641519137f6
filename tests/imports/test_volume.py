"""Volume of contact: per day, at night, bursts, and weeks when the period is long."""

from __future__ import annotations

import datetime as dt

from harbour.imports.volume import volume, volume_svg


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    start = dt.datetime(2026, 3, day, hour)  # noqa: DTZ001 - local wall-clock times
    return start + dt.timedelta(minutes=minute)


def test_days_nights_and_the_busiest_day_are_counted() -> None:
    v = volume([at(1, 9), at(1, 23), at(3, 2), at(3, 12), at(3, 13)])
    assert [(b.start.day, b.total, b.night) for b in v.buckets] == [(1, 2, 1), (2, 0, 0), (3, 3, 1)]
    assert (v.total, v.night, v.active_days, v.per) == (5, 2, 2, "day")
    assert v.peak is not None and v.peak.start == dt.date(2026, 3, 3)


def test_ten_messages_each_within_ten_minutes_of_the_last_are_a_burst() -> None:
    burst = [at(5, 22, m * 3) for m in range(12)]  # 22:00 to 22:33
    v = volume([at(5, 8), *burst, at(5, 23, 50)])
    assert [(b.start, b.end, b.count) for b in v.bursts] == [(at(5, 22), at(5, 22, 33), 12)]
    assert volume([at(5, 22, m * 11) for m in range(12)]).bursts == []  # gaps of 11 minutes


def test_a_long_period_is_shown_per_week() -> None:
    v = volume([dt.datetime(2026, 1, 5, 9), dt.datetime(2026, 6, 1, 9)])  # noqa: DTZ001
    assert v.per == "week" and v.buckets[0].start == dt.date(2026, 1, 5)
    assert sum(b.total for b in v.buckets) == 2


def test_the_chart_has_a_title_a_description_and_every_total_printed() -> None:
    svg = volume_svg(volume([at(1, 9), at(1, 23), at(2, 10)]), title="Contact", svg_id="v")
    assert 'role="img"' in svg and 'aria-labelledby="v-title v-desc"' in svg
    assert "3 messages and calls, 1 at night" in svg
    assert ">2</text>" in svg and ">1</text>" in svg
    assert "style=" not in svg  # presentation attributes only (the CSP forbids inline styles)
