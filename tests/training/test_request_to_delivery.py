"""A training request from the public page to a delivered session: the trainer's queue shows it,
scheduling makes the organisation a partner, attendance is recorded by sector, and the request and
the figures follow. A cancelled session cancels its request; nothing is delivered twice."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.training.models import (
    PartnerOrganisation,
    SectorAttendance,
    TrainingRequest,
    TrainingSession,
)
from tests.access.expect_training import PUBLIC_REQUEST, SCHEDULE
from tests.conftest import page_of

pytestmark = pytest.mark.django_db


def _requests():
    return TrainingRequest.objects.system("test")


def _send_request(orgs, **overrides):
    data = {**PUBLIC_REQUEST, "provider": orgs["provider_a"].pk, **overrides}
    return Client(REMOTE_ADDR="192.0.2.40").post("/public/training/request/", data)


def test_the_public_form_offers_only_providers_with_a_trainer(orgs, cast):
    body = Client().get("/public/training/request/").content.decode()
    assert "Northshire Advocacy" in body
    assert "Southshire Support" not in body  # provider B has no trainer


def test_a_request_from_the_public_page_reaches_the_trainers_queue_and_nobody_elses(
    orgs, cast, as_user
):
    response = _send_request(orgs)
    assert response.status_code == 302
    assert response["Location"] == "/public/training/request/sent/"
    found = _requests().get()
    assert found.provider == orgs["provider_a"]
    assert found.organisation_name == "Salon Seven"
    assert found.status == TrainingRequest.Status.RECEIVED
    assert AuditEvent.objects.filter(verb="training.request_received").count() == 1
    assert "Salon Seven" in page_of(as_user("tariq").get("/training/"), "Training")
    assert "Salon Seven" not in page_of(as_user("bea").get("/training/"), "Training")


def test_a_request_without_any_way_to_reply_is_refused_with_the_entries_kept(orgs, cast):
    response = _send_request(orgs, contact_email="")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter an email address or a phone number" in body
    assert 'value="Salon Seven"' in body
    assert not _requests().exists()


def test_the_public_page_carries_exit_this_page_and_a_honeypot(orgs, cast):
    body = Client().get("/public/training/request/").content.decode()
    assert "Exit this page" in body
    assert 'name="website"' in body
    assert 'name="form_token"' in body


def test_a_honeypot_hit_looks_sent_and_stores_nothing(orgs, cast):
    response = _send_request(orgs, website="http://spam.example")
    assert response.status_code == 302
    assert not _requests().exists()


def test_the_hourly_limit_per_address_applies_to_training_requests_too(orgs, cast, settings):
    settings.HARBOUR_PUBLIC_SUBMISSIONS_PER_HOUR = 1
    assert _send_request(orgs).status_code == 302
    response = _send_request(orgs, organisation_name="Gym Two")
    assert response.status_code == 429
    assert 'value="Gym Two"' in response.content.decode()
    assert _requests().count() == 1


def test_request_to_scheduled_session_to_delivered_with_attendance_by_sector(orgs, cast, as_user):
    _send_request(orgs)
    request = _requests().get()
    tariq = as_user("tariq")
    response = tariq.post(
        f"/training/requests/{request.public_id}/schedule/",
        {**SCHEDULE, "trainer": cast["tariq"].pk},
    )
    session = TrainingSession.objects.system("test").get()
    assert response["Location"] == f"/training/sessions/{session.public_id}/"
    request.refresh_from_db()
    assert request.status == TrainingRequest.Status.SCHEDULED
    assert request.partner == PartnerOrganisation.objects.system("test").get(name="Salon Seven")
    assert session.request == request and session.capacity == 14

    # Scheduling the same request again is refused: the page is gone.
    again = tariq.get(f"/training/requests/{request.public_id}/schedule/")
    assert again.status_code == 404

    tariq.post(
        f"/training/sessions/{session.public_id}/attendees/new/",
        {"name": "Hattie Example", "sector": "hairdressing"},
    )
    response = tariq.post(
        f"/training/sessions/{session.public_id}/delivered/",
        {"hairdressing": "5", "beauty": "2"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    request.refresh_from_db()
    assert session.status == TrainingSession.Status.DELIVERED
    assert request.status == TrainingRequest.Status.DELIVERED
    rows = dict(
        SectorAttendance.objects.system("test")
        .filter(session=session)
        .values_list("sector", "people")
    )
    assert rows == {"hairdressing": 5, "beauty": 2}
    page = page_of(tariq.get(f"/training/sessions/{session.public_id}/"), "Training session")
    assert "Hairdressing" in page and re.search(r"<strong>7</strong>", page)
    assert tariq.get(f"/training/sessions/{session.public_id}/delivered/").status_code == 404


def test_attendance_must_name_at_least_one_sector(orgs, cast, as_user):
    _send_request(orgs)
    request = _requests().get()
    tariq = as_user("tariq")
    tariq.post(
        f"/training/requests/{request.public_id}/schedule/",
        {**SCHEDULE, "trainer": cast["tariq"].pk},
    )
    session = TrainingSession.objects.system("test").get()
    response = tariq.post(f"/training/sessions/{session.public_id}/delivered/", {})
    assert "Enter how many people came from each sector" in response.content.decode()
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.SCHEDULED


def test_cancelling_a_session_cancels_its_request_with_the_reason(orgs, cast, as_user):
    _send_request(orgs)
    request = _requests().get()
    tariq = as_user("tariq")
    tariq.post(
        f"/training/requests/{request.public_id}/schedule/",
        {**SCHEDULE, "trainer": cast["tariq"].pk},
    )
    session = TrainingSession.objects.system("test").get()
    tariq.post(f"/training/sessions/{session.public_id}/cancel/", {"reason": "Salon closed."})
    session.refresh_from_db()
    request.refresh_from_db()
    assert session.status == TrainingSession.Status.CANCELLED
    assert session.cancelled_reason == "Salon closed."
    assert request.status == TrainingRequest.Status.CANCELLED


def test_a_request_can_be_cancelled_before_it_is_scheduled(orgs, cast, as_user):
    _send_request(orgs)
    request = _requests().get()
    as_user("mia").post(
        f"/training/requests/{request.public_id}/cancel/", {"reason": "Out of our area."}
    )
    request.refresh_from_db()
    assert request.status == TrainingRequest.Status.CANCELLED
    assert request.closed_reason == "Out of our area."


def test_an_event_has_many_organisations(orgs, cast, as_user):
    from harbour.training import services

    tariq = as_user("tariq")
    response = tariq.post(
        "/training/sessions/new/",
        {
            **SCHEDULE,
            "kind": "event",
            "title": "Half-day conference",
            "trainer": cast["tariq"].pk,
        },
    )
    session = TrainingSession.objects.system("test").get()
    assert response["Location"] == f"/training/sessions/{session.public_id}/"
    names = ["Kent Fire", "Tonbridge Surgery", "Hair by Hazel"]
    for name in names:
        partner = services.add_partner(
            orgs["provider_a"], by=cast["tariq"], name=name, sector="other"
        )
        tariq.post(
            f"/training/sessions/{session.public_id}/organisations/", {"partner": partner.pk}
        )
    page = page_of(tariq.get(f"/training/sessions/{session.public_id}/"), "Training session")
    for name in names:
        assert name in page
