"""The referrals API: token per organisation, field-level errors, nothing stored when invalid."""

import pytest

from harbour.api.models import ApiToken
from harbour.audit.models import AuditEvent
from harbour.referrals import services
from harbour.referrals.models import Referral
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db
URL = "/api/v1/referrals"


def _stored():
    return Referral.objects.system("test")


def test_valid_referral_is_stored_routed_and_answered_with_its_status(
    police_api, valid_payload, orgs
):
    response = police_api.post(URL, valid_payload)
    assert response.status_code == 201
    body = response.json()
    referral = _stored().get()
    assert body["id"] == str(referral.public_id)
    assert body["status"] == "received"
    assert body["routed_to"] == "Northshire Advocacy"
    assert response["Location"] == f"/api/v1/referrals/{referral.public_id}"
    assert referral.referring_organisation == orgs["police"]
    assert referral.source == Referral.Source.POLICE
    assert referral.safe_channels() == ["text", "email"]
    assert referral.code_word == "lighthouse"
    assert referral.date_of_birth.isoformat() == "1990-06-15"
    assert "Araminta" not in response.content.decode()


def test_missing_and_wrong_fields_get_field_level_errors_and_nothing_is_stored(
    police_api, valid_payload
):
    payload = {**valid_payload, "recorded_as": "burglary", "postcode": "nowhere"}
    del payload["crime_reference"]
    response = police_api.post(URL, payload)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"crime_reference", "recorded_as", "postcode"}
    assert errors["crime_reference"][0]["code"] == "required"
    assert not _stored().exists()


def test_wrong_json_types_are_field_errors(police_api, valid_payload):
    payload = {
        **valid_payload,
        "safe_channels": "text",
        "consent_to_contact": "yes",
        "given_name": ["A"],
    }
    response = police_api.post(URL, payload)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {k: v[0]["code"] for k, v in errors.items()} == {
        "safe_channels": "invalid_type",
        "consent_to_contact": "invalid_type",
        "given_name": "invalid_type",
    }
    assert not _stored().exists()


def test_unknown_fields_are_refused(police_api, valid_payload):
    response = police_api.post(URL, {**valid_payload, "status": "accepted"})
    assert response.status_code == 400
    assert response.json()["errors"]["status"][0]["code"] == "unknown_field"
    assert not _stored().exists()


def test_referral_without_consent_is_refused(police_api, valid_payload):
    response = police_api.post(URL, {**valid_payload, "consent_to_contact": False})
    assert response.status_code == 400
    assert "consent_to_contact" in response.json()["errors"]
    assert not _stored().exists()


def test_unsafe_channel_without_its_detail_is_an_error(police_api, valid_payload):
    payload = {**valid_payload, "safe_channels": ["post"]}
    response = police_api.post(URL, payload)
    assert response.status_code == 400
    assert "address" in response.json()["errors"]


@pytest.mark.parametrize("body", ["not json", "[1, 2]", ""])
def test_a_body_that_is_not_a_json_object_is_refused(police_api, body):
    assert police_api.post(URL, body).status_code == 400
    assert not _stored().exists()


def test_no_token_wrong_token_and_revoked_token_get_401(valid_payload, police_token):
    assert ApiClient(None).post(URL, valid_payload).status_code == 401
    assert ApiClient("hbt_wrong").post(URL, valid_payload).status_code == 401
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    response = ApiClient(police_token).post(URL, valid_payload)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not _stored().exists()


def test_a_signed_in_session_is_not_an_api_credential(as_user, valid_payload):
    import json

    client = as_user("pete")
    response = client.post(URL, json.dumps(valid_payload), content_type="application/json")
    assert response.status_code == 401
    assert not _stored().exists()


def test_a_providers_token_cannot_send_referrals(orgs, valid_payload):
    token = ApiToken.issue(orgs["provider_a"])[1]
    assert ApiClient(token).post(URL, valid_payload).status_code == 403


def test_tokens_are_stored_only_as_hashes(orgs):
    row, token = ApiToken.issue(orgs["police"])
    assert token not in row.token_hash
    assert token.startswith("hbt_")


def test_status_shows_progress_and_decline_reason_but_no_case_content(
    police_api, valid_payload, cast
):
    created = police_api.post(URL, valid_payload).json()
    referral = _stored().get()
    services.attempt_contact(referral, channel="text", outcome="sent", by=cast["alice"])
    services.decline(referral, reason="person_declined", note="private", by=cast["alice"])
    response = police_api.get(f"{URL}/{created['id']}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "declined"
    assert body["decline_reason"] == "person_declined"
    assert body["working_days_to_first_contact"] == 0
    text = response.content.decode()
    for private in ("private", "Araminta", "lighthouse", "07911"):
        assert private not in text
    assert AuditEvent.objects.filter(verb="referral.status_read").exists()


def test_another_forces_token_gets_404_for_the_status(police_api, valid_payload, orgs):
    from harbour.accounts.models import Organisation

    created = police_api.post(URL, valid_payload).json()
    other = Organisation.objects.create(name="Southshire Police", kind="police_force")
    response = ApiClient(ApiToken.issue(other)[1]).get(f"{URL}/{created['id']}")
    assert response.status_code == 404


def test_out_of_area_referral_stays_open_with_the_triage_team(police_api, valid_payload, orgs):
    from harbour.coverage.services import set_triage_team

    set_triage_team(orgs["provider_b"], username="test")
    body = police_api.post(URL, {**valid_payload, "postcode": "ZE1 0AA"}).json()
    assert body["status"] == "received"
    assert body["routed_to"] == orgs["provider_b"].name
    assert body["signposted_to"] is None


def test_get_on_the_collection_is_not_allowed(police_api):
    assert police_api.get(URL).status_code == 405


def test_a_providers_signpost_text_is_not_in_the_status(police_api, valid_payload, cast):
    created = police_api.post(URL, valid_payload).json()
    services.signpost(_stored().get(), to="Named counsellor on Elm Street", by=cast["alice"])
    body = police_api.get(f"{URL}/{created['id']}").json()
    assert body["status"] == "signposted"
    assert body["signposted_to"] is None
