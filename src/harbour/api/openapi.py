"""The OpenAPI 3 description of API v1. The referral schema is derived from the same form that
validates requests, so the description cannot drift from what the API accepts."""

from __future__ import annotations

from typing import Any

from django import forms

from harbour.referrals.forms import PoliceReferralForm
from harbour.referrals.models import Referral


def _schema_for(field: forms.Field) -> dict[str, Any]:
    schema: dict[str, Any]
    choices: Any = getattr(field, "choices", ())
    if isinstance(field, forms.MultipleChoiceField):
        schema = {
            "type": "array",
            "items": {"type": "string", "enum": [str(v) for v, _ in choices]},
            "uniqueItems": True,
        }
    elif isinstance(field, forms.ChoiceField):
        schema = {"type": "string", "enum": [str(v) for v, _ in choices]}
    elif isinstance(field, forms.BooleanField):
        schema = {"type": "boolean"}
        if field.required:
            schema["enum"] = [True]
    elif isinstance(field, forms.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, forms.EmailField):
        schema = {"type": "string", "format": "email"}
    else:
        schema = {"type": "string"}
        if getattr(field, "max_length", None):
            schema["maxLength"] = field.max_length  # type: ignore[attr-defined]
    description = " ".join(str(x) for x in (field.label, field.help_text) if x)
    if description:
        schema["description"] = description
    return schema


#: A synthetic example request (tests check that the API accepts it).
EXAMPLE_REQUEST: dict[str, Any] = {
    "crime_reference": "46/12345/26",
    "recorded_as": "stalking_4a",
    "crime_reported_on": "2026-03-02",
    "officer_in_case": "DC 1234 Example",
    "officer_contact": "01234 567890 ext 1234",
    "suspect_name": "Sam Example",
    "suspect_relationship": "ex_partner",
    "suspect_identifiers": "07700 900123",
    "bail_conditions": "Not to contact the victim directly or indirectly.",
    "given_name": "Alex",
    "family_name": "Example",
    "date_of_birth": "1990-06-15",
    "phone": "07911 123456",
    "postcode": "ME14 1XX",
    "safe_channels": ["call", "text"],
    "safe_times": "Weekdays before 3pm",
    "withheld_number_ok": False,
    "code_word": "lighthouse",
    "risk_level": "high",
    "risk_information": "Suspect knows the home address.",
    "consent_to_contact": True,
    "consent_to_share_with_police": True,
}


def referral_request_schema() -> dict[str, Any]:
    form = PoliceReferralForm()
    return {
        "type": "object",
        "example": EXAMPLE_REQUEST,
        "additionalProperties": False,
        "required": [name for name, f in form.fields.items() if f.required],
        "properties": {name: _schema_for(f) for name, f in form.fields.items()},
    }


def openapi_document() -> dict[str, Any]:
    error = {"$ref": "#/components/schemas/Error"}
    status_ref = {"$ref": "#/components/schemas/ReferralStatus"}
    nullable_string = {"type": ["string", "null"]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Harbour API",
            "version": "1",
            "description": (
                "Police systems send stalking referrals to the advocacy service covering the "
                "victim's postcode district and read back what happened. Authenticate with the "
                "organisation's token: `Authorization: Bearer hbt_...`."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/referrals": {
                "post": {
                    "summary": "Send a referral",
                    "operationId": "createReferral",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ReferralRequest"}
                            }
                        },
                    },
                    "responses": {
                        "201": {
                            "description": "Stored and routed (or signposted if out of area).",
                            "headers": {"Location": {"schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": status_ref}},
                        },
                        "400": {
                            "description": "Invalid; nothing was stored. `errors` maps each field "
                            "to its problems.",
                            "content": {"application/json": {"schema": error}},
                        },
                        "401": {
                            "description": "No valid token.",
                            "content": {"application/json": {"schema": error}},
                        },
                        "403": {
                            "description": "The token's organisation may not send referrals.",
                            "content": {"application/json": {"schema": error}},
                        },
                    },
                }
            },
            "/referrals/{id}": {
                "get": {
                    "summary": "Read a referral's status",
                    "operationId": "getReferralStatus",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "format": "uuid"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The referral's status. Never the case content.",
                            "content": {"application/json": {"schema": status_ref}},
                        },
                        "401": {
                            "description": "No valid token.",
                            "content": {"application/json": {"schema": error}},
                        },
                        "404": {
                            "description": "No such referral sent by this organisation.",
                            "content": {"application/json": {"schema": error}},
                        },
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "ReferralRequest": referral_request_schema(),
                "ReferralStatus": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "status": {"type": "string", "enum": list(Referral.Status.values)},
                        "status_label": {"type": "string"},
                        "received_at": {"type": "string", "format": "date-time"},
                        "routed_to": nullable_string,
                        "first_contact_due_by": {"type": "string", "format": "date-time"},
                        "first_contact_attempt_at": {
                            "type": ["string", "null"],
                            "format": "date-time",
                        },
                        "working_days_to_first_contact": {"type": ["integer", "null"]},
                        "decline_reason": {
                            "type": ["string", "null"],
                            "enum": [*Referral.DeclineReason.values, None],
                        },
                        "decline_reason_label": nullable_string,
                        "signposted_to": nullable_string,
                        "outcome_at": {"type": ["string", "null"], "format": "date-time"},
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {"type": "string"},
                        "errors": {
                            "type": "object",
                            "additionalProperties": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "message": {"type": "string"},
                                        "code": {"type": "string"},
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    }
