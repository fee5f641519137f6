"""Each alert: what raises it, who gets it, and that it says nothing about anyone."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from harbour.alerts import services
from harbour.alerts.models import Alert
from harbour.audit.models import AuditEvent
from harbour.cases.services import break_glass
from harbour.coverage import services as coverage
from harbour.justice.models import Reminder
from harbour.referrals.models import Referral
from harbour.referrals.services import receive_referral
from tests.alerts.conftest import assert_says_nothing_about_anyone, choose
from tests.conftest import PASSWORD


def send_queued() -> None:
    """What `harbour worker` would do with the queued alert tasks."""
    for result in DBTaskResult.objects.filter(status="READY").order_by("enqueued_at"):
        args = result.args_kwargs["args"]
        services.send_waiting(args[0], digest=args[1])
        result.delete()


def test_a_new_referral_for_the_organisation_is_alerted_at_once_saying_nothing_about_anyone(
    cast, referral_fields, django_capture_on_commit_callbacks
):
    choose(cast["alice"])
    choose(cast["bob"])  # another organisation's advocate hears nothing
    with django_capture_on_commit_callbacks(execute=True):
        referral = receive_referral(source=Referral.Source.SELF, fields=referral_fields)
    send_queued()
    assert [m.to for m in mail.outbox] == [["alice@work.example"]]
    message = mail.outbox[0]
    assert message.subject == "Harbour: new referral"
    assert "You have 1 new referral in Harbour." in message.body
    assert_says_nothing_about_anyone(mail.outbox, extra=(str(referral.public_id),))


def test_the_outcome_is_in_the_audit_trail_without_the_message(
    cast, referral_fields, django_capture_on_commit_callbacks
):
    choose(cast["alice"])
    with django_capture_on_commit_callbacks(execute=True):
        receive_referral(source=Referral.Source.SELF, fields=referral_fields)
    send_queued()
    event = AuditEvent.objects.get(verb="alert.sent")
    assert event.object_type == "accounts.user"
    assert event.object_id == str(cast["alice"].pk)
    assert event.payload == {"kinds": {"new_referral": 1}, "digest": False, "attempts": 1}
    assert "new referral in Harbour" not in str(event.payload)


def test_a_referral_nobody_covers_alerts_the_triage_teams_managers(
    cast, orgs, django_capture_on_commit_callbacks
):
    coverage.set_triage_team(orgs["provider_a"], username="test")
    choose(cast["mia"])
    choose(cast["alice"])  # advocates do not get unrouted referrals: managers route them
    with django_capture_on_commit_callbacks(execute=True):
        receive_referral(
            source=Referral.Source.SELF,
            fields={"given_name": "Philippa", "postcode": "ZZ9 9ZZ", "safe_call": True},
        )
    send_queued()
    assert [m.to for m in mail.outbox] == [["mia@work.example"]]
    assert "1 referral that no service covers is waiting" in mail.outbox[0].body
    assert_says_nothing_about_anyone(mail.outbox)


def test_a_referral_still_unrouted_next_day_is_alerted_again_once_that_day(cast, orgs):
    coverage.set_triage_team(orgs["provider_a"], username="test")
    receive_referral(
        source=Referral.Source.SELF,
        fields={"given_name": "Philippa", "postcode": "ZZ9 9ZZ", "safe_call": True},
    )
    choose(cast["mia"], frequency="daily")
    later = timezone.now() + datetime.timedelta(days=1)
    assert services.sweep(later) == {"unrouted_referral": 1}
    assert services.sweep(later) == {}
    assert Alert.objects.filter(user=cast["mia"], kind="unrouted_referral").count() == 1


def test_a_referral_near_its_first_contact_target_is_alerted_once(cast, referral_fields):
    referral = receive_referral(source=Referral.Source.SELF, fields=referral_fields)
    choose(cast["alice"], frequency="daily")
    choose(cast["tariq"], frequency="daily")  # a trainer has no part in first contact
    just_before = referral.due_by - datetime.timedelta(hours=3)
    assert services.sweep(just_before) == {"first_contact_due": 1}
    assert services.sweep(just_before) == {}
    too_early = referral.due_by - datetime.timedelta(days=3)
    Alert.objects.all().delete()
    assert services.sweep(too_early) == {}


def test_a_deadline_reminder_is_alerted_to_the_person_it_was_written_for(
    cast, case_a, django_capture_on_commit_callbacks
):
    choose(cast["alice"])
    choose(cast["mia"])
    with django_capture_on_commit_callbacks(execute=True):
        Reminder.unscoped.create(
            user=cast["alice"],
            case=case_a,
            key="order:1:renewal:due",
            kind="renewal",
            stage="due",
            due_on=timezone.localdate(),
            link="/justice/",
        )
    send_queued()
    assert [m.to for m in mail.outbox] == [["alice@work.example"]]
    assert "A deadline on one of your cases is coming up." in mail.outbox[0].body
    assert_says_nothing_about_anyone(
        mail.outbox, extra=("Zebedee", "Quillfeather", "07700 900123", case_a.reference)
    )


def test_an_emergency_access_claim_is_alerted_to_the_organisations_managers(
    cast, case_a, django_capture_on_commit_callbacks
):
    choose(cast["mia"])
    choose(cast["bea"])  # a manager elsewhere does not review it
    choose(cast["amir"])  # the advocate who claimed it is not told of his own claim
    with django_capture_on_commit_callbacks(execute=True):
        break_glass(
            reference=case_a.reference, reason="The client called the duty line.", by=cast["amir"]
        )
    send_queued()
    assert [m.to for m in mail.outbox] == [["mia@work.example"]]
    assert "An emergency access claim needs your review." in mail.outbox[0].body
    assert_says_nothing_about_anyone(
        mail.outbox, extra=("Zebedee", "Quillfeather", case_a.reference, "duty line")
    )


def test_a_password_change_is_alerted_to_the_person_whose_account_it_is(
    cast, as_user, django_capture_on_commit_callbacks
):
    choose(cast["pete"], frequency="off", account_change="immediate")
    client = as_user("pete")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/security/password/",
            {
                "current_password": PASSWORD,
                "new_password": "lantern quarry velvet orchid",
                "confirm_password": "lantern quarry velvet orchid",
            },
        )
    assert response.status_code == 302
    send_queued()
    assert [m.to for m in mail.outbox] == [["pete@work.example"]]
    assert mail.outbox[0].subject == "Harbour: your account changed"
    assert_says_nothing_about_anyone(mail.outbox, extra=("Pete",))


def test_a_new_second_factor_is_alerted_to_its_owner(cast, django_capture_on_commit_callbacks):
    from harbour.audit.log import record
    from harbour.audit.verbs import AuditVerb

    choose(cast["ada"])
    with django_capture_on_commit_callbacks(execute=True):
        record(actor=cast["ada"], verb=AuditVerb.AUTH_MFA_ENROLLED, obj=cast["ada"])
    send_queued()
    assert [m.to for m in mail.outbox] == [["ada@work.example"]]


def test_the_daily_summary_gathers_a_days_alerts_into_one_message(
    cast, case_a, referral_fields, django_capture_on_commit_callbacks
):
    choose(cast["mia"], frequency="daily")
    with django_capture_on_commit_callbacks(execute=True):
        receive_referral(source=Referral.Source.SELF, fields=referral_fields)
        receive_referral(source=Referral.Source.SELF, fields=referral_fields | {"phone": ""})
        break_glass(
            reference=case_a.reference, reason="The client called the duty line.", by=cast["amir"]
        )
    assert not DBTaskResult.objects.exists()  # nothing at once
    assert services.queue_digests() == 1
    send_queued()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Harbour: your daily summary"
    assert "- You have 2 new referrals in Harbour." in message.body
    assert "- An emergency access claim needs your review." in message.body
    assert_says_nothing_about_anyone(mail.outbox, extra=(case_a.reference,))
    assert services.queue_digests() == 0  # sent once


def test_nobody_is_alerted_who_chose_never_or_gave_no_address(
    cast, referral_fields, django_capture_on_commit_callbacks
):
    choose(cast["alice"], frequency="off")
    with django_capture_on_commit_callbacks(execute=True):
        receive_referral(source=Referral.Source.SELF, fields=referral_fields)
    # Amir never chose anything, so has no address.
    assert not Alert.objects.exists()
    assert not DBTaskResult.objects.exists()


class Refusing:
    """An e-mail backend whose relay is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("relay down")


