"""The OpenAPI description is served and agrees with what the API validates."""

import pytest
from django.test import Client

from harbour.referrals.forms import PoliceReferralForm

pytestmark = pytest.mark.django_db


def test_openapi_description_is_served_without_a_token():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/referrals", "/referrals/{id}"}


def test_request_schema_lists_every_form_field_and_the_required_ones():
    doc = Client().get("/api/v1/openapi.json").json()
    schema = doc["components"]["schemas"]["ReferralRequest"]
    form = PoliceReferralForm()
    assert set(schema["properties"]) == set(form.fields)
    assert "crime_reference" in schema["required"]
    assert "consent_to_contact" in schema["required"]
    assert schema["properties"]["safe_channels"]["type"] == "array"
    assert schema["properties"]["consent_to_contact"]["enum"] == [True]
    assert schema["additionalProperties"] is False


def test_the_documented_example_is_accepted(police_api, orgs):
    from harbour.accounts.models import ServiceArea

    ServiceArea.objects.create(organisation=orgs["provider_a"], postcode_district="ME14")
    doc = police_api.get("/api/v1/openapi.json").json()
    example = doc["components"]["schemas"]["ReferralRequest"]["example"]
    response = police_api.post("/api/v1/referrals", example)
    assert response.status_code == 201, response.content
    assert response.json()["routed_to"] == "Northshire Advocacy"
