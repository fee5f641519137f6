"""Referral figures for the staff home page (counts only)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from harbour.core import policy
from harbour.referrals.models import Referral


def referrals_home(user: Any) -> dict[str, Any]:
    if policy.can_triage_referrals(user):
        # One query for both figures (issue #8), read from the queue's index alone: every column
        # it names is in the index (status is never empty, so counting it counts the rows; the
        # primary key is not in the index, and counting it would read every row).
        return (
            Referral.objects.for_user(user)
            .filter(status__in=Referral.OPEN_STATUSES)
            .aggregate(
                referrals_open=Count("status"),
                referrals_overdue=Count(
                    "status", filter=Q(first_contact_at__isnull=True, due_by__lt=timezone.now())
                ),
            )
        )
    if policy.can_view_sent_referrals(user):
        return Referral.objects.for_user(user).aggregate(
            referrals_sent=Count("pk"),
            referrals_sent_open=Count("pk", filter=Q(status__in=Referral.OPEN_STATUSES)),
        )
    return {}
