"""Disclosure control: small counts hidden, and no hidden count can be worked back.

The checker ``recoverable`` below is written independently of the module (exact fractions, dense
elimination): it is what a reader with the published table and its totals could solve.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from harbour.reporting import disclosure
from harbour.reporting.disclosure import Equation, determined, primary, protect
from harbour.reporting.periods import Period
from harbour.reporting.tables import ALL, TOTAL, Columns, Spec, protect_year, year_cells


def recoverable(
    cells: dict[object, int], equations: list[Equation], hidden: set[object]
) -> dict[object, Fraction]:
    """Every hidden cell a reader can solve exactly, with the value they get."""
    unknowns = sorted(hidden, key=repr)
    index = {k: i for i, k in enumerate(unknowns)}
    rows: list[list[Fraction]] = []
    for eq in equations:
        row = [Fraction(0)] * (len(unknowns) + 1)
        constant = Fraction(0)
        for key, sign in [(eq.total, 1)] + [(p, -1) for p in eq.parts]:
            if key in hidden:
                row[index[key]] += sign
            else:
                constant -= sign * cells[key]
        row[-1] = constant
        if any(row[:-1]):
            rows.append(row)
    # Gauss-Jordan.
    pivot_row = 0
    pivots: list[int] = []
    for col in range(len(unknowns)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][col] != 0), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [v / lead for v in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivots.append(col)
        pivot_row += 1
    out = {}
    for r, col in enumerate(pivots):
        if sum(1 for v in rows[r][:-1] if v != 0) == 1:
            out[unknowns[col]] = rows[r][-1]
    return out


def grid(values: list[list[int]]) -> tuple[dict[object, int], list[Equation]]:
    """A table with row totals, column totals and a grand total."""
    cells: dict[object, int] = {}
    eqs = []
    n_rows, n_cols = len(values), len(values[0])
    for r, c in product(range(n_rows), range(n_cols)):
        cells[(r, c)] = values[r][c]
    for r in range(n_rows):
        cells[(r, "t")] = sum(values[r])
        eqs.append(Equation((r, "t"), tuple((r, c) for c in range(n_cols))))
    for c in range(n_cols):
        cells[("t", c)] = sum(values[r][c] for r in range(n_rows))
        eqs.append(Equation(("t", c), tuple((r, c) for r in range(n_rows))))
    cells[("t", "t")] = sum(map(sum, values))
    eqs.append(Equation(("t", "t"), tuple((r, "t") for r in range(n_rows))))
    eqs.append(Equation(("t", "t"), tuple(("t", c) for c in range(n_cols))))
    return cells, eqs


def test_counts_from_one_to_four_are_hidden_and_zero_and_five_are_shown() -> None:
    cells = {"a": 0, "b": 1, "c": 4, "d": 5, "e": 100}
    assert primary(cells) == {"b", "c"}
    assert primary(cells, largest_hidden=9) == {"b", "c", "d"}


def test_a_single_hidden_cell_in_a_row_takes_the_smallest_other_cell_with_it() -> None:
    cells, eqs = grid([[3, 10, 20], [30, 40, 50]])
    hidden = protect(cells, eqs)
    # 3 is hidden; its row would give it away, so 10 (the smallest in the row) goes too; then
    # the columns of 3 and 10 need partners: 30 and 40 in the second row.
    assert hidden == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert recoverable(cells, eqs, hidden) == {}


def test_without_secondary_suppression_the_row_total_gives_the_cell_away() -> None:
    cells, eqs = grid([[3, 10, 20], [30, 40, 50]])
    only_primary = primary(cells)
    assert recoverable(cells, eqs, only_primary) == {(0, 0): 3}


def test_a_bridge_between_two_blocks_is_found_and_closed() -> None:
    # Every row and column with a hidden cell has two, yet the cells form two closed blocks joined
    # by one cell: that cell is the difference of the blocks' sums. The exact audit finds it.
    a, b, x = "a", "b", "x"
    cells = {a: 2, b: 2, x: 3, "s1": 5, "s2": 7}
    eqs = [Equation("s1", (a, x)), Equation("s2", (b, "x2")), Equation("x2", (x,))]
    cells["x2"] = 3
    cells["s2"] = 5
    hidden = {a, x, b, "x2"}
    # a + x = 5 and b + x = 5 and x2 = x: nothing determined alone...
    assert determined(hidden, eqs) == set()
    # ...but adding that a and b are published exposes x.
    assert determined({x, "x2"}, eqs) == {x, "x2"}


def test_protected_tables_leave_nothing_recoverable_on_crafted_data() -> None:
    for values in (
        [[1, 0, 0], [0, 0, 7], [9, 9, 9]],
        [[4, 4], [4, 4]],
        [[1, 50], [50, 50]],
        [[2, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 30]],
    ):
        cells, eqs = grid(values)
        hidden = protect(cells, eqs)
        assert primary(cells) <= hidden
        assert recoverable(cells, eqs, hidden) == {}, values


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40]), min_size=2, max_size=4),
        min_size=2,
        max_size=4,
    ).filter(lambda rows: len({len(r) for r in rows}) == 1)
)
def test_no_protected_grid_lets_a_hidden_count_be_worked_out(values: list[list[int]]) -> None:
    cells, eqs = grid(values)
    hidden = protect(cells, eqs)
    assert primary(cells) <= hidden
    assert recoverable(cells, eqs, hidden) == {}


# Periods ------------------------------------------------------------------------------------------

SOURCES = Spec("sources", "Referrals by source", (("police", "Police"), ("self", "Self")))
TWO = Columns(orgs=((1, "North"), (2, "South")))


def _month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


def test_a_month_and_its_quarter_cannot_be_subtracted_to_reveal_a_hidden_month() -> None:
    # North had 3 self-referrals in May 2025 and 10 in each of April and June. Without joint
    # protection, the quarter (23) minus April and June (20) would give May's 3.
    monthly = {
        ("self", 1, _month(2025, 4)): 10,
        ("self", 1, _month(2025, 5)): 3,
        ("self", 1, _month(2025, 6)): 10,
        ("police", 1, _month(2025, 4)): 20,
        ("police", 1, _month(2025, 5)): 20,
        ("police", 1, _month(2025, 6)): 20,
        ("self", 2, _month(2025, 5)): 12,
        ("police", 2, _month(2025, 5)): 30,
    }
    protected = protect_year([(SOURCES, TWO, monthly)], 2025)
    north = ("org", 1)
    may, april, june = Period.month(2025, 5), Period.month(2025, 4), Period.month(2025, 6)
    quarter = Period.quarter_of(may.start)
    # The attacker asks for May, then for the quarter: two requests, both read the same table.
    asked_may = protected.value(SOURCES, "self", north, may)
    asked_quarter = protected.value(SOURCES, "self", north, quarter)
    asked_april = protected.value(SOURCES, "self", north, april)
    asked_june = protected.value(SOURCES, "self", north, june)
    assert asked_may is None
    published = [asked_quarter, asked_april, asked_june]
    assert None in published, "quarter minus the other months would reveal May"
    # And the whole year's table as one: nothing hidden can be solved.
    cells, eqs = year_cells(SOURCES, TWO, monthly, 2025)
    hidden = {k for k, v in protected.values.items() if v is None}
    assert recoverable(cells, eqs, hidden) == {}


def test_overlapping_periods_of_different_lengths_give_the_same_cells() -> None:
    monthly = {("self", 1, _month(2025, 5)): 2, ("self", 1, _month(2025, 8)): 30}
    protected = protect_year([(SOURCES, TWO, monthly)], 2025)
    year = Period.financial_year(2025)
    # The year is the sum of its quarters as published; a hidden quarter keeps the year hidden too
    # unless another quarter is hidden with it.
    quarters = [protected.value(SOURCES, "self", ("org", 1), q) for q in year.children()]
    year_value = protected.value(SOURCES, "self", ("org", 1), year)
    assert quarters.count(None) != 1 or year_value is None


def test_figures_splitting_one_population_share_the_hidden_total() -> None:
    outcomes = Spec(
        "outcomes",
        "Referrals by outcome",
        (("accepted", "Accepted"), ("declined", "Declined")),
        population="referrals",
    )
    sources = Spec("sources2", "Referrals by source", SOURCES.categories, population="referrals")
    one = Columns(orgs=((1, "North"),))
    by_source = {("police", 1, _month(2025, 4)): 2}
    by_outcome = {("accepted", 1, _month(2025, 4)): 2}
    protected = protect_year([(sources, one, by_source), (outcomes, one, by_outcome)], 2025)
    april = Period.month(2025, 4)
    assert protected.value(sources, TOTAL, (ALL,), april) is None
    assert protected.value(outcomes, TOTAL, (ALL,), april) is None


@settings(max_examples=25, deadline=None)
@given(
    st.dictionaries(
        st.tuples(
            st.sampled_from(["police", "self"]),
            st.sampled_from([1, 2, 3]),
            st.sampled_from([_month(2025, m) for m in (4, 5, 6, 7)]),
        ),
        st.sampled_from([1, 2, 3, 5, 8, 20]),
        max_size=10,
    )
)
def test_no_period_area_or_column_combination_reveals_a_hidden_count(
    monthly: dict[tuple[str, int, datetime.date], int],
) -> None:
    columns = Columns(orgs=((1, "A"), (2, "B"), (3, "C")), areas=((10, "East", (1, 2)),))
    protected = protect_year([(SOURCES, columns, monthly)], 2025)
    cells, eqs = year_cells(SOURCES, columns, monthly, 2025)
    hidden = {k for k, v in protected.values.items() if v is None}
    assert {k for k, v in cells.items() if 1 <= v <= disclosure.LARGEST_HIDDEN} <= hidden
    assert recoverable(cells, eqs, hidden) == {}
