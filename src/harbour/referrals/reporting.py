"""The Victims' Code clock, per force and month: the figure behind the referral gap.

Right 4 of the Victims' Code is the police's duty to refer a victim who agrees within 2 working days
of the crime being reported. Each police referral records the date of the report
(``crime_reported_on``) and when it reached Harbour (``received_at``); the count of working days
between them (England and Wales bank holidays excluded) decides whether the force met it. A referral
without a report date is counted as "not known", never as met.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from harbour.core.workdays import working_days_between
from harbour.referrals.models import VICTIMS_CODE_REFERRAL_DAYS, Referral


@dataclass(frozen=True, slots=True)
class CodeMonth:
    force: str
    month: dt.date
    referrals: int
    within: int
    late: int
    not_known: int

    @property
    def share_within(self) -> int | None:
        """Per cent of the referrals with a known report date that met the Code."""
        known = self.within + self.late
        return round(100 * self.within / known) if known else None


def victims_code_by_month(referrals: QuerySet[Referral]) -> list[CodeMonth]:
    """Police referrals grouped by referring force and month received, newest month first."""
    # The database counts referrals per (force, local day received, day reported): the working
    # days depend only on the two dates, so the calendar is applied once per pair, not per row.
    rows = (
        referrals.filter(source=Referral.Source.POLICE)
        .annotate(_received=TruncDate("received_at"))
        .values("referring_organisation__name", "_received", "crime_reported_on")
        .annotate(_n=Count("pk"))
        .order_by()
        .values_list("referring_organisation__name", "_received", "crime_reported_on", "_n")
    )
    counts: dict[tuple[str, dt.date], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for force, received, reported_on, n in rows:
        key = (force or "Force not recorded", received.replace(day=1))
        tally = counts[key]
        tally[0] += n
        if reported_on is None:
            tally[3] += n
        elif working_days_between(reported_on, received) <= VICTIMS_CODE_REFERRAL_DAYS:
            tally[1] += n
        else:
            tally[2] += n
    return [
        CodeMonth(force, month, *tally)
        for (force, month), tally in sorted(
            counts.items(), key=lambda kv: (-kv[0][1].toordinal(), kv[0][0])
        )
    ]


def victims_code_by_month_cached(referrals: QuerySet[Referral], *, scope: str) -> list[CodeMonth]:
    """:func:`victims_code_by_month`, kept in the cache until the referrals it counts change.

    The figure converts each referral's time to a local date and counts working days, about 10 µs
    a referral: a force's "sent" page paid it for every referral of the year on every view (issue
    #8). The cache key holds how many police referrals there are, the newest one's id and when it
    arrived, read from an index in well under a millisecond, so a new referral, an erased one or
    one passing out of the period gives a new key and a fresh count; ``scope`` names whose view of
    the referrals this is.
    Only counts per force and month are cached, nothing about a person.
    """
    state = referrals.filter(source=Referral.Source.POLICE).aggregate(
        n=Count("pk"), last=Max("pk"), latest=Max("received_at")
    )
    key = (
        f"victims-code:{scope}:{timezone.localdate()}:{state['n']}:{state['last']}:"
        f"{state['latest'].isoformat() if state['latest'] else ''}"
    )
    rows: list[CodeMonth] | None = cache.get(key)
    if rows is None:
        rows = victims_code_by_month(referrals)
        cache.set(key, rows, 6 * 60 * 60)
    return rows
