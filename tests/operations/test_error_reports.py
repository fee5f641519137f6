"""Error reports: what leaves for a Sentry-compatible service is scrubbed first.

A transport that keeps events in a list stands in for the network (nothing is sent anywhere).
"""

from __future__ import annotations

import json

import pytest
import sentry_sdk
from django.test import Client
from sentry_sdk.transport import Transport

from harbour.cases.models import Client as CaseClient
from harbour.core import plaintexts
from harbour.operations import errors
from tests.conftest import signed_in_client

SEEDED = ("Zebedee", "Quillfeather", "07700 900123", "14 Larkspur Crescent", "zq@example.org")


class Keeping(Transport):
    sent: list[dict] = []

    def capture_envelope(self, envelope) -> None:
        for item in envelope.items:
            payload = item.payload.json
            if payload is not None:
                Keeping.sent.append(payload)


@pytest.fixture
def reporting():
    Keeping.sent = []
    errors.init("https://public@errors.example.invalid/1", environment="test", transport=Keeping)
    yield Keeping.sent
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)
    plaintexts.enabled = False


def leaked(events: list[dict]) -> list[str]:
    text = json.dumps(events)
    return [value for value in SEEDED if value in text]


def test_an_error_on_a_case_page_reaches_the_error_service_without_the_clients_details(
    reporting, case_a, cast, monkeypatch
):
    client = signed_in_client(cast["alice"])
    client.raise_request_exception = False
    case_client = CaseClient.unscoped.get(pk=case_a.client_id)

    def broken_render(request, template, context=None, *args, **kwargs):
        # The failure carries the client's name in its message, as a careless one might.
        raise ValueError(f"could not show {case_client.given_name} {case_client.family_name}")

    monkeypatch.setattr("harbour.cases.views.render", broken_render)
    client.cookies["note"] = "07700 900123"
    response = client.get(f"/cases/{case_a.public_id}/?q=Zebedee", HTTP_X_NOTE="Quillfeather")
    assert response.status_code == 500
    sentry_sdk.flush()
    assert reporting, "no event was sent"
    event = reporting[0]
    assert event["exception"]["values"][0]["type"] == "ValueError"
    assert "[Filtered] [Filtered]" in event["exception"]["values"][0]["value"]
    assert leaked(reporting) == []
    assert set(event.get("request", {})) <= {"method", "url"}
    assert "breadcrumbs" not in event


def test_a_captured_exception_keeps_no_local_variables(reporting, case_a):
    case_client = CaseClient.unscoped.get(pk=case_a.client_id)
    name = case_client.given_name  # a local variable holding a name
    try:
        raise RuntimeError("something failed")
    except RuntimeError:
        sentry_sdk.capture_exception()
    sentry_sdk.flush()
    assert name == "Zebedee"
    assert reporting
    frames = reporting[0]["exception"]["values"][0]["stacktrace"]["frames"]
    assert all("vars" not in frame for frame in frames)
    assert leaked(reporting) == []


def test_the_scrubber_removes_bodies_cookies_headers_and_query_strings():
    event = {
        "request": {
            "method": "POST",
            "url": "https://harbour.example.org/cases/x/?name=someone",
            "data": {"given_name": "someone"},
            "cookies": {"harbour_session": "abc"},
            "headers": {"Authorization": "Bearer abc"},
            "query_string": "name=someone",
            "env": {"REMOTE_ADDR": "10.0.0.1"},
        },
        "user": {"id": 7, "username": "alice", "ip_address": "10.0.0.1"},
        "breadcrumbs": {"values": [{"message": "SELECT ... 'someone'"}]},
    }
    scrubbed = errors.scrub(event)
    assert scrubbed["request"] == {"method": "POST", "url": "https://harbour.example.org/cases/x/"}
    assert scrubbed["user"] == {"id": 7}
    assert "breadcrumbs" not in scrubbed


def test_error_reports_are_off_without_a_dsn(db):
    assert sentry_sdk.get_client().dsn is None
    assert Client().get("/health/live").status_code == 200
