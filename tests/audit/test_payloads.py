"""Audit rows record who, when, what and from where, never the sensitive values themselves."""

from __future__ import annotations

import json

import pytest
from django.test import Client as HttpClient

from harbour.audit.models import AuditEvent
from harbour.cases.models import Client

pytestmark = pytest.mark.django_db

# The values tests/conftest.py gives case_a's client.
CLIENT_VALUES = [
    "Zebedee",
    "Quillfeather",
    "07700 900123",
    "07700900123",
    "+447700900123",
    "zq@example.org",
    "Larkspur",
    "NS1 4ZZ",
]


def _every_stored_value(event: AuditEvent) -> str:
    fields = {
        "actor_username": event.actor_username,
        "verb": event.verb,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "payload": event.payload,
    }
    return json.dumps(fields, default=str).lower()


def test_audit_rows_hold_no_plaintext_of_encrypted_values(cast, case_a, as_user):
    alice, mia, ada = as_user("alice"), as_user("mia"), as_user("ada")
    url = f"/cases/{case_a.public_id}/"
    assert alice.get(url).status_code == 200
    assert alice.get("/cases/").status_code == 200
    assert mia.get(f"{url}access-log/").status_code == 200
    assert as_user("bob").get(url).status_code == 404
    created = ada.post(
        "/accounts/users/new/",
        {
            "username": "km-advocate-9",
            "full_name": "Persephone Gallowglass",
            "role": "advocate",
            "password": "a temporary password 1",
        },
    )
    assert created.status_code == 302
    HttpClient().post("/accounts/sign-in/", {"username": "alice", "password": "Quillfeather-guess"})
    client = Client.objects.system("test").get(pk=case_a.client_id)
    client.phone = "07700 900999"
    client.save()

    events = list(AuditEvent.objects.order_by("seq"))
    verbs = {event.verb for event in events}
    assert {"case.opened", "case.viewed", "case.access_log_viewed", "user.created"} <= verbs
    assert {"access.denied", "auth.failed"} <= verbs
    forbidden = [*CLIENT_VALUES, "Persephone", "Gallowglass", "900999", "Quillfeather-guess"]
    for event in events:
        stored = _every_stored_value(event)
        leaked = [value for value in forbidden if value.lower() in stored]
        assert not leaked, f"audit row #{event.seq} ({event.verb}) holds {leaked}"


def test_a_case_is_identified_in_the_trail_by_its_public_id_not_its_client(case_a):
    opened = AuditEvent.objects.get(verb="case.opened")
    assert opened.object_type == "cases.case"
    assert opened.object_id == str(case_a.public_id)


def test_a_failed_sign_in_records_the_address_but_not_the_password(cast):
    HttpClient(REMOTE_ADDR="203.0.113.9").post(
        "/accounts/sign-in/", {"username": "alice", "password": "wrong-password-xyz"}
    )
    failed = AuditEvent.objects.get(verb="auth.failed")
    assert failed.ip_address == "203.0.113.9"
    assert "wrong-password-xyz" not in _every_stored_value(failed)
