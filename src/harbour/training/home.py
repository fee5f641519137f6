"""The trainer's home page figures."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from harbour.core import policy
from harbour.training.models import SectorAttendance, TrainingRequest, TrainingSession


def training_home(user: Any) -> dict[str, Any]:
    if not policy.is_trainer(user):
        return {}
    now = timezone.now()
    sessions = TrainingSession.objects.for_user(user)
    scheduled = sessions.filter(status=TrainingSession.Status.SCHEDULED)
    year = SectorAttendance.objects.for_user(user).filter(
        session__status=TrainingSession.Status.DELIVERED,
        session__starts_at__gte=now - datetime.timedelta(days=365),
    )
    return {
        "training_home": {
            "waiting": TrainingRequest.objects.for_user(user)
            .filter(status=TrainingRequest.Status.RECEIVED)
            .count(),
            "upcoming_count": scheduled.filter(starts_at__gte=now).count(),
            "next_sessions": list(scheduled.filter(starts_at__gte=now).order_by("starts_at")[:5]),
            "to_record": scheduled.filter(starts_at__lt=now).count(),
            "people_year": year.aggregate(n=Sum("people"))["n"] or 0,
        }
    }
