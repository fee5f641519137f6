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


def _singletons(
    cells: Mapping[Key, int],
    todo: list[Equation],
    hidden: set[Key],
    by_key: Mapping[Key, list[Equation]],
) -> None:
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


def determined(
    hidden: Iterable[Key], equations: Sequence[Equation], only: set[Key] | None = None
) -> set[Key]:
    """The hidden cells a reader can work out exactly from the published cells and the equations
    (ignoring that counts are whole and not negative).

    ``only``: solve just the blocks (hidden cells linked by equations) holding one of these cells;
    ``protect`` passes the cells hidden since its last call, plus those it found then, because a
    block holding none of them has exactly the equations it had then, so the same answer."""
    hidden = set(hidden)
    index: dict[Key, int] = {}
    keys: list[Key] = []

    def number(key: Key) -> int:
        found = index.get(key)
        if found is None:
            found = index[key] = len(keys)
            keys.append(key)
        return found

    rows: list[dict[int, int]] = []
    for eq in equations:
        row: dict[int, int] = {}
        if eq.total in hidden:
            row[number(eq.total)] = 1
        for part in eq.parts:
            if part in hidden:
                col = number(part)
                row[col] = (row.get(col, 0) - 1) % _PRIME
        row = {k: v for k, v in row.items() if v}
        if row:
            rows.append(row)
    # Blocks of hidden cells linked by equations are solved separately (each is small).
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in rows:
        first, *rest = row
        for other in rest:
            a, b = root(first), root(other)
            if a != b:
                parent[b] = a
    blocks: dict[int, list[dict[int, int]]] = defaultdict(list)
    for row in rows:
        blocks[root(next(iter(row)))].append(row)
    wanted = None if only is None else {root(index[k]) for k in only if k in index}
    out: set[Key] = set()
    for block_root, block in blocks.items():
        if wanted is not None and block_root not in wanted:
            continue
        out.update(keys[col] for col in _solved(block))
    return out


def _solved(rows: list[dict[int, int]]) -> list[int]:
    """Columns whose unit vector is in the row space: echelon form modulo a large prime, then
    back-substitution to the reduced form, where such a column's pivot row has no other entry."""
    pivots: dict[int, dict[int, int]] = {}
    order: list[int] = []
    for original in sorted(rows, key=len):
        row = dict(original)
        while True:
            shared = next((col for col in row if col in pivots), None)
            if shared is None:
                break
            _subtract(row, row[shared], pivots[shared])
        if not row:
            continue
        col = min(row)
        inverse = pow(row[col], _PRIME - 2, _PRIME)
        pivots[col] = {k: (v * inverse) % _PRIME for k, v in row.items()}
        order.append(col)
    # Each pivot row holds no earlier pivot's column; clear the later ones, latest first.
    position = {col: i for i, col in enumerate(order)}
    for col in reversed(order):
        row = pivots[col]
        later = [c for c in row if c != col and c in position and position[c] > position[col]]
        for other in later:
            if other in row:
                _subtract(row, row[other], pivots[other])
    return [col for col, row in pivots.items() if len(row) == 1]


def _subtract(row: dict[int, int], factor: int, pivot: dict[int, int]) -> None:
    for k, v in pivot.items():
        value = (row.get(k, 0) - factor * v) % _PRIME
        if value:
            row[k] = value
        else:
            row.pop(k, None)


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
    todo = list(equations)
    seen: set[Key] = set()  # hidden when ``determined`` last ran
    exposed: set[Key] = set()
    relevant: set[Equation] = set()
    while True:
        _singletons(cells, todo, hidden, by_key)
        fresh = hidden - seen
        for key in fresh:
            relevant.update(by_key[key])
        # In the equations' own order: elimination stays sparse (another order fills in).
        ordered = [eq for eq in equations if eq in relevant]
        exposed = determined(hidden, ordered, only=(fresh | exposed) if seen else None)
        seen = set(hidden)
        if not exposed:
            return hidden
        added: list[Key] = []
        for key in sorted(exposed, key=repr):
            options = [
                (_order(cells, member, member == eq.total), member)
                for eq in by_key[key]
                for member in eq.members
                if member not in hidden
            ]
            if options:
                added.append(min(options, key=lambda c: c[0])[1])
        if not added:  # every neighbour already hidden: hide the table's smallest shown cell
            rest = [(_order(cells, k, False), k) for k in cells if k not in hidden]
            if not rest:
                return hidden
            added.append(min(rest, key=lambda c: c[0])[1])
        hidden.update(added)
        todo = [eq for key in added for eq in by_key[key]]


def published(
    cells: Mapping[Key, int],
    equations: Sequence[Equation],
    largest_hidden: int = LARGEST_HIDDEN,
) -> dict[Key, int | None]:
    """Every cell with its published value: ``None`` where hidden."""
    hidden = protect(cells, equations, largest_hidden)
    return {key: (None if key in hidden else value) for key, value in cells.items()}
