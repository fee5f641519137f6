"""Home page figures for programme staff, and the police coordinator's programme line."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from harbour.core import policy
from harbour.programmes.models import Participant, ProgrammeSession


def programme_home(user: Any) -> dict[str, Any]:
    if policy.can_work_with_participants(user):
        today = timezone.localdate()
        participants = Participant.objects.for_user(user)
        sessions = ProgrammeSession.objects.for_user(user).filter(
            status=ProgrammeSession.Status.PLANNED,
            participant__status=Participant.Status.ACTIVE,
        )
        return {
            "programme_home": {
                "active": participants.filter(status=Participant.Status.ACTIVE).count(),
                "referred": participants.filter(status=Participant.Status.REFERRED).count(),
                "to_record": sessions.filter(planned_on__lt=today).count(),
                "this_week": list(
                    sessions.filter(
                        planned_on__gte=today, planned_on__lt=today + datetime.timedelta(days=7)
                    )
                    .select_related("participant")
                    .order_by("planned_on")
                ),
            }
        }
    if policy.can_follow_programme_requirements(user):
        open_ = Participant.objects.for_user(user).filter(
            status__in=(Participant.Status.REFERRED, Participant.Status.ACTIVE)
        )
        return {"police_programme_home": {"open": open_.count()}}
    return {}
