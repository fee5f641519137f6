"""Metrics: who may read them, and that labels hold names from a fixed set, never data."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY

from harbour.alerts.services import enqueue_send
from tests.conftest import PASSWORD

TOKEN = "m" * 40


def read(client: Client | None = None, **headers: str):
    return (client or Client()).get("/metrics", **headers)


def test_metrics_are_off_until_an_address_range_or_token_is_configured(as_user):
    assert read().status_code == 404
    assert read(as_user("mia")).status_code == 404
    assert read(HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


def test_an_address_in_the_allowed_range_reads_them(db, settings):
    settings.HARBOUR_METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    response = read()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert b"harbour_http_requests_total" in response.content


def test_an_address_outside_the_range_gets_not_found(db, settings):
    settings.HARBOUR_METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert read().status_code == 404


def test_a_forged_forwarded_address_does_not_get_in(db, settings):
    settings.HARBOUR_METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert read(HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 404


def test_the_right_bearer_token_reads_them_from_anywhere(db, settings):
    settings.HARBOUR_METRICS_TOKEN = TOKEN
    assert read(HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert read(HTTP_AUTHORIZATION=f"Bearer {TOKEN[:-1]}x").status_code == 404
    assert read(HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 404
    assert read().status_code == 404


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_requests_are_counted_by_url_name_and_no_label_holds_a_reference_or_a_name(
    as_user, case_a, settings
):
    settings.HARBOUR_METRICS_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    before = value("harbour_http_requests_total", route="cases:detail", method="GET", status="200")
    assert as_user("alice").get(f"/cases/{case_a.public_id}/").status_code == 200
    assert as_user("alice").get(f"/cases/{case_a.public_id}/?name=Zebedee").status_code == 200
    after = value("harbour_http_requests_total", route="cases:detail", method="GET", status="200")
    assert after == before + 2
    assert value("harbour_http_request_duration_seconds_count", route="cases:detail") >= 2
    text = read().content.decode()
    for secret in (case_a.reference, str(case_a.public_id), "Zebedee", "Quillfeather", "NS1 4ZZ"):
        assert secret not in text


def test_failed_sign_ins_and_lockouts_are_counted(cast, settings):
    failures = value("harbour_sign_in_failures_total", stage="password")
    lockouts = value("harbour_lockouts_total", tier="username_and_address")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post("/accounts/sign-in/", {"username": "alice", "password": "wrong guess"})
    assert value("harbour_sign_in_failures_total", stage="password") > failures
    assert value("harbour_lockouts_total", tier="username_and_address") > lockouts
    assert PASSWORD  # the cast's real password was never used


def test_audit_rows_are_counted_by_verb(cast):
    from harbour.audit.log import record

    before = value("harbour_audit_rows_written_total", verb="auth.signed_out")
    record(actor=cast["alice"], verb="auth.signed_out")
    assert value("harbour_audit_rows_written_total", verb="auth.signed_out") == before + 1


@pytest.mark.parametrize("waiting", [0, 2])
def test_the_task_queue_length_and_age_are_read_at_scrape_time(cast, settings, waiting):
    settings.HARBOUR_METRICS_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    for _ in range(waiting):
        enqueue_send(cast["alice"].pk)
    assert DBTaskResult.objects.count() == waiting
    text = read().content.decode()
    if waiting:
        assert 'harbour_tasks_queued{queue="default"} 2.0' in text
        assert 'harbour_tasks_oldest_queued_seconds{queue="default"}' in text
    else:
        assert "harbour_tasks_queued{" not in text
    assert "harbour_audit_chain_length" in text
