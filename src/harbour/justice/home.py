"""Court dates, order deadlines and reminders for the staff home page.

Why unscoped: an advocate's orders and journeys are read through ``policy.own_caseload_of``, the
condition policy gives for exactly the cases allocated to them that they may see (their scope
narrowed to "allocated to me", written without the branches the allocation decides), compiled once
per connection (``harbour.core.precompiled``); everyone else's through the scoped manager. A
caseworker's reminders are read through ``policy.caseworker_reminders``, their scope written from
plain values.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Window
from django.utils import timezone

from harbour.cases.models import Case
from harbour.cases.queries import home_list_queries, total_of
from harbour.core import policy
from harbour.core.precompiled import Precompiled
from harbour.justice import rules, services
from harbour.justice.models import Journey, Order, OrderNotification, Reminder

COURT_DATES_AHEAD_DAYS = 28


#: The home page list of this section that ``?all=`` can show in full.
JUSTICE_LISTS = ("reminders",)


def justice_home(user: Any, expand: str = "") -> dict[str, Any]:
    """This section of the home page; ``expand`` names a list shown in full (``?all=``)."""
    if policy.is_provider_caseworker(user):
        return _caseworker_home(user, expand)
    if policy.can_use_police_workspace(user):
        spos = Order.objects.for_user(user).filter(kind=rules.OrderKind.SPO)
        return {
            "police_spos_in_force": spos.filter(
                status__in=[s.value for s in rules.IN_FORCE]
            ).count(),
            "police_spos_sought": spos.filter(
                status__in=[rules.Step.ASKED_OF_POLICE, rules.Step.APPLIED_FOR]
            ).count(),
            "police_notifications_overdue": OrderNotification.objects.for_user(user)
            .filter(notified_on__isnull=True, due_on__lt=timezone.localdate())
            .count(),
        }
    return {}


#: What the home page reads of an order: its deadlines' facts, its title and link, and its case's
#: reference (issue #8: nothing else is read or decrypted).
_ORDER_SHOWN = (
    "public_id",
    "kind",
    "other_kind",
    "status",
    "indefinite",
    "expires_on",
    "hearing_on",
)
_CASE_SHOWN = ("case__public_id", "case__reference")


def _open_orders(orders: QuerySet[Order]) -> QuerySet[Order]:
    """The orders not yet ended on open cases, as the home page reads them."""
    return (
        orders.filter(case__status=Case.Status.OPEN)
        .exclude(status__in=[s.value for s in rules.ENDED])
        .select_related("case")
        .only(*_ORDER_SHOWN, *_CASE_SHOWN)
        .order_by("pk")[:200]
    )


def _coming_court_dates(
    journeys: QuerySet[Journey], today: datetime.date, ahead: datetime.date
) -> QuerySet[Journey]:
    """The journeys of open cases with a court date from ``today`` to ``ahead``: a journey gives
    only its next court date, shown when it falls in the coming weeks."""
    return (
        journeys.filter(
            case__status=Case.Status.OPEN, next_court_on__gte=today, next_court_on__lte=ahead
        )
        .select_related("case")
        .only("public_id", "next_court_on", *_CASE_SHOWN)
        .order_by("next_court_on", "pk")[:200]
    )


# An advocate's own cases, by the narrower condition policy gives for them: the same rows as their
# full scope narrowed to "allocated to me", compiled once per connection (issue #8).
_OWN_ORDERS = Precompiled(
    lambda organisation_id, user_id: _open_orders(
        Order.unscoped.filter(policy.own_caseload_of(organisation_id, user_id, "case__"))
    )
)
_OWN_COURT_DATES = Precompiled(
    lambda organisation_id, user_id, today, ahead: _coming_court_dates(
        Journey.unscoped.filter(policy.own_caseload_of(organisation_id, user_id, "case__")),
        today,
        ahead,
    )
)


def _unread_reminders(kind: policy.CaseworkerKind, limit: int) -> Precompiled[Reminder]:
    """A caseworker's first ``limit`` unread reminders on cases they see, soonest first, each with
    how many there are in all (a window count)."""
    return Precompiled(
        lambda organisation_id, user_id, now: (
            policy.caseworker_reminders(
                kind, organisation_id, user_id, now, Reminder.unscoped.all()
            )
            .filter(read_at__isnull=True)
            .select_related("case")
            .only("public_id", "kind", "stage", "due_on", "link", "case__reference")
            .order_by("due_on", "pk")
            .annotate(_total=Window(Count("pk")))[:limit]
        )
    )


#: Like the page's other lists: the first few and how many in all, or all of it on request.
_UNREAD_REMINDERS = home_list_queries(_unread_reminders)


def _caseworker_home(user: Any, expand: str) -> dict[str, Any]:
    today = timezone.localdate()
    ahead = today + datetime.timedelta(days=COURT_DATES_AHEAD_DAYS)
    orders: list[Order] | QuerySet[Order]
    journeys: list[Journey] | QuerySet[Journey]
    if policy.has_own_caseload(user):
        orders = _OWN_ORDERS(user.organisation_id, user.pk)
        journeys = _OWN_COURT_DATES(user.organisation_id, user.pk, today, ahead)
    else:  # a manager: the organisation's unallocated cases (advocates watch their own)
        waiting = Q(case__allocated_to__isnull=True)
        orders = _open_orders(Order.objects.for_user(user).filter(waiting))
        journeys = _coming_court_dates(Journey.objects.for_user(user).filter(waiting), today, ahead)
    dues = services.deadlines_on(orders, journeys)
    court = [
        d
        for d in dues
        if d.deadline.kind == rules.DeadlineKind.COURT_DATE and today <= d.deadline.due_on <= ahead
    ]
    deadlines = [
        (d, d.deadline.stage(today))
        for d in dues
        if d.deadline.kind != rules.DeadlineKind.COURT_DATE and d.deadline.stage(today)
    ]
    unread = _UNREAD_REMINDERS[policy.caseworker(user), expand == "reminders"]
    reminders = unread(user.organisation_id, user.pk, timezone.now())
    return {
        "court_dates": court,
        "order_deadlines": deadlines,
        "reminders": reminders,
        "reminders_total": total_of(reminders),
        "show_suspect_links": policy.can_view_suspect_links(user),
    }
