"""Referral fixtures: a helper that makes referrals through the real intake service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from harbour.referrals.models import Referral
from harbour.referrals.services import receive_referral

VICTIM = {
    "given_name": "Wilhelmina",
    "family_name": "Oakhurst",
    "phone": "07911 100456",
    "email": "w.oakhurst@example.org",
    "postcode": "NS1 2AB",
    "safe_call": True,
    "safe_text": True,
    "safe_email": False,
    "consent_to_contact": True,
}


@pytest.fixture
def make_referral(cast: dict[str, Any], orgs: dict[str, Any]) -> Callable[..., Referral]:
    def make(source: str = Referral.Source.SELF, **overrides: Any) -> Referral:
        received_at = overrides.pop("received_at", None)
        fields = {**VICTIM, **overrides}
        by = None
        referring = None
        if source == Referral.Source.POLICE:
            by = cast["pete"]
            referring = orgs["police"]
            fields.setdefault("crime_reference", "NP/12345/26")
        return receive_referral(
            source=source,
            fields=fields,
            by=by,
            referring_organisation=referring,
            received_at=received_at,
        )

    return make


@pytest.fixture
def referral_a(make_referral: Callable[..., Referral]) -> Referral:
    """A police referral routed to provider A (district NS1)."""
    return make_referral(Referral.Source.POLICE)
