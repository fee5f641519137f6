"""Closure: reason and exit measures from the advocate, manager sign-off, reopen with a reason."""

from __future__ import annotations

import pytest

from harbour.cases import services
from harbour.cases.models import Case, OutcomeMeasures

MEASURES = {"feeling_safer": "4", "coping": "4", "health_wellbeing": "3", "justice_knowledge": "5"}


def test_full_closure_journey_with_entry_and_exit_measures(as_user, case_a, url):
    alice, mia = as_user("alice"), as_user("mia")
    entry = dict.fromkeys(MEASURES, "2")
    assert alice.post(url("outcomes/entry/"), entry).status_code == 302
    response = alice.post(url("close/"), {**MEASURES, "reason": "support_complete", "note": "Done"})
    assert response.status_code == 302
    case = Case.unscoped.get(pk=case_a.pk)
    assert case.status == "awaiting_sign_off"

    # The advocate cannot sign off; the manager sees entry against exit and signs off.
    assert alice.get(url("close/sign-off/")).status_code == 404
    page = mia.get(url("close/sign-off/")).content.decode()
    assert "Feeling safe" in page and "Support complete" in page
    assert mia.post(url("close/sign-off/"), {"decision": "close"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_signed_off_by is not None
    stages = sorted(OutcomeMeasures.unscoped.filter(case=case).values_list("stage", flat=True))
    assert stages == ["entry", "exit"]

    # Closed cases cannot be edited, and only a manager reopens, with a reason.
    assert alice.get(url("details/")).status_code == 404
    assert alice.get(url("reopen/")).status_code == 404
    assert mia.post(url("reopen/"), {"reason": ""}).status_code == 200
    assert mia.post(url("reopen/"), {"reason": "New incident"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "open" and case.reopen_reason == "New incident"


def test_manager_can_send_a_closure_back(as_user, case_a, cast, url):
    services.request_closure(case_a, by=cast["alice"], reason="no_contact")
    assert as_user("mia").post(url("close/sign-off/"), {"decision": "return"}).status_code == 302
    assert Case.unscoped.get(pk=case_a.pk).status == "open"


def test_only_open_cases_can_be_put_forward_and_only_closed_ones_reopened(case_a, cast):
    with pytest.raises(services.ClosureError):
        services.reopen_case(case_a, by=cast["mia"], reason="x")
    services.request_closure(case_a, by=cast["alice"], reason="other")
    with pytest.raises(services.ClosureError):
        services.request_closure(case_a, by=cast["alice"], reason="other")
    with pytest.raises(services.ClosureError):
        services.sign_off_closure(case_a, by=cast["alice"])


def test_closing_lists_what_is_still_open_and_needs_each_acknowledged(as_user, case_a, cast, url):
    import datetime as dt

    from harbour.cases.models import SupportAction
    from harbour.risk import services as risk

    SupportAction.unscoped.create(
        case=case_a,
        created_by=cast["alice"],
        area="housing",
        description="Call the landlord",
        due_on=dt.date(2026, 12, 3),
        owner=cast["alice"],
    )
    services.make_onward_referral(
        case_a,
        by=cast["alice"],
        kind="housing",
        to_organisation="Northshire Homes",
        consent="given",
    )
    risk.refer_to_marac(
        case_a, by=cast["alice"], reason="Escalating", referred_on=dt.date(2026, 11, 2)
    )
    alice = as_user("alice")
    page = alice.get(url("close/")).content.decode()
    assert "Still open on this case" in page
    assert "Action: Call the landlord" in page
    assert "Onward referral to Northshire Homes: referral made" in page
    assert "referral of 2 Nov 2026: referred" in page
    assert "A manager signs off every closure" in page
    refused = alice.post(url("close/"), {**MEASURES, "reason": "support_complete"})
    assert refused.status_code == 200
    assert "3 things are still open on this case" in refused.content.decode()
    assert Case.unscoped.get(pk=case_a.pk).status == "open"
    sent = alice.post(
        url("close/"),
        {
            **MEASURES,
            "reason": "support_complete",
            "open_items_note": "Housing carries on without us; MARAC told we are closing.",
        },
    )
    assert sent.status_code == 302
    sign_off = as_user("mia").get(url("close/sign-off/")).content.decode()
    assert "Call the landlord" in sign_off
    assert "Housing carries on without us" in sign_off


def test_a_case_with_nothing_open_closes_without_a_note(case_a, cast):
    assert services.open_items(case_a) == []
    services.request_closure(case_a, by=cast["alice"], reason="support_complete")
    assert Case.unscoped.get(pk=case_a.pk).closure_open_items == ""
