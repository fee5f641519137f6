"""Court dates, order deadlines and reminders for the staff home page.

Why unscoped: an advocate's orders and journeys are read through ``policy.own_caseload``, the
condition policy gives for exactly the cases allocated to them that they may see (their scope
narrowed to "allocated to me", written without the branches the allocation decides); everyone
else's through the scoped manager.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from harbour.cases.models import Case
from harbour.core import policy
from harbour.justice import rules, services
from harbour.justice.models import Journey, Order, OrderNotification, Reminder

COURT_DATES_AHEAD_DAYS = 28


def justice_home(user: Any) -> dict[str, Any]:
    if policy.is_provider_caseworker(user):
        return _caseworker_home(user)
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


def _caseworker_home(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    ahead = today + datetime.timedelta(days=COURT_DATES_AHEAD_DAYS)
    orders_of: QuerySet[Order]
    journeys_of: QuerySet[Journey]
    if policy.has_own_caseload(user):
        # An advocate's own cases, by the narrower condition policy gives for them: the same rows
        # as their full scope narrowed to "allocated to me", cheaper to build and plan (issue #8).
        on_mine = policy.own_caseload(user, "case__")
        assert on_mine is not None  # a caseworker, checked by the caller
        orders_of, journeys_of = Order.unscoped.filter(on_mine), Journey.unscoped.filter(on_mine)
    else:  # a manager: the organisation's unallocated cases (advocates watch their own)
        waiting = Q(case__allocated_to__isnull=True)
        orders_of = Order.objects.for_user(user).filter(waiting)
        journeys_of = Journey.objects.for_user(user).filter(waiting)
    open_case = Q(case__status=Case.Status.OPEN)
    orders = (
        orders_of.filter(open_case)
        .exclude(status__in=[s.value for s in rules.ENDED])
        .select_related("case")
        .only(*_ORDER_SHOWN, *_CASE_SHOWN)
        .order_by("pk")[:200]
    )
    # A journey gives only its next court date, shown when it falls in the coming weeks.
    journeys = (
        journeys_of.filter(open_case, next_court_on__gte=today, next_court_on__lte=ahead)
        .select_related("case")
        .only("public_id", "next_court_on", *_CASE_SHOWN)
        .order_by("next_court_on", "pk")[:200]
    )
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
    reminders = list(
        Reminder.objects.for_user(user)
        .filter(read_at__isnull=True)
        .select_related("case")
        .only("public_id", "kind", "stage", "due_on", "link", "case__reference")
        .order_by("due_on", "pk")[:20]
    )
    return {
        "court_dates": court,
        "order_deadlines": deadlines,
        "reminders": reminders,
        "show_suspect_links": policy.can_view_suspect_links(user),
    }
