"""Court dates, order deadlines and reminders for the staff home page."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
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


def _caseworker_home(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    mine = Q(case__status=Case.Status.OPEN)
    if policy.has_own_caseload(user):
        mine &= Q(case__allocated_to=user)
    else:  # a manager: the organisation's unallocated cases (advocates watch their own)
        mine &= Q(case__allocated_to__isnull=True)
    orders = (
        Order.objects.for_user(user)
        .filter(mine)
        .exclude(status__in=[s.value for s in rules.ENDED])
        .select_related("case")
        .order_by("pk")[:200]
    )
    journeys = (
        Journey.objects.for_user(user)
        .filter(mine, next_court_on__isnull=False)
        .select_related("case")
        .order_by("next_court_on")[:200]
    )
    dues = services.deadlines_on(orders, journeys)
    ahead = today + datetime.timedelta(days=COURT_DATES_AHEAD_DAYS)
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
        .order_by("due_on", "pk")[:20]
    )
    return {
        "court_dates": court,
        "order_deadlines": deadlines,
        "reminders": reminders,
        "show_suspect_links": policy.can_view_suspect_links(user),
    }
