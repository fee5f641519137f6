"""Shared set-up for the orders, journey, workspace, linking and reminder tests."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from harbour.cases.models import Case, Suspect
from harbour.evidence import services as evidence
from harbour.justice import services
from harbour.justice.models import Journey, Order
from tests.evidence.conftest import entry

TODAY = timezone.localdate


@pytest.fixture
def suspect(case_a: Case) -> Suspect:
    return Suspect.unscoped.create(case=case_a, names="Dorian Voss")


def consent(case: Case, by: Any, state: str = "given") -> None:
    evidence.record_police_consent(
        case, state=state, how="in_person", decided_on=timezone.localdate(), by=by
    )


def full_spo(case: Case, by: Any, force: Any, **extra: Any) -> Order:
    today = timezone.localdate()
    return services.record_order(
        case,
        by=by,
        kind="spo",
        step=extra.pop("step", "made"),
        on=extra.pop("on", today),
        force=force,
        expires_on=extra.pop("expires_on", today.replace(year=today.year + 2)),
        **extra,
    )


def harassment_journey(case: Case, by: Any, force: Any, diary_entries: int = 2) -> Journey:
    """A report recorded as s.2 harassment, with diary entries of calls on separate occasions."""
    today = timezone.localdate()
    journey = services.start_journey(
        case, by=by, force=force, reported_on=today - datetime.timedelta(days=3)
    )
    services.record_milestone(
        journey, by=by, kind="recorded", on=today, recorded_as="s2_harassment"
    )
    for n in range(diary_entries):
        evidence.log_incident(
            case,
            by=by,
            data=entry(occurred_at=timezone.now() - datetime.timedelta(days=n + 1, hours=1)),
        )
    return journey
