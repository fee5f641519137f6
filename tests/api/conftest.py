from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from harbour.api.models import ApiToken


class ApiClient:
    """A test client that sends JSON with a bearer token."""

    def __init__(self, token: str | None) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def post(self, path: str, body: Any) -> Any:
        import json

        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return self.client.post(path, data, content_type="application/json", **self.headers)

    def get(self, path: str) -> Any:
        return self.client.get(path, **self.headers)


@pytest.fixture
def police_token(orgs: dict[str, Any]) -> str:
    return ApiToken.issue(orgs["police"], "test")[1]


@pytest.fixture
def police_api(police_token: str) -> ApiClient:
    return ApiClient(police_token)


@pytest.fixture
def valid_payload() -> dict[str, Any]:
    return {
        "crime_reference": "NP/2026/7788",
        "recorded_as": "stalking_4a",
        "officer_in_case": "DC Example",
        "officer_contact": "01234 567890",
        "crime_reported_on": "2026-03-02",
        "given_name": "Araminta",
        "family_name": "Holloway",
        "date_of_birth": "1990-06-15",
        "phone": "07911 123456",
        "email": "araminta@example.org",
        "postcode": "NS1 4AB",
        "safe_channels": ["text", "email"],
        "safe_times": "After 6pm",
        "withheld_number_ok": False,
        "code_word": "lighthouse",
        "risk_level": "high",
        "risk_information": "Suspect has turned up at the home address.",
        "consent_to_contact": True,
        "consent_to_share_with_police": True,
    }
