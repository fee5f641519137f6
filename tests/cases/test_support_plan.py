"""Needs assessment, support-plan actions, and the advocate's "what must I do today"."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from harbour.cases.models import NeedArea, NeedsAssessment, SupportAction
from tests.conftest import page_of
from tests.factories import SupportActionFactory

TODAY = timezone.localdate


def test_needs_assessment_covers_the_twelve_areas(as_user, case_a, url):
    page = as_user("alice").get(url("needs/")).content.decode()
    for area in NeedArea:
        assert area.label in page
    assert len(NeedArea) == 12
    data = {area.value: "some" for area in NeedArea}
    data.update({"housing": "high", "plan": "Move somewhere safe", "version": "0"})
    assert as_user("alice").post(url("needs/"), data).status_code == 302
    needs = NeedsAssessment.unscoped.get(case=case_a)
    assert needs.housing == "high" and needs.plan == "Move somewhere safe"


def add_action(case, owner, days):
    return SupportActionFactory(case=case, owner=owner, due_in_days=days)


def test_adding_an_action_through_the_form(as_user, case_a, cast, url):
    data = {
        "area": "legal_orders",
        "description": "Ask police about an SPO",
        "owner": cast["alice"].pk,
        "due_on": TODAY().isoformat(),
        "version": "0",
    }
    assert as_user("alice").post(url("actions/new/"), data).status_code == 302
    action = SupportAction.unscoped.get(case=case_a)
    assert (action.status, action.owner_id) == ("open", cast["alice"].pk)


def test_overdue_and_due_today_actions_appear_on_the_advocates_home_page(as_user, case_a, cast):
    add_action(case_a, cast["alice"], -2)
    add_action(case_a, cast["alice"], 0)
    add_action(case_a, cast["alice"], 5)
    page = as_user("alice").get(reverse("core:home")).content.decode()
    assert "What to do today" in page
    assert "Overdue" in page
    assert page.count(case_a.reference) >= 2


def test_marking_an_action_done_takes_it_off_the_home_page(as_user, case_a, cast, url):
    action = add_action(case_a, cast["alice"], -1)
    response = as_user("alice").post(url(f"actions/{action.public_id}/done/"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at is not None
    page = page_of(as_user("alice").get(reverse("core:home")), "Home")
    assert "Overdue" not in page


def test_an_action_on_someone_elses_case_is_not_found(as_user, case_b, cast):
    action = add_action(case_b, cast["bob"], -1)
    path = f"/cases/{case_b.public_id}/actions/{action.public_id}/done/"
    assert as_user("alice").post(path).status_code == 404
    action.refresh_from_db()
    assert action.status == "open"


def test_the_home_page_shows_the_first_ten_actions_and_says_how_many_there_are(
    as_user, case_a, cast
):
    for days in range(-12, 0):
        add_action(case_a, cast["alice"], days)
    page = as_user("alice").get(reverse("core:home")).content.decode()
    assert page.count("Overdue</strong>") == 10
    assert "Your actions due (12)" in page
    assert "Showing 10 of 12." in page
    assert 'href="?all=actions#actions"' in page


def test_show_all_lists_every_action_due_and_offers_the_short_list_back(as_user, case_a, cast):
    for days in range(-12, 0):
        add_action(case_a, cast["alice"], days)
    page = as_user("alice").get(reverse("core:home") + "?all=actions").content.decode()
    assert page.count("Overdue</strong>") == 12
    assert "Show the first 10 only" in page
    assert "Showing 10 of" not in page


def test_an_unknown_list_name_in_the_address_changes_nothing(as_user, case_a, cast):
    for days in range(-12, 0):
        add_action(case_a, cast["alice"], days)
    page = as_user("alice").get(reverse("core:home") + "?all=everything").content.decode()
    assert page.count("Overdue</strong>") == 10
