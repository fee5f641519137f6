"""The page where each member of staff chooses their alerts, and the daily command."""

from __future__ import annotations

from io import StringIO

from django.core import mail
from django.core.management import call_command

from harbour.alerts.models import AlertSettings
from harbour.audit.models import AuditEvent
from tests.alerts.conftest import choose
from tests.conftest import page_of


def test_a_manager_chooses_from_every_kind_of_alert(as_user):
    body = page_of(as_user("mia").get("/alerts/"), "Alerts")
    assert "Emergency access claims to review" in body
    assert "Referrals no service covers" in body


def test_a_police_coordinator_is_offered_only_alerts_about_their_own_account(as_user):
    body = page_of(as_user("pete").get("/alerts/"), "Alerts")
    assert "Changes to your own account" in body
    assert "New referrals" not in body
    assert "Emergency access" not in body


def test_saving_choices_keeps_the_address_encrypted_and_audits_the_choice_not_the_address(
    as_user, cast
):
    response = as_user("alice").post(
        "/alerts/",
        {"email": "alice.advocate@work.example", "new_referral": "daily", "deadline": "off"},
    )
    assert response.status_code == 302
    settings = AlertSettings.objects.get(user=cast["alice"])
    assert settings.email == "alice.advocate@work.example"
    assert settings.frequency("new_referral") == "daily"
    assert settings.frequency("deadline") == "off"
    event = AuditEvent.objects.get(verb="alert.settings_changed")
    assert "alice.advocate" not in str(event.payload)
    assert event.payload["address_changed"] is True
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM alerts_alertsettings")
        (stored,) = cursor.fetchone()
    assert "alice.advocate" not in stored


def test_a_malformed_address_is_refused_with_the_form_again(as_user, cast):
    body = page_of(as_user("alice").post("/alerts/", {"email": "not an address"}), "Error: Alerts")
    assert "govuk-error-summary" in body
    assert not AlertSettings.objects.filter(user=cast["alice"]).exists()


def test_the_daily_command_queues_each_persons_summary(cast):
    from harbour.alerts.services import raise_alert

    choose(cast["mia"], frequency="daily")
    raise_alert("emergency_access", [cast["mia"]], key="audit:1")
    out = StringIO()
    call_command("alerts", "daily", stdout=out)
    assert "daily summaries queued: 1" in out.getvalue()


def test_an_operator_checks_the_mail_relay_with_a_test_alert(cast):
    choose(cast["ada"])
    out = StringIO()
    call_command("alerts", "test", "ada", stdout=out)
    assert "Test alert: sent." in out.getvalue()
    assert [m.to for m in mail.outbox] == [["ada@work.example"]]