@override_settings(EMAIL_BACKEND="tests.alerts.test_alerts.Refusing", HARBOUR_ALERT_ATTEMPTS=2)
def test_a_failed_send_is_retried_later_then_recorded_as_failed(
    cast, referral_fields, django_capture_on_commit_callbacks
):
    choose(cast["alice"])
    with django_capture_on_commit_callbacks(execute=True):
        receive_referral(source=Referral.Source.SELF, fields=referral_fields)
    alice = cast["alice"].pk
    assert services.send_waiting(alice) == "retry"
    retry = DBTaskResult.objects.filter(status="READY").order_by("-enqueued_at").first()
    assert retry.run_after is not None and retry.run_after > timezone.now()
    assert Alert.objects.get().attempts == 1
    assert services.send_waiting(alice) == "failed"
    alert = Alert.objects.get()
    assert alert.status == Alert.Status.FAILED
    event = AuditEvent.objects.get(verb="alert.failed")
    assert event.object_id == str(alice)
    assert event.payload == {
        "kinds": {"new_referral": 1},
        "digest": False,
        "attempts": 2,
        "reason": "SMTPServerDisconnected",
    }


def test_the_same_event_never_alerts_anyone_twice(cast):
    choose(cast["alice"])
    assert services.raise_alert("new_referral", [cast["alice"]], key="audit:1") == 1
    assert services.raise_alert("new_referral", [cast["alice"]], key="audit:1") == 0
    assert Alert.objects.count() == 1


@pytest.mark.parametrize("frequency", ["immediate", "daily"])
def test_a_disabled_account_gets_no_alert(cast, frequency):
    choose(cast["alice"], frequency=frequency)
    cast["alice"].disable(by=cast["ada"])
    assert services.raise_alert("new_referral", [cast["alice"]], key="audit:9") == 0
