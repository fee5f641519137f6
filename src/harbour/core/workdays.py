"""Working-day arithmetic for the Victims' Code in England and Wales.

Pure functions over :class:`datetime.date` and aware :class:`datetime.datetime`
values; no Django imports.

Definitions
-----------

*Working day*
    A UK local date (Europe/London) that is Monday to Friday and is not an
    England and Wales bank holiday. Bank holidays, including substitute days
    ("Boxing Day (observed)") and one-off days such as the 2022 State Funeral,
    come from the ``holidays`` library (``country_holidays("GB", subdiv="ENG")``),
    so a new one-off bank holiday needs a ``holidays`` release that knows it.

*Local date*
    Datetimes must be timezone-aware (Django stores UTC). They are converted to
    Europe/London before their date is taken, so a referral at 23:30 UTC on a
    summer (BST) date belongs to the next UK date. Plain ``date`` values are
    taken to be UK local dates already.

*Working days between* ``start`` and ``end``
    The number of working days ``d`` with ``local_date(start) < d <=
    local_date(end)``: the day of receipt never counts, and each working day
    counts once it has been reached. So a referral received on a Friday
    afternoon and first contacted on the next Tuesday, with Monday a bank
    holiday, took **1** working day; one received on a Saturday counts from
    the next working day (contact on Monday is 1, on Tuesday 2). Contact on
    the day of receipt is 0. The count is antisymmetric: if ``end`` is before
    ``start`` the result is negative.

*Victims' Code deadline*
    Right 4: the police refer a victim to a support service within 2 working
    days. :func:`victims_code_deadline` is the last instant of the 2nd working
    day after the UK date of receipt. For a contact time ``t`` (at or after
    receipt) that falls on a working day::

        t <= victims_code_deadline(received)
        <=> working_days_between(received, t) <= 2

    A contact on a weekend or bank holiday after the due date is late although
    the count is still 2, so decide compliance with the deadline, and use the
    count only to report how long contact took.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "UK_TZ",
    "VICTIMS_CODE_WORKING_DAYS",
    "add_working_days",
    "bank_holidays",
    "is_working_day",
    "uk_local_date",
    "end_of_working_day",
    "victims_code_deadline",
    "working_days_between",
]

UK_TZ = ZoneInfo("Europe/London")
VICTIMS_CODE_WORKING_DAYS = 2

_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=256)
def _bank_holidays_for_year(year: int) -> frozenset[date]:
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(d for d in calendar if d.year == year)


def bank_holidays(years: int | Iterable[int]) -> frozenset[date]:
    """England and Wales bank holidays (with substitute days) in ``years``.

    Results are cached per year. Dates of fixed holidays that fall at a
    weekend (e.g. Christmas Day on a Saturday) are included alongside their
    weekday substitute.
    """
    if isinstance(years, int):
        return _bank_holidays_for_year(years)
    result: frozenset[date] = frozenset()
    for year in years:
        result |= _bank_holidays_for_year(year)
    return result


def is_working_day(d: date) -> bool:
    """True for Monday to Friday dates that are not bank holidays."""
    if isinstance(d, datetime):
        d = uk_local_date(d)
    return d.weekday() < 5 and d not in _bank_holidays_for_year(d.year)


def uk_local_date(value: datetime | date) -> date:
    """The Europe/London calendar date of ``value``.

    Aware datetimes are converted to UK time first; naive datetimes are
    refused, because their meaning is ambiguous. Plain dates are returned
    unchanged.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            raise ValueError("datetime must be timezone-aware (e.g. UTC); got a naive datetime")
        return value.astimezone(UK_TZ).date()
    return value


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (before it, if ``n`` < 0).

    ``start`` itself is never counted, so ``add_working_days(friday, 1)`` is the
    next Monday (or Tuesday when Monday is a bank holiday), whatever kind of
    day ``start`` is. ``n == 0`` gives the first working day on or after
    ``start``. For ``n != 0``:
    ``working_days_between(start, add_working_days(start, n)) == n``.
    """
    start = uk_local_date(start)
    if n == 0:
        d = start
        while not is_working_day(d):
            d += _ONE_DAY
        return d
    step = _ONE_DAY if n > 0 else -_ONE_DAY
    remaining = abs(n)
    d = start
    while remaining:
        d += step
        if is_working_day(d):
            remaining -= 1
    return d


def working_days_between(start: datetime | date, end: datetime | date) -> int:
    """Working days elapsed from ``start`` to ``end`` (see the module docstring).

    Counts working days ``d`` with ``local_date(start) < d <= local_date(end)``;
    negative when ``end`` falls on an earlier date than ``start``.
    """
    first = uk_local_date(start)
    last = uk_local_date(end)
    if last < first:
        return -working_days_between(last, first)
    count = 0
    d = first + _ONE_DAY
    while d <= last:
        if is_working_day(d):
            count += 1
        d += _ONE_DAY
    return count


def end_of_working_day(received_at: datetime, working_days: int) -> datetime:
    """The last instant (UK time, as aware UTC) of the ``working_days``-th working day after the
    UK date of ``received_at``: a service's own target for first contact uses this."""
    if not isinstance(received_at, datetime):
        raise TypeError("received_at must be an aware datetime")
    due = add_working_days(uk_local_date(received_at), working_days)
    return datetime.combine(due, time.max, tzinfo=UK_TZ).astimezone(UTC)


def victims_code_deadline(received_at: datetime) -> datetime:
    """When a police referral received at ``received_at`` must have been made.

    The last instant (23:59:59.999999 UK time) of the 2nd working day after
    the UK date of receipt, returned as an aware UTC datetime. A referral met
    the deadline when ``contacted_at <= victims_code_deadline(received_at)``.
    """
    if not isinstance(received_at, datetime):
        raise TypeError("received_at must be an aware datetime")
    due = add_working_days(uk_local_date(received_at), VICTIMS_CODE_WORKING_DAYS)
    return datetime.combine(due, time.max, tzinfo=UK_TZ).astimezone(UTC)
