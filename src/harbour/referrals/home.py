"""Referral figures for the staff home page (counts only)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from harbour.core import policy
from harbour.referrals.models import Referral


def referrals_home(user: Any) -> dict[str, Any]:
    if policy.can_triage_referrals(user):
        # One query for both figures (issue #8)
        return (
            Referral.objects.for_user(user)
            .filter(status__in=Referral.OPEN_STATUSES)
            .aggregate(
                referrals_open=Count("pk"),
                referrals_overdue=Count(
                    "pk", filter=Q(first_contact_at__isnull=True, due_by__lt=timezone.now())
                ),
            )
        )
    if policy.can_view_sent_referrals(user):
        return Referral.objects.for_user(user).aggregate(
            referrals_sent=Count("pk"),
            referrals_sent_open=Count("pk", filter=Q(status__in=Referral.OPEN_STATUSES)),
        )
    return {}
