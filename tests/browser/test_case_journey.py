"""An advocate's main journey through the case workspace in a real browser (Chromium)."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import Page as BrowserPage
from playwright.sync_api import expect

from harbour.cases.models import ContactLogEntry, SafetyPlan, SupportAction
from harbour.risk.models import Assessment
from tests.browser.conftest import Watch
from tests.browser.pages import Site, fill_date


def test_an_advocate_works_a_case_from_home_page_to_safety_plan(
    site: Site, page: BrowserPage, watch: Watch
) -> None:
    case = site.world.case_a
    site.sign_in_quietly(page, "alice")
    page.goto(f"{site.url}/home/")
    page.get_by_role("link", name="Go to cases").click()
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zebedee Quillfeather")
    expect(page.get_by_text("have not been confirmed with the client")).to_be_visible()

    # Text messages are not safe for this client.
    page.get_by_role("link", name="Change text message").click()
    page.get_by_label("The client confirmed this today").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Safe-contact preference saved")).to_be_visible()

    # An outbound text is refused; a phone call is logged.
    page.get_by_role("link", name="Log a contact").first.click()
    page.get_by_label("Text message").check()
    page.get_by_label("We contacted the client").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("is not safe")
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Duration in minutes").fill("20")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Contact logged")).to_be_visible()
    assert ContactLogEntry.unscoped.filter(case=case, method="phone").count() == 1

    # A meeting at an address the suspect knows is refused until the client agrees to it.
    page.get_by_role("link", name="Log a contact").first.click()
    page.get_by_label("Face to face").check()
    page.get_by_label("We contacted the client").check()
    page.get_by_label("Where did you meet?").fill("The client's flat")
    page.get_by_role("group", name="Does the suspect know this address?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("has not agreed to meet")
    page.get_by_label("Where did you meet?").fill("Our office")
    page.get_by_role("group", name="Does the suspect know this address?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Contact logged")).to_be_visible()
    expect(page.get_by_text("Where: Our office")).to_be_visible()

    # Risk assessment, raised by professional judgement with a reason.
    page.get_by_role("link", name="Back to case").click()
    page.get_by_role("link", name="Assess risk").click()
    for radio in page.locator("input[type=radio][value=no]").all():
        radio.check()
    page.get_by_label("Professional judgement: raise the level to").select_option("high")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("reason is required")
    page.get_by_label("Reason for raising the level").fill("Seen outside her work twice today")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Raised by professional judgement")).to_be_visible()
    assert Assessment.unscoped.get(case=case).band == "high"

    # An action for today, then the safety plan.
    page.get_by_role("link", name="Back to case").click()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Need", exact=True).select_option("home_security")
    page.get_by_label("What needs doing").fill("Ask about a video doorbell")
    fill_date(page, "Due date", timezone.localdate().isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Action added")).to_be_visible()
    assert SupportAction.unscoped.filter(case=case).count() == 1

    page.get_by_role("link", name="Write the safety plan").click()
    page.get_by_label("At home").fill("Doors locked; neighbour has a description")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Safety plan saved")).to_be_visible()
    assert SafetyPlan.unscoped.get(case=case).version == 1

    page.goto(f"{site.url}/home/")
    expect(page.get_by_role("heading", name="What to do today")).to_be_visible()
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()
    assert not watch.problems(), watch.problems()
