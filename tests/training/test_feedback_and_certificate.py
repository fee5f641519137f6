"""An attendee's own link (no account): feedback once, confidence before and after, and the
certificate of attendance as a PDF, which a person can read (rendered with pdftoppm)."""

from __future__ import annotations

import datetime
import re
import subprocess

import pytest
from django.test import Client
from django.utils import timezone

from harbour.training import services
from harbour.training.models import Feedback
from tests.access.expect_training import FEEDBACK

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(orgs, cast):
    tariq = cast["tariq"]
    return services.schedule_session(
        orgs["provider_a"],
        by=tariq,
        title="Stalking awareness for salon staff",
        starts_at=timezone.now() - datetime.timedelta(days=1),
        duration_minutes=90,
        place="their_premises",
        venue="Salon",
        area="Northtown",
        trainer=tariq,
        capacity=8,
    )


@pytest.fixture
def attendee(session, cast):
    return services.add_attendee(
        session, name="Perpetua Example", email="", sector="beauty", partner=None, by=cast["tariq"]
    )


def _deliver(session, cast):
    services.deliver_session(session, attendance={"beauty": 6}, by=cast["tariq"])


def test_the_feedback_link_opens_only_once_the_session_is_delivered(session, attendee, cast):
    assert Client().get(f"/public/training/feedback/{attendee.token}/").status_code == 404
    _deliver(session, cast)
    assert Client().get(f"/public/training/feedback/{attendee.token}/").status_code == 200


def test_an_unknown_link_is_not_found(session, attendee, cast):
    _deliver(session, cast)
    assert Client().get("/public/training/feedback/not-a-real-token/").status_code == 404


def test_one_response_per_link(session, attendee, cast):
    _deliver(session, cast)
    url = f"/public/training/feedback/{attendee.token}/"
    first = Client().post(url, FEEDBACK)
    assert "Your feedback has been sent" in first.content.decode()
    again = Client().post(url, {**FEEDBACK, "recognising_after": "1"})
    assert "already been given" in again.content.decode()
    stored = Feedback.objects.system("test").get()
    assert (stored.recognising_before, stored.recognising_after) == (2, 4)
    assert Feedback.objects.system("test").count() == 1


def test_the_feedback_form_asks_before_and_after_for_each_area(session, attendee, cast):
    _deliver(session, cast)
    response = Client().post(f"/public/training/feedback/{attendee.token}/", {})
    body = response.content.decode()
    # Each of the three areas, in the error summary and beside its question.
    assert body.count("Select how confident you were before the training") == 6
    assert body.count("Select how confident you are after the training") == 6
    assert not Feedback.objects.system("test").exists()


def test_the_certificate_is_a_pdf_named_without_the_attendees_name(session, attendee, cast):
    _deliver(session, cast)
    response = Client().get(f"/public/training/feedback/{attendee.token}/certificate/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Perpetua" not in response["Content-Disposition"]
    assert "attachment" in response["Content-Disposition"]


def test_the_certificate_says_who_attended_what_and_when(session, attendee, cast, tmp_path):
    _deliver(session, cast)
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(
        Client().get(f"/public/training/feedback/{attendee.token}/certificate/").content
    )
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(pdf), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Stalking awareness training" in text
    assert "Perpetua Example" in text
    assert "Stalking awareness for salon staff" in text
    assert timezone.localtime(session.starts_at).strftime("%B %Y") in text
    assert "Northshire Advocacy" in text
    assert "1.5 hours" in text
    info = subprocess.run(  # noqa: S603
        ["pdfinfo", str(pdf)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)


def test_the_trainer_downloads_certificates_only_after_delivery(session, attendee, cast, as_user):
    tariq = as_user("tariq")
    url = f"/training/attendees/{attendee.public_id}/certificate/"
    assert tariq.get(url).status_code == 404
    _deliver(session, cast)
    response = tariq.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert as_user("bea").get(url).status_code == 404
