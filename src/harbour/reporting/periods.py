"""Reporting periods (plain Python): calendar months, quarters and financial years (April to March).

Only these fixed periods are ever published. They nest: every quarter (January to March, April to
June, ...) lies inside one financial year, every month inside one quarter. A financial year is the
unit of disclosure control: its twelve months, four quarters and the year are protected together
(``harbour.reporting.disclosure``), so no two published periods can be subtracted to reveal a
hidden count. There is no calendar year and no free date range: a calendar year overlaps two
financial years, and a free range would let a reader difference two ranges a day apart.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from enum import StrEnum

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class Kind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class Period:
    kind: Kind
    start: datetime.date

    # Construction -----------------------------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(Kind.MONTH, datetime.date(year, month, 1))

    @classmethod
    def quarter_of(cls, day: datetime.date) -> Period:
        return cls(Kind.QUARTER, datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1))

    @classmethod
    def financial_year(cls, first_year: int) -> Period:
        """The financial year from April ``first_year`` to March the year after."""
        return cls(Kind.YEAR, datetime.date(first_year, 4, 1))

    @classmethod
    def financial_year_of(cls, day: datetime.date) -> Period:
        return cls.financial_year(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2025-04`` (a month), ``2025-Q2`` (April to June 2025), ``FY2025`` (April 2025 to
        March 2026). Raises ValueError on anything else."""
        text = text.strip()
        if text.upper().startswith("FY") and text[2:].isdigit() and len(text) == 6:
            return cls.financial_year(int(text[2:]))
        if len(text) == 7 and text[4] == "-":
            year, rest = text[:4], text[5:]
            if year.isdigit() and rest.upper().startswith("Q") and rest[1:] in {"1", "2", "3", "4"}:
                return cls(Kind.QUARTER, datetime.date(int(year), 3 * int(rest[1]) - 2, 1))
            if year.isdigit() and rest.isdigit() and 1 <= int(rest) <= 12:
                return cls.month(int(year), int(rest))
        raise ValueError(f"not a reporting period: {text!r}")

    # Reading ----------------------------------------------------------------------------------

    @functools.cached_property
    def slug(self) -> str:
        if self.kind == Kind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == Kind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"FY{self.start.year}"

    @property
    def months(self) -> tuple[datetime.date, ...]:
        count = {Kind.MONTH: 1, Kind.QUARTER: 3, Kind.YEAR: 12}[self.kind]
        return tuple(add_months(self.start, i) for i in range(count))

    @property
    def end(self) -> datetime.date:
        """The last day of the period."""
        return add_months(self.months[-1], 1) - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == Kind.MONTH:
            return f"{MONTHS[self.start.month - 1]} {self.start.year}"
        if self.kind == Kind.QUARTER:
            last = self.months[-1]
            return f"{MONTHS[self.start.month - 1]} to {MONTHS[last.month - 1]} {self.start.year}"
        return f"April {self.start.year} to March {self.start.year + 1}"

    @property
    def financial_year_start(self) -> int:
        return Period.financial_year_of(self.start).start.year

    def children(self) -> tuple[Period, ...]:
        if self.kind == Kind.YEAR:
            return tuple(Period.quarter_of(add_months(self.start, 3 * i)) for i in range(4))
        if self.kind == Kind.QUARTER:
            return tuple(Period(Kind.MONTH, m) for m in self.months)
        return ()

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def year_periods(first_year: int) -> list[Period]:
    """The 17 published periods of a financial year: the year, its quarters, its months."""
    year = Period.financial_year(first_year)
    out = [year]
    for quarter in year.children():
        out.append(quarter)
        out.extend(quarter.children())
    return out


def choices(today: datetime.date, years: int = 3) -> list[Period]:
    """Periods to offer, newest first: the last ``years`` financial years with their quarters and
    months that have begun by ``today``."""
    current = Period.financial_year_of(today).start.year
    out: list[Period] = []
    for first in range(current, current - years, -1):
        for period in year_periods(first):
            if period.start <= today:
                out.append(period)
    return out
