"""Disclosure control for published counts (plain Python, no Django).

A *table* here is a set of cells (any hashable key -> a count) and a list of additive
*equations* (``total = part + part + ...``) that a reader knows hold: row totals, column totals,
area totals, and the time hierarchy (a quarter is the sum of its three months, a financial year the
sum of its four quarters). ``protect`` decides which cells to hide:

1. **Primary suppression**: every count from 1 to ``largest_hidden`` (default 4) is hidden. Zero is
   shown (it says nothing about anyone).
2. **Secondary suppression**: no equation may be left with exactly one hidden member (the reader
   would subtract). The partner hidden is the smallest other member (zeros included: a hidden
   zero looks like any hidden count), a part before a total.
3. **Exact audit**: rows and columns with two hidden members each can still combine (a hidden cell
   on a "bridge" between two blocks is the difference of sums the reader has). Treating the hidden
   cells as unknowns, a cell can be worked out exactly from the published ones if and only if its
   unit vector lies in the row space of the equations restricted to hidden cells. ``determined``
   computes that (Gaussian elimination modulo a large prime, over each connected block), and
   ``protect`` hides one more cell beside each determined cell until none is left.

The reporting app never publishes a period on its own: every figure of a financial year is
protected in one table holding its months, quarters and the year (see ``periods``), and every page
and export reads its cells from that table. Two overlapping requests (a month, then the quarter
round it) therefore see the same hidden pattern, and subtracting one from the other gives nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

Key = Hashable
_PRIME = (1 << 61) - 1

#: The default: counts 1 to 4 are hidden.
LARGEST_HIDDEN = 4


@dataclass(frozen=True, slots=True)
class Equation:
    """``total`` equals the sum of ``parts`` (every key a cell of the same table)."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


def primary(cells: Mapping[Key, int], largest_hidden: int = LARGEST_HIDDEN) -> set[Key]:
    return {key for key, value in cells.items() if 1 <= value <= largest_hidden}


def _order(cells: Mapping[Key, int], key: Key, is_total: bool) -> tuple[int, int, str]:
    # The smallest cell (a zero loses least, and the reader cannot tell a hidden zero from a
    # hidden 3), then a part over a total, then a stable order.
    return (cells[key], 1 if is_total else 0, repr(key))


def _partner(cells: Mapping[Key, int], equation: Equation, hidden: set[Key]) -> Key | None:
    candidates = [
        (_order(cells, key, key == equation.total), key)
        for key in equation.members
        if key not in hidden
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]


def _singletons(cells: Mapping[Key, int], equations: Sequence[Equation], hidden: set[Key]) -> None:
    by_key: dict[Key, list[Equation]] = defaultdict(list)
    for eq in equations:
        for key in eq.members:
            by_key[key].append(eq)
    todo = list(equations)
    while todo:
        eq = todo.pop()
        members = eq.members
        if sum(1 for key in members if key in hidden) != 1:
            continue
        partner = _partner(cells, eq, hidden)
        if partner is None:
            continue
        hidden.add(partner)
        todo.extend(by_key[partner])


def determined(hidden: Iterable[Key], equations: Sequence[Equation]) -> set[Key]:
    """The hidden cells a reader can work out exactly from the published cells and the equations
    (ignoring that counts are whole and not negative)."""
    hidden = set(hidden)
    rows: list[dict[Key, int]] = []
    for eq in equations:
        row: dict[Key, int] = {}
        if eq.total in hidden:
            row[eq.total] = 1
        for part in eq.parts:
            if part in hidden:
                row[part] = (row.get(part, 0) - 1) % _PRIME
        row = {k: v for k, v in row.items() if v}
        if row:
            rows.append(row)
    # Echelon form, kept fully reduced: pivot column -> row with 1 in that column.
    pivots: dict[Key, dict[Key, int]] = {}
    for row in rows:
        row = dict(row)
        while True:
            shared = next((col for col in row if col in pivots), None)
            if shared is None:
                break
            factor = row[shared]
            for col, coef in pivots[shared].items():
                value = (row.get(col, 0) - factor * coef) % _PRIME
                if value:
                    row[col] = value
                else:
                    row.pop(col, None)
        if not row:
            continue
        col = min(row, key=repr)
        inverse = pow(row[col], _PRIME - 2, _PRIME)
        row = {k: (v * inverse) % _PRIME for k, v in row.items()}
        for other in pivots.values():
            scale = other.get(col, 0)
            if scale:
                for k, v in row.items():
                    value = (other.get(k, 0) - scale * v) % _PRIME
                    if value:
                        other[k] = value
                    else:
                        other.pop(k, None)
        pivots[col] = row
    return {col for col, row in pivots.items() if len(row) == 1}


def protect(
    cells: Mapping[Key, int],
    equations: Sequence[Equation],
    largest_hidden: int = LARGEST_HIDDEN,
) -> set[Key]:
    """The keys to hide so that no hidden cell can be worked out from the rest."""
    hidden = primary(cells, largest_hidden)
    if not hidden:
        return hidden
    by_key: dict[Key, list[Equation]] = defaultdict(list)
    for eq in equations:
        for key in eq.members:
            by_key[key].append(eq)
    while True:
        _singletons(cells, equations, hidden)
        relevant = [eq for eq in equations if any(k in hidden for k in eq.members)]
        exposed = determined(hidden, relevant)
        if not exposed:
            return hidden
        grew = False
        for key in sorted(exposed, key=repr):
            options = [
                (_order(cells, member, member == eq.total), member)
                for eq in by_key[key]
                for member in eq.members
                if member not in hidden
            ]
            if options:
                hidden.add(min(options, key=lambda c: c[0])[1])
                grew = True
        if not grew:  # every neighbour already hidden: hide the table's smallest shown cell
            rest = [(_order(cells, k, False), k) for k in cells if k not in hidden]
            if not rest:
                return hidden
            hidden.add(min(rest, key=lambda c: c[0])[1])


def published(
    cells: Mapping[Key, int],
    equations: Sequence[Equation],
    largest_hidden: int = LARGEST_HIDDEN,
) -> dict[Key, int | None]:
    """Every cell with its published value: ``None`` where hidden."""
    hidden = protect(cells, equations, largest_hidden)
    return {key: (None if key in hidden else value) for key, value in cells.items()}
