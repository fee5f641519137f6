"""``harbour reminders``: expired orders are recorded, each deadline stage reminds the right person
once, and running it twice writes nothing new."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from harbour.justice import services
from harbour.justice.models import OrderStep, Reminder
from tests.conftest import page_of
from tests.justice.conftest import full_spo

pytestmark = pytest.mark.django_db


def test_running_reminders_twice_writes_each_reminder_once(case_a, cast, orgs):
    order = full_spo(case_a, cast["alice"], orgs["police"])
    services.record_notification_event(
        order, by=cast["alice"], event="service", event_on=timezone.localdate()
    )
    first = services.run_reminders()
    assert first["written"] == 1
    assert services.run_reminders() == {"written": 0, "expired": 0}
    reminder = Reminder.unscoped.get()
    assert (reminder.user, reminder.kind, reminder.stage) == (
        cast["alice"],
        "notification",
        "upcoming",
    )


def test_a_deadline_reminds_again_when_it_becomes_overdue(case_a, cast, orgs):
    order = full_spo(case_a, cast["alice"], orgs["police"])
    today = timezone.localdate()
    services.record_notification_event(order, by=cast["alice"], event="service", event_on=today)
    services.run_reminders(today)
    services.run_reminders(today + datetime.timedelta(days=3))
    services.run_reminders(today + datetime.timedelta(days=4))
    services.run_reminders(today + datetime.timedelta(days=5))
    assert sorted(Reminder.unscoped.values_list("stage", flat=True)) == [
        "due",
        "overdue",
        "upcoming",
    ]


def test_an_unallocated_cases_reminders_go_to_its_managers(case_a, cast, orgs):
    type(case_a).unscoped.filter(pk=case_a.pk).update(allocated_to=None)
    case_a.refresh_from_db()
    order = full_spo(case_a, cast["alice"], orgs["police"])
    services.record_notification_event(
        order, by=cast["alice"], event="service", event_on=timezone.localdate()
    )
    services.run_reminders()
    assert list(Reminder.unscoped.values_list("user__username", flat=True)) == ["mia"]


def test_a_fixed_term_order_past_its_end_date_is_recorded_as_expired_once(case_a, cast, orgs):
    today = timezone.localdate()
    order = services.record_order(
        case_a,
        by=cast["alice"],
        kind="non_molestation",
        step="made",
        on=today - datetime.timedelta(days=200),
        expires_on=today - datetime.timedelta(days=2),
    )
    out = io.StringIO()
    call_command("reminders", stdout=out)
    assert "orders recorded as expired: 1" in out.getvalue()
    call_command("reminders", stdout=io.StringIO())
    order.refresh_from_db()
    assert order.status == "expired"
    assert list(OrderStep.unscoped.filter(order=order).values_list("step", flat=True)) == [
        "made",
        "expired",
    ]


def test_expiry_and_renewal_are_reminded_ahead_and_an_indefinite_order_never_is(case_a, cast, orgs):
    today = timezone.localdate()
    full_spo(case_a, cast["alice"], orgs["police"], indefinite=True, expires_on=None)
    services.run_reminders()
    assert not Reminder.unscoped.exists()
    full_spo(
        case_a,
        cast["alice"],
        orgs["police"],
        on=today - datetime.timedelta(days=730),
        expires_on=today + datetime.timedelta(days=20),
    )
    services.run_reminders()
    assert set(Reminder.unscoped.values_list("kind", "stage")) == {
        ("renewal", "overdue"),
        ("expiry", "upcoming"),
    }


def test_reminders_show_on_the_home_page_until_marked_read(case_a, cast, orgs, as_user):
    order = full_spo(case_a, cast["alice"], orgs["police"])
    services.record_notification_event(
        order, by=cast["alice"], event="service", event_on=timezone.localdate()
    )
    services.run_reminders()
    reminder = Reminder.unscoped.get()
    alice = as_user("alice")
    assert "New reminders" in page_of(alice.get("/home/"), "Home")
    assert as_user("amir").post(f"/justice/reminders/{reminder.public_id}/read/").status_code == 404
    assert alice.post(f"/justice/reminders/{reminder.public_id}/read/").status_code == 302
    assert "New reminders" not in page_of(alice.get("/home/"), "Home")


def test_the_home_page_shows_the_first_reminders_with_the_total_and_all_on_request(
    case_a, cast, as_user
):
    """Reminders are one of the home page's lists: the first ten, soonest first, with how many
    there are and a link to all of them (before, the first 20 and no more, with no count)."""
    from harbour.cases.queries import HOME_LIST

    today = timezone.localdate()

    def remind(who: str, key: str, days: int, **more: object) -> Reminder:
        return Reminder.unscoped.create(
            user=cast[who],
            case=case_a,
            key=key,
            kind="expiry",
            stage="upcoming",
            due_on=today + datetime.timedelta(days=days),
            link="/cases/",
            **more,
        )

    made = [remind("alice", f"test:{n}", n) for n in range(HOME_LIST + 3)]
    remind("alice", "read", 0, read_at=timezone.now())  # read, and someone else's: not counted
    remind("amir", "amir", 0)
    alice = as_user("alice")
    html = page_of(alice.get("/home/"), "Home")
    assert f"New reminders ({len(made)})" in html
    assert html.count("Mark as read") == HOME_LIST
    assert f"Showing {HOME_LIST} of {len(made)}" in html and "?all=reminders#reminders" in html
    everything = page_of(alice.get("/home/?all=reminders"), "Home")
    assert everything.count("Mark as read") == len(made)
    assert "Show the first 10 only" in everything
    # Soonest first: the last one shown in full is the latest due
    last = made[-1].due_on.strftime("%-d %b %Y")
    assert last in everything and last not in html
