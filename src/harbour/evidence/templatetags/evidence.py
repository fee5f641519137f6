"""Template helpers for the diary and the pattern."""

from __future__ import annotations

from typing import Any

from django import template

from harbour.evidence.pattern import Matrix
from harbour.evidence.services import current_consent

register = template.Library()


@register.filter
def week_parts(matrix: Matrix, size: int = 12) -> list[Matrix]:
    """A wide week-by-row matrix cut into tables of ``size`` weeks, so no table runs off the page."""
    parts = []
    for start in range(0, len(matrix.weeks), size):
        parts.append(
            Matrix(
                matrix.weeks[start : start + size],
                [(label, values[start : start + size]) for label, values in matrix.rows],
            )
        )
    return parts


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.simple_tag
def police_consent(case: Any) -> Any:
    """The client's decision about sharing with police now in force (the case page shows it).

    The case page has already passed the case's access check; this reads only that case's record.
    """

    return current_consent(case)


#: How many entry references a statement lists before "and N more" (the chronology has them all).
REFS_SHOWN = 40


@register.filter
def refs_head(refs: list[str]) -> list[str]:
    return refs[:REFS_SHOWN]


@register.filter
def refs_more(refs: list[str]) -> int:
    return max(0, len(refs) - REFS_SHOWN)


@register.filter
def refs_text(refs: list[str]) -> str:
    """ "D001, D002 ... and 4,960 more" for the PDF."""
    more = refs_more(refs)
    return ", ".join(refs_head(refs)) + (f" and {more:,} more" if more else "")
