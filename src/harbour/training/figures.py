"""Training figures for a provider (or several) over a period: what a reporting dashboard calls.

``training_figures(providers, start, end)`` reads delivered sessions, attendance by sector and area,
feedback, and the professional referrals the providers received, and hands them to the plain
arithmetic in ``harbour.training.arithmetic``. It returns raw counts: a commissioner's dashboard
applies its small-count suppression to them, as it does to every figure.

A referral counts as coming from a trained organisation when the organisation its referrer named
matches (``normalise_org_name``) the name, or one of the other names, of a partner organisation
that had a delivered session on or before the day the referral arrived. Referrer organisations are
encrypted, so matching decrypts the professional referrals of the period in memory; nothing about
them leaves this function but counts.

Why unscoped: figures are counts for the providers the caller's page was allowed to report on (the
view checks that); nothing identifying leaves this module.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Min
from django.utils import timezone

from harbour.accounts.models import Organisation
from harbour.referrals.models import Referral
from harbour.training.arithmetic import (
    Attendance,
    Figures,
    ReferralSeen,
    Response,
    confidence_change,
    normalise_org_name,
    people_trained,
    referrals_after_training,
)
from harbour.training.models import (
    CONFIDENCE_AREAS,
    Feedback,
    PartnerOrganisation,
    SectorAttendance,
    SessionOrganisation,
    TrainingSession,
)

REASON = "training figures (counts only)"


def _bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    after = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return first, after


def first_trained_on(
    providers: Iterable[Organisation | int],
    up_to: datetime.date,
    since: datetime.date | None = None,
) -> dict[int, datetime.date]:
    """Each partner organisation's first delivered session up to a date (from ``since``, if
    given): partner pk -> date."""
    ids = [p if isinstance(p, int) else p.pk for p in providers]
    _first, after = _bounds(up_to, up_to)
    rows = SessionOrganisation.unscoped.filter(
        partner__provider_id__in=ids,
        session__status=TrainingSession.Status.DELIVERED,
        session__starts_at__lt=after,
    )
    if since is not None:
        rows = rows.filter(session__starts_at__gte=_bounds(since, since)[0])
    firsts = rows.values("partner_id").annotate(first=Min("session__starts_at"))
    return {row["partner_id"]: timezone.localtime(row["first"]).date() for row in firsts}


def referrals_from_partners(
    providers: Iterable[Organisation | int], start: datetime.date, end: datetime.date
) -> dict[int, list[datetime.date]]:
    """Partner pk -> dates of referrals received in the period after the partner was trained."""
    ids = [p if isinstance(p, int) else p.pk for p in providers]
    trained_on = first_trained_on(ids, end)
    names: dict[str, tuple[str, datetime.date]] = {}
    for partner in PartnerOrganisation.unscoped.filter(pk__in=list(trained_on)):
        for name in partner.names():
            key = normalise_org_name(name)
            if key:
                names[key] = (str(partner.pk), trained_on[partner.pk])
    if not names:
        return {}
    first, after = _bounds(start, end)
    seen = [
        ReferralSeen(organisation=org, received_on=timezone.localtime(at).date())
        for org, at in Referral.objects.system(REASON)
        .filter(
            routed_to_id__in=ids,
            source=Referral.Source.PROFESSIONAL,
            received_at__gte=first,
            received_at__lt=after,
        )
        .values_list("referrer_organisation", "received_at")
        if org
    ]
    found = referrals_after_training(names, seen)
    return {int(key): dates for key, dates in found.items()}


def training_figures(
    providers: Iterable[Organisation | int], start: datetime.date, end: datetime.date
) -> Figures:
    """Sessions delivered and people trained (by sector, by area, by both), the change in
    confidence from feedback, and referrals later received from trained organisations, for
    sessions delivered (and referrals received) from ``start`` to ``end`` inclusive."""
    ids = [p if isinstance(p, int) else p.pk for p in providers]
    first, after = _bounds(start, end)
    delivered = TrainingSession.unscoped.filter(
        provider_id__in=ids,
        status=TrainingSession.Status.DELIVERED,
        starts_at__gte=first,
        starts_at__lt=after,
    )
    attendance = [
        Attendance(sector=sector, area=area, people=people)
        for sector, area, people in SectorAttendance.unscoped.filter(
            session__in=delivered
        ).values_list("sector", "session__area", "people")
    ]
    people, by_sector, by_area, both = people_trained(attendance)
    stems = [stem for stem, _words in CONFIDENCE_AREAS]
    responses = [
        Response(
            scores={
                stem: (getattr(f, f"{stem}_before"), getattr(f, f"{stem}_after")) for stem in stems
            }
        )
        for f in Feedback.unscoped.filter(attendee__session__in=delivered).only(
            *(f"{stem}_{when}" for stem in stems for when in ("before", "after"))
        )
    ]
    from_partners = referrals_from_partners(ids, start, end)
    return Figures(
        sessions=delivered.count(),
        people=people,
        by_sector=by_sector,
        by_area=by_area,
        by_area_and_sector=both,
        confidence=confidence_change(responses, stems),
        trained_organisations=len(first_trained_on(ids, end, since=start)),
        referring_organisations=len(from_partners),
        referrals_from_trained=sum(len(dates) for dates in from_partners.values()),
    )
