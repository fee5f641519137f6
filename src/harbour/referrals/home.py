"""Referral figures for the staff home page (counts only)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from harbour.core import policy
from harbour.referrals.models import Referral


def referrals_home(user: Any) -> dict[str, Any]:
    if policy.can_triage_referrals(user):
        open_ = Referral.objects.for_user(user).filter(status__in=Referral.OPEN_STATUSES)
        return {
            "referrals_open": open_.count(),
            "referrals_overdue": open_.filter(
                first_contact_at__isnull=True, due_by__lt=timezone.now()
            ).count(),
        }
    if policy.can_view_sent_referrals(user):
        sent = Referral.objects.for_user(user)
        return {
            "referrals_sent": sent.count(),
            "referrals_sent_open": sent.filter(status__in=Referral.OPEN_STATUSES).count(),
        }
    return {}
