"""The police API refuses an implausible date of birth, as every form does."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_the_police_api_refuses_a_date_of_birth_from_1066(police_api, valid_payload):
    response = police_api.post(
        "/api/v1/referrals", {**valid_payload, "date_of_birth": "1066-10-14"}
    )
    assert response.status_code == 400
    assert "date_of_birth" in response.json()["errors"]
