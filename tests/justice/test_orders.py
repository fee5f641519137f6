"""Orders on a case: lifecycle steps as history, SPO rules, conditions, the notification
requirement and breaches linked to the diary."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.cases.models import SupportAction
from harbour.justice import services
from harbour.justice.models import Breach, BreachIncident, Order, OrderStep
from harbour.justice.rules import RuleError
from tests.conftest import page_of
from tests.evidence.conftest import entry
from tests.justice.conftest import full_spo

pytestmark = pytest.mark.django_db


def test_an_spo_goes_from_asked_of_police_to_a_full_order_and_every_step_is_kept(
    case_a, cast, orgs, suspect
):
    alice, today = cast["alice"], timezone.localdate()
    order = services.record_order(
        case_a,
        by=alice,
        kind="spo",
        step="asked_of_police",
        on=today - datetime.timedelta(days=30),
        suspect=suspect,
        force=orgs["police"],
        applicant="client",
    )
    assert order.applicant == "police"  # only police apply, whatever the form said
    services.record_order_step(
        order, by=alice, step="applied_for", on=today - datetime.timedelta(days=20)
    )
    services.record_order_step(
        order,
        by=alice,
        step="interim_made",
        on=today - datetime.timedelta(days=19),
        court="Northshire Magistrates' Court",
        hearing_on=today + datetime.timedelta(days=10),
    )
    services.record_order_step(
        order, by=alice, step="made", on=today, indefinite=True, reference="NS/SPO/1"
    )
    order.refresh_from_db()
    assert (order.status, order.indefinite, order.made_on) == ("made", True, today)
    assert order.court_reference == "NS/SPO/1"
    assert order.notification_required
    steps = list(OrderStep.unscoped.filter(order=order).values_list("step", flat=True))
    assert steps == ["asked_of_police", "applied_for", "interim_made", "made"]
    verbs = list(
        AuditEvent.objects.filter(object_id=str(case_a.public_id)).values_list("verb", flat=True)
    )
    assert verbs.count("justice.order_step_recorded") == 3
    assert "justice.order_recorded" in verbs


def test_an_spo_without_a_police_force_is_refused(case_a, cast):
    with pytest.raises(RuleError, match="police force"):
        services.record_order(
            case_a, by=cast["alice"], kind="spo", step="considered", on=timezone.localdate()
        )
    assert not Order.unscoped.exists()


def test_a_full_spo_shorter_than_two_years_is_refused_and_nothing_is_written(case_a, cast, orgs):
    today = timezone.localdate()
    with pytest.raises(RuleError, match="at least 2 years"):
        full_spo(
            case_a,
            cast["alice"],
            orgs["police"],
            on=today,
            expires_on=today.replace(year=today.year + 1),
        )
    assert not Order.unscoped.exists()
    order = full_spo(case_a, cast["alice"], orgs["police"], step="interim_made", expires_on=None)
    with pytest.raises(RuleError, match="at least 2 years"):
        services.record_order_step(
            order,
            by=cast["alice"],
            step="made",
            on=today,
            expires_on=today + datetime.timedelta(days=700),
        )
    order.refresh_from_db()
    assert order.status == "interim_made"
    assert OrderStep.unscoped.filter(order=order).count() == 1


def test_an_invalid_transition_is_refused_with_words_and_nothing_changes(case_a, cast, orgs):
    order = full_spo(case_a, cast["alice"], orgs["police"])
    services.record_order_step(order, by=cast["alice"], step="discharged", on=timezone.localdate())
    with pytest.raises(RuleError, match="cannot follow discharged"):
        services.record_order_step(order, by=cast["alice"], step="varied", on=timezone.localdate())
    assert OrderStep.unscoped.filter(order=order).count() == 2


def test_order_history_is_append_only(case_a, cast, orgs):
    order = full_spo(case_a, cast["alice"], orgs["police"])
    step = OrderStep.unscoped.get(order=order)
    with pytest.raises(PermissionError):
        step.save()
    with pytest.raises(PermissionError):
        OrderStep.unscoped.filter(order=order).delete()


def test_serving_an_spo_starts_a_three_day_notification_clock(case_a, cast, orgs):
    order = full_spo(case_a, cast["alice"], orgs["police"])
    served = timezone.localdate() - datetime.timedelta(days=5)
    row = services.record_notification_event(
        order, by=cast["alice"], event="service", event_on=served
    )
    assert row.due_on == served + datetime.timedelta(days=3)
    assert row.overdue
    services.record_notified(row, by=cast["alice"], notified_on=served + datetime.timedelta(days=4))
    row.refresh_from_db()
    assert row.late and not row.overdue


def test_only_an_spo_carries_a_notification_requirement(case_a, cast):
    order = services.record_order(
        case_a, by=cast["alice"], kind="non_molestation", step="made", on=timezone.localdate()
    )
    with pytest.raises(RuleError, match="notification requirement"):
        services.record_notification_event(
            order, by=cast["alice"], event="service", event_on=timezone.localdate()
        )


def test_a_breach_links_diary_entries_and_adds_an_action_to_report_it_today(case_a, cast, orgs):
    order = full_spo(case_a, cast["alice"], orgs["police"])
    services.add_condition(order, by=cast["alice"], kind="no_contact")
    from harbour.evidence import services as evidence

    incident = evidence.log_incident(case_a, by=cast["alice"], data=entry(breach=True))
    breach = services.record_breach(
        order, by=cast["alice"], occurred_on=timezone.localdate(), incidents=[incident]
    )
    assert list(
        BreachIncident.unscoped.filter(breach=breach).values_list("incident", flat=True)
    ) == [incident.pk]
    action = SupportAction.unscoped.get(case=case_a)
    assert action.area == "reporting_to_police" and action.due_on == timezone.localdate()
    assert action.owner == cast["alice"]


def test_a_reported_breach_adds_no_action(case_a, cast, orgs):
    order = full_spo(case_a, cast["alice"], orgs["police"])
    services.record_breach(
        order,
        by=cast["alice"],
        occurred_on=timezone.localdate(),
        reported_to_police_on=timezone.localdate(),
        police_reference="NP/1",
    )
    assert not SupportAction.unscoped.filter(case=case_a).exists()


def test_an_order_not_in_force_cannot_be_breached(case_a, cast, orgs):
    order = full_spo(case_a, cast["alice"], orgs["police"], step="considered", expires_on=None)
    with pytest.raises(RuleError, match="in force"):
        services.record_breach(order, by=cast["alice"], occurred_on=timezone.localdate())
    assert not Breach.unscoped.exists()


def test_a_diary_entry_of_another_case_cannot_be_linked_to_a_breach(case_a, cast, orgs):
    from harbour.cases import services as cases
    from harbour.evidence import services as evidence

    order = full_spo(case_a, cast["alice"], orgs["police"])
    other = cases.open_case(
        organisation=orgs["provider_a"], client_fields={"given_name": "O"}, by=cast["mia"]
    )
    incident = evidence.log_incident(other, by=cast["mia"], data=entry())
    with pytest.raises(RuleError, match="this case"):
        services.record_breach(
            order, by=cast["alice"], occurred_on=timezone.localdate(), incidents=[incident]
        )


def test_the_order_page_shows_its_deadlines_conditions_and_an_unreported_breach(
    case_a, cast, orgs, as_user
):
    order = full_spo(case_a, cast["alice"], orgs["police"])
    services.add_condition(
        order, by=cast["alice"], kind="attend_perpetrator_programme", details="COBI, 12 sessions"
    )
    services.record_notification_event(
        order, by=cast["alice"], event="service", event_on=timezone.localdate()
    )
    services.record_breach(order, by=cast["alice"], occurred_on=timezone.localdate())
    page = page_of(as_user("alice").get(f"/justice/orders/{order.public_id}/"), "Order")
    assert "Attend a perpetrator programme" in page and "COBI, 12 sessions" in page
    assert "Suspect must notify police of name and address" in page
    assert "not yet reported to police" in page
    case_page = as_user("alice").get(f"/cases/{case_a.public_id}/").content.decode()
    assert "Stalking Protection Order" in case_page and "Breached" in case_page


def test_the_order_form_refuses_a_short_spo_with_the_reason_on_the_page(
    case_a, cast, orgs, as_user
):
    today = timezone.localdate()
    response = as_user("alice").post(
        f"/justice/cases/{case_a.public_id}/orders/new/",
        {
            "kind": "spo",
            "step": "made",
            "on": today.isoformat(),
            "force": orgs["police"].pk,
            "expires_on": (today + datetime.timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "must run for at least 2 years" in response.content.decode()
    assert not Order.unscoped.exists()


def test_the_case_page_names_each_orders_and_journeys_suspect_from_the_cases_suspects(
    case_a, cast, orgs, as_user
):
    """The case page's justice section names suspects from the ones the page has read already
    (no second join): each row still shows its own suspect, and an order against no one says so."""
    from tests.factories import SuspectFactory

    first = SuspectFactory(case=case_a, names="Alder Quince\nA. Q.")
    second = SuspectFactory(case=case_a, names="Birch Rowan")
    full_spo(case_a, cast["alice"], orgs["police"], suspect=second)
    full_spo(case_a, cast["alice"], orgs["police"])
    today = timezone.localdate()
    services.start_journey(
        case_a, by=cast["alice"], force=orgs["police"], reported_on=today, suspect=first
    )
    page = page_of(as_user("alice").get(f"/cases/{case_a.public_id}/"), f"Case {case_a.reference}")
    orders = page[page.index('id="orders-and-justice"') :]
    rows = orders[: orders.index("</table>")].split('<tr class="govuk-table__row">')[2:]
    assert "Birch Rowan" in rows[0] and "Alder" not in rows[0]
    assert "Not named" in rows[1]
    assert f"Reported to {orgs['police'].name}" in page and "(Alder Quince)" in page
