"""Training figures as plain arithmetic over plain data (no Django), so they are easy to check by
hand: people trained by sector and area, the change in confidence, and referrals later received
from trained organisations (matched on the organisation the referrer named).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

#: Words that say what kind of body something is, not which one: "Tonbridge Surgery" and
#: "Tonbridge Surgery Ltd" are the same organisation; "the" and "&" carry nothing either.
_NOISE = frozenset(
    {"the", "ltd", "limited", "plc", "llp", "cic", "co", "company", "and", "uk", "of"}
)


def normalise_org_name(raw: str) -> str:
    """A comparable form of an organisation's name: case, accents, punctuation, "Ltd" and "the"
    do not matter; word order does."""
    text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ").replace("'", "")
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in _NOISE]
    return " ".join(words)


@dataclass(frozen=True)
class Attendance:
    """People from one sector at one delivered session, in one area."""

    sector: str
    area: str
    people: int


@dataclass(frozen=True)
class Response:
    """One attendee's feedback: (before, after) on a 1-5 scale for each area asked about."""

    scores: Mapping[str, tuple[int, int]]


@dataclass(frozen=True)
class ConfidenceChange:
    area: str
    responses: int
    mean_before: float
    mean_after: float
    improved: int  # responses whose "after" is above their "before"

    @property
    def share_improved(self) -> float:
        return self.improved / self.responses if self.responses else 0.0


@dataclass(frozen=True)
class ReferralSeen:
    """A referral received by the provider, and the organisation its referrer named."""

    organisation: str
    received_on: date


@dataclass
class Figures:
    sessions: int = 0
    people: int = 0
    by_sector: dict[str, int] = field(default_factory=dict)
    by_area: dict[str, int] = field(default_factory=dict)
    by_area_and_sector: dict[tuple[str, str], int] = field(default_factory=dict)
    confidence: list[ConfidenceChange] = field(default_factory=list)
    trained_organisations: int = 0
    referring_organisations: int = 0
    referrals_from_trained: int = 0


def people_trained(
    rows: Iterable[Attendance],
) -> tuple[int, dict[str, int], dict[str, int], dict[tuple[str, str], int]]:
    by_sector: Counter[str] = Counter()
    by_area: Counter[str] = Counter()
    both: Counter[tuple[str, str]] = Counter()
    for row in rows:
        area = row.area or "Area not recorded"
        by_sector[row.sector] += row.people
        by_area[area] += row.people
        both[(area, row.sector)] += row.people
    return sum(by_sector.values()), dict(by_sector), dict(by_area), dict(both)


def confidence_change(
    responses: Iterable[Response], areas: Iterable[str]
) -> list[ConfidenceChange]:
    collected = list(responses)
    changes = []
    for area in areas:
        pairs = [r.scores[area] for r in collected if area in r.scores]
        n = len(pairs)
        changes.append(
            ConfidenceChange(
                area=area,
                responses=n,
                mean_before=round(sum(b for b, _a in pairs) / n, 2) if n else 0.0,
                mean_after=round(sum(a for _b, a in pairs) / n, 2) if n else 0.0,
                improved=sum(1 for b, a in pairs if a > b),
            )
        )
    return changes


def referrals_after_training(
    trained: Mapping[str, tuple[str, date]], referrals: Iterable[ReferralSeen]
) -> dict[str, list[date]]:
    """For each trained organisation, the dates of referrals received after its first training.

    ``trained`` maps every normalised name an organisation goes by to (its key, the date of its
    first delivered session). A referral counts once, for the organisation whose name it gives,
    and only if it came after that organisation was trained (on the same day counts: a referral
    made at the end of a morning session is the training working).
    """
    found: dict[str, list[date]] = {}
    for referral in referrals:
        name = normalise_org_name(referral.organisation)
        if not name or name not in trained:
            continue
        key, first = trained[name]
        if referral.received_on >= first:
            found.setdefault(key, []).append(referral.received_on)
    return found
