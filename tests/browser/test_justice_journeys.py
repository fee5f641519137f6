"""Orders and the police workspace in a real browser (Chromium), with axe-core on each page: an
advocate records a Stalking Protection Order from asking police through to a breach, and the police
stalking coordinator works through the consent-scoped workspace."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Page as BrowserPage
from playwright.sync_api import expect

from harbour.cases.models import Suspect
from harbour.evidence import services as evidence
from harbour.justice.models import Breach, Order, OrderCondition, OrderNotification, RecordingReview
from tests.browser.conftest import Watch
from tests.browser.pages import Site, fill_date
from tests.browser.test_evidence_journeys import assert_accessible
from tests.evidence.conftest import entry
from tests.justice.conftest import consent, full_spo, harassment_journey


def test_an_advocate_records_an_spo_from_asking_police_through_to_a_breach(
    site: Site, page: BrowserPage, watch: Watch
) -> None:
    case = site.world.case_a
    alice = site.world.cast["alice"]
    Suspect.unscoped.create(case=case, names="Dorian Voss")
    evidence.log_incident(case, by=alice, data=entry(breach=True))
    today = timezone.localdate()
    site.sign_in_quietly(page, "alice")
    page.goto(f"{site.url}/cases/{case.public_id}/")
    page.get_by_role("link", name="Record an order").click()
    assert_accessible(page, watch, "record an order")
    page.get_by_label("Stalking Protection Order").check()
    page.get_by_label("Against").select_option(label="Dorian Voss")
    page.get_by_label("Police force").select_option(label="Northshire Police")
    page.get_by_label("Asked of police").check()
    fill_date(page, "Date of this step", (today - datetime.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Stalking Protection Order")).to_be_visible()
    assert_accessible(page, watch, "order page")

    page.get_by_role("link", name="Record the next step").click()
    page.get_by_label("Applied for").check()
    fill_date(page, "Date of this step", (today - datetime.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Step recorded")).to_be_visible()

    # A full order for one year is refused: an SPO runs at least 2 years or until further order.
    page.get_by_role("link", name="Record the next step").click()
    page.get_by_label("Made", exact=True).check()
    fill_date(page, "Date of this step", today.isoformat())
    fill_date(page, "End date of the order", today.replace(year=today.year + 1).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("at least 2 years")
    assert_accessible(page, watch, "next step with the minimum-term error")
    fill_date(page, "End date of the order", "")
    page.get_by_label("Until further order (no end date)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Until further order").first).to_be_visible()

    page.get_by_role("link", name="Add a condition").click()
    page.get_by_label("Attend a perpetrator programme").check()
    page.get_by_label("Details").fill("COBI, twelve sessions")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("COBI, twelve sessions")).to_be_visible()

    page.get_by_role("link", name="Record service or a change of name or address").click()
    page.get_by_label("Order served on the suspect").check()
    fill_date(page, "Date of service or change", today.isoformat())
    page.get_by_role("button", name="Save").click()
    due = (today + datetime.timedelta(days=3)).strftime("%-d %b %Y")
    expect(page.get_by_text(f"{due}: Suspect must notify police")).to_be_visible()

    page.get_by_role("link", name="Record a breach").click()
    fill_date(page, "When it happened", today.isoformat())
    page.get_by_label("D001", exact=False).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("report it to police").first).to_be_visible()
    expect(page.get_by_role("link", name="D001")).to_be_visible()
    assert_accessible(page, watch, "order page with a breach")

    order = Order.unscoped.get(case=case)
    assert (order.status, order.indefinite) == ("made", True)
    assert OrderCondition.unscoped.get(order=order).kind == "attend_perpetrator_programme"
    assert OrderNotification.unscoped.get(order=order).due_on == today + datetime.timedelta(days=3)
    assert Breach.unscoped.filter(order=order).count() == 1

    page.goto(f"{site.url}/home/")
    expect(
        page.get_by_text("Report the breach").or_(page.get_by_text("Reporting to police")).first
    ).to_be_visible()
    assert_accessible(page, watch, "home with order deadlines")


def test_the_coordinator_works_through_the_consented_workspace(
    site: Site, page: BrowserPage, watch: Watch
) -> None:
    case = site.world.case_a
    alice = site.world.cast["alice"]
    police = site.world.orgs["police"]
    journey = harassment_journey(case, alice, police)
    full_spo(case, alice, police)
    consent(case, alice)
    site.sign_in_quietly(page, "pete")
    page.goto(f"{site.url}/home/")
    page.get_by_role("link", name="Stalking workspace").first.click()
    expect(page.get_by_role("heading", name="Stalking workspace")).to_be_visible()
    assert_accessible(page, watch, "workspace")

    page.get_by_role("link", name="SPO pipeline").first.click()
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()
    assert_accessible(page, watch, "SPO pipeline")

    page.get_by_role("link", name="Possible under-recording").first.click()
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_text("Possibly under-recorded")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Course of conduct (from the incident diary)")
    ).to_be_visible()
    assert_accessible(page, watch, "police case")
    page.get_by_role("button", name="Ask for the crime recording to be reviewed").click()
    expect(page.get_by_text("Review of the crime recording asked for")).to_be_visible()
    assert RecordingReview.unscoped.filter(journey=journey).exists()

    # The client withdraws consent: the case leaves the workspace at once.
    consent(case, alice, "withdrawn")
    page.goto(f"{site.url}/justice/police/spo-pipeline/")
    expect(page.get_by_text("No Stalking Protection Orders to show.")).to_be_visible()
    response = page.goto(f"{site.url}/justice/police/cases/{case.public_id}/")
    assert response is not None and response.status == 404
