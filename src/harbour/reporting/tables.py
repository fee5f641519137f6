"""Figures as protected tables (plain Python, no Django).

A figure (``Spec``) is a set of categories counted per column (a provider, or a force) per month.
``protect_year`` builds one table of a financial year for many figures at once: every category,
its total where the categories split one population, every column with its area and overall
totals, every month, quarter and the year; then hides cells with ``disclosure.protect``. Figures
that split the same population (referrals by source, referrals by outcome) share one total cell,
so a total hidden in one is hidden in the other. Pages and exports read only from the result.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from harbour.reporting import disclosure
from harbour.reporting.periods import Period, year_periods

TOTAL = "total"
ALL = "all"
Column = tuple[str, int] | tuple[str]
MonthCounts = Mapping[tuple[str, int, datetime.date], int]


@dataclass(frozen=True)
class Spec:
    key: str
    title: str
    categories: tuple[tuple[str, str], ...]
    #: The categories split one population (each person in exactly one): their total is shown.
    additive: bool = True
    #: Figures splitting the same population share one total cell (and its hiding).
    population: str = ""
    #: "provider" or "force": what the columns are.
    by: str = "provider"
    note: str = ""

    @property
    def total_name(self) -> str:
        return self.population or self.key


@dataclass(frozen=True)
class Columns:
    """The columns of a table: organisations (id, label) and areas grouping some of them."""

    orgs: tuple[tuple[int, str], ...]
    areas: tuple[tuple[int, str, tuple[int, ...]], ...] = ()

    def column_keys(self) -> list[Column]:
        out: list[Column] = [("org", pk) for pk, _label in self.orgs]
        out += [("area", pk) for pk, _label, _members in self.areas]
        out.append((ALL,))
        return out

    def label(self, column: Column) -> str:
        if column[0] == ALL:
            return "All"
        kind, pk = column[0], column[1]  # type: ignore[misc]
        if kind == "org":
            return dict(self.orgs)[pk]
        return next(label for area, label, _m in self.areas if area == pk)

    def equations(self) -> list[tuple[Column, tuple[Column, ...]]]:
        """(total column, its part columns): areas, and "all" over areas and the rest."""
        known = {pk for pk, _label in self.orgs}
        out: list[tuple[Column, tuple[Column, ...]]] = []
        in_area: set[int] = set()
        for pk, _label, members in self.areas:
            inside = tuple(("org", m) for m in members if m in known)
            in_area.update(m for m in members if m in known)
            out.append((("area", pk), inside))
        rest = tuple(("org", pk) for pk, _label in self.orgs if pk not in in_area)
        out.append(((ALL,), tuple(("area", pk) for pk, _l, _m in self.areas) + rest))
        return out


@dataclass
class Protected:
    """Published values of a financial year: ``value(spec, category, column, period)``."""

    first_year: int
    values: dict[tuple[str, str, Column, str], int | None]
    hidden_count: int = 0
    true_values: dict[tuple[str, str, Column, str], int] = field(default_factory=dict, repr=False)

    def value(self, spec: Spec, category: str, column: Column, period: Period) -> int | None:
        name = spec.total_name if category == TOTAL else spec.key
        return self.values.get((name, category, column, period.slug), 0)


def _key(spec: Spec, category: str, column: Column, slug: str) -> tuple[str, str, Column, str]:
    return (spec.total_name if category == TOTAL else spec.key, category, column, slug)


def year_cells(
    spec: Spec, columns: Columns, monthly: MonthCounts, first_year: int
) -> tuple[dict[tuple[str, str, Column, str], int], list[disclosure.Equation]]:
    """Every cell of one figure for a financial year, and the equations a reader knows."""
    periods = year_periods(first_year)
    categories = [c for c, _label in spec.categories] + ([TOTAL] if spec.additive else [])
    column_eqs = columns.equations()
    cells: dict[tuple[str, str, Column, str], int] = {}
    eqs: list[disclosure.Equation] = []
    months = [p for p in periods if p.kind == "month"]
    # Month values for organisation columns, then summed up the column and time hierarchies.
    for category in categories:
        for pk, _label in columns.orgs:
            for month in months:
                if category == TOTAL:
                    value = sum(monthly.get((c, pk, month.start), 0) for c, _l in spec.categories)
                else:
                    value = monthly.get((category, pk, month.start), 0)
                cells[_key(spec, category, ("org", pk), month.slug)] = value
        # Columns in dependency order: areas first, then all.
        for month in months:
            for total, parts in column_eqs:
                cells[_key(spec, category, total, month.slug)] = sum(
                    cells[_key(spec, category, part, month.slug)] for part in parts
                )
        for column in columns.column_keys():
            for period in reversed(periods):  # quarters before the year
                if period.kind == "month":
                    continue
                kids = period.children()
                cells[_key(spec, category, column, period.slug)] = sum(
                    cells[_key(spec, category, column, kid.slug)] for kid in kids
                )
                eqs.append(
                    disclosure.Equation(
                        _key(spec, category, column, period.slug),
                        tuple(_key(spec, category, column, kid.slug) for kid in kids),
                    )
                )
        for period in periods:
            for total, parts in column_eqs:
                eqs.append(
                    disclosure.Equation(
                        _key(spec, category, total, period.slug),
                        tuple(_key(spec, category, part, period.slug) for part in parts),
                    )
                )
    if spec.additive:
        for column in columns.column_keys():
            for period in periods:
                eqs.append(
                    disclosure.Equation(
                        _key(spec, TOTAL, column, period.slug),
                        tuple(_key(spec, c, column, period.slug) for c, _l in spec.categories),
                    )
                )
    return cells, eqs


def protect_year(
    figures: Iterable[tuple[Spec, Columns, MonthCounts]],
    first_year: int,
    largest_hidden: int = disclosure.LARGEST_HIDDEN,
) -> Protected:
    cells: dict[tuple[str, str, Column, str], int] = {}
    eqs: dict[disclosure.Equation, None] = {}
    for spec, columns, monthly in figures:
        more, equations = year_cells(spec, columns, monthly, first_year)
        for key, value in more.items():
            if key in cells and cells[key] != value:
                raise ValueError(f"figures sharing {key[0]!r} disagree on its total")
            cells[key] = value
        eqs.update(dict.fromkeys(equations))
    keyed: dict[Any, int] = dict(cells)
    hidden = disclosure.protect(keyed, list(eqs), largest_hidden)
    return Protected(
        first_year=first_year,
        values={k: (None if k in hidden else v) for k, v in cells.items()},
        hidden_count=len(hidden),
        true_values=cells,
    )


def share(numerator: int | None, denominator: int | None) -> int | None:
    """A whole per cent, only from two published counts (a share of a hidden count is hidden)."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return round(100 * numerator / denominator)


def median_if_enough(values: Sequence[float], largest_hidden: int) -> float | None:
    """The median of more than ``largest_hidden`` values, else nothing (one value is a person)."""
    if len(values) <= largest_hidden:
        return None
    return round(statistics.median(values), 1)
