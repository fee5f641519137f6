"""Validators shared by models and forms."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

#: Nobody Harbour supports was born longer ago than this.
OLDEST_AGE_YEARS = 120


def validate_date_of_birth(value: datetime.date | None) -> None:
    """A plausible date of birth: not in the future, not more than 120 years ago."""
    if value is None:
        return
    today = timezone.localdate()
    if value > today:
        raise ValidationError("Date of birth must be in the past.", code="future")
    try:
        oldest = today.replace(year=today.year - OLDEST_AGE_YEARS)
    except ValueError:  # 29 February
        oldest = today.replace(year=today.year - OLDEST_AGE_YEARS, day=28)
    if value < oldest:
        raise ValidationError(
            f"Date of birth must be within the last {OLDEST_AGE_YEARS} years.", code="too_old"
        )


def validate_not_future(value: datetime.date | None) -> None:
    """A date something already happened on: today or earlier."""
    if value is not None and value > timezone.localdate():
        raise ValidationError("The date must be today or in the past", code="future")
