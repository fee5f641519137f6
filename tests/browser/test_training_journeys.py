"""The trainer's journey in Chromium against a live server: an organisation asks for training on the
public page, the trainer schedules a session from the queue, names an attendee, records attendance
by sector (a form with nothing filled in first), the attendee gives feedback through their own link
with no account and downloads a certificate, and the figures count it all. Every page passes the
same axe-core rules as the accessibility sweep; each step checks the state it changed."""

from __future__ import annotations

import re

from playwright.sync_api import Page as BrowserPage
from playwright.sync_api import expect

from harbour.training.models import Attendee, Feedback, TrainingRequest, TrainingSession
from tests.browser.conftest import Watch
from tests.browser.pages import Site
from tests.browser.test_manager_journeys import as_person
from tests.browser.test_referral_journeys import assert_accessible


def _requests() -> list[TrainingRequest]:
    return list(TrainingRequest.objects.system("browser test: read back the state"))


def test_a_request_from_the_public_page_becomes_a_delivered_session_with_feedback(
    site: Site, page: BrowserPage, watch: Watch
) -> None:
    # The public page: nothing filled in, then the form.
    page.goto(f"{site.url}/public/training/request/")
    assert_accessible(page)
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    assert _requests() == []

    page.get_by_label("Northshire Advocacy").check()
    page.get_by_label("Your organisation or business").fill("Salon Seven")
    page.get_by_label("Hairdressing").check()
    page.get_by_label("How many people would like the training?").fill("6")
    page.get_by_label("Online").check()
    page.get_by_label("Your name").fill("Sal Example")
    page.get_by_label("Your email address").fill("sal@example.org")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    assert_accessible(page)
    assert [r.organisation_name for r in _requests()] == ["Salon Seven"]

    # The trainer finds it on the home page and in the queue, and schedules it.
    as_person(page, site, "tariq")
    page.goto(f"{site.url}/home/")
    expect(page.get_by_text("training request waiting")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Go to training").click()
    assert_accessible(page)
    page.get_by_role("link", name="Salon Seven").click()
    assert_accessible(page)
    page.get_by_role("link", name="Schedule a session").click()
    assert_accessible(page)
    page.get_by_label("Date", exact=True).fill("2026-11-20")
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("Town or district (optional)", exact=True).fill("Northtown")
    page.get_by_role("button", name="Schedule session").click()
    expect(page.get_by_text("Session scheduled.")).to_be_visible()
    assert_accessible(page)
    session = TrainingSession.objects.system("browser test").get()
    assert session.status == TrainingSession.Status.SCHEDULED
    assert _requests()[0].status == TrainingRequest.Status.SCHEDULED

    # An attendee, then attendance by sector (an empty form first).
    page.get_by_role("link", name="Add an attendee").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Hattie Example")
    page.get_by_label("Sector").select_option("hairdressing")
    page.get_by_role("button", name="Add attendee").click()
    expect(page.get_by_text("Attendee added.")).to_be_visible()
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_role("button", name="Mark as delivered").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Hairdressing").fill("5")
    page.get_by_label("Beauty").fill("1")
    page.get_by_role("button", name="Mark as delivered").click()
    expect(page.get_by_text("Session marked as delivered.")).to_be_visible()
    assert_accessible(page)
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.DELIVERED

    # The attendee's own link: no account, one response, and a certificate.
    link = page.locator("code").first.inner_text()
    attendee = Attendee.objects.system("browser test").get()
    assert link.endswith(f"/public/training/feedback/{attendee.token}/")
    page.context.clear_cookies()
    page.goto(link)
    assert_accessible(page)
    before = page.get_by_role("group", name=re.compile("^Before the training"))
    after = page.get_by_role("group", name=re.compile("^After the training"))
    expect(before).to_have_count(3)
    expect(after).to_have_count(3)
    for n in range(3):
        before.nth(n).get_by_label("Slightly confident").check()
        after.nth(n).get_by_label("Very confident").check()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Your feedback has been sent")).to_be_visible()
    assert_accessible(page)
    stored = Feedback.objects.system("browser test").get()
    assert (stored.referring_before, stored.referring_after) == (2, 4)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your certificate of attendance (PDF)").click()
    assert download.value.suggested_filename.startswith("certificate-of-attendance-")
    page.goto(link)
    expect(page.get_by_text("Feedback has already been given with this link")).to_be_visible()

    # The figures count the session, the people and the change in confidence.
    as_person(page, site, "tariq")
    page.goto(f"{site.url}/training/figures/")
    assert_accessible(page)
    by_sector = page.get_by_role("table", name="People trained by sector")
    expect(by_sector.get_by_role("row", name="Hairdressing")).to_contain_text("5")
    expect(by_sector.get_by_role("row", name="Beauty")).to_contain_text("1")
    row = page.get_by_role("row", name="Recognising stalking")
    expect(row).to_contain_text("2.0")
    expect(row).to_contain_text("4.0")
    assert not watch.problems()


def test_partner_organisations_and_the_single_point_of_contact(
    site: Site, page: BrowserPage, watch: Watch
) -> None:
    as_person(page, site, "mia")
    page.goto(f"{site.url}/partners/")
    expect(page.get_by_text("No single point of contact has been named")).to_be_visible()
    page.get_by_role("link", name="Change the single point of contact").click()
    assert_accessible(page)
    page.get_by_label("Advocate").select_option(label="Alice")
    page.get_by_label("Area covered").fill("Northshire")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Single point of contact for Northshire")).to_be_visible()

    as_person(page, site, "tariq")
    page.goto(f"{site.url}/partners/")
    page.get_by_role("link", name="Add a partner organisation").click()
    page.get_by_role("button", name="Add organisation").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Larkfield Surgery")
    page.get_by_label("Sector").select_option("health")
    page.get_by_role("button", name="Add organisation").click()
    expect(page.get_by_role("heading", name="Larkfield Surgery")).to_be_visible()
    page.get_by_role("link", name="Add a contact").click()
    page.get_by_label("Name", exact=True).fill("Practice Manager")
    page.get_by_label("Email address (optional)").fill("pm@example.org")
    page.get_by_role("button", name="Add contact").click()
    expect(page.get_by_text("pm@example.org")).to_be_visible()
    assert_accessible(page)

    # An advocate reads the partners and the single point of contact, but cannot change them.
    as_person(page, site, "alice")
    page.goto(f"{site.url}/partners/")
    expect(page.get_by_role("link", name="Larkfield Surgery")).to_be_visible()
    expect(page.get_by_role("link", name="Add a partner organisation")).to_have_count(0)
    assert_accessible(page)
    assert not watch.problems()
