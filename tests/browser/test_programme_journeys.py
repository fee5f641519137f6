"""The programme practitioner's journey in Chromium against a live server: a participant referred
under a Stalking Protection Order requirement (a missing force first), the plan of twelve weekly
sessions, a session recorded with notes, a risk review, the referrer told, and leaving early with
the reason. The force's coordinator then sees the status and the update, never the notes; the
advocate of a victim of this person sees only that he is no longer attending, and programme pages
are "Page not found" to her. Every page passes the same axe-core rules as the sweep."""

from __future__ import annotations

from playwright.sync_api import Page as BrowserPage
from playwright.sync_api import expect

from harbour.cases import services as cases
from harbour.programmes.models import Participant, ProgrammeSession
from tests.browser.conftest import Watch
from tests.browser.pages import Site
from tests.browser.test_manager_journeys import as_person
from tests.browser.test_referral_journeys import assert_accessible
from tests.factories import SuspectFactory

NOTE = "Described waiting outside her office; agreed a plan for Friday evenings"


def participant_now() -> Participant:
    return Participant.objects.system("browser test: read back the state").get()


def test_a_participant_from_referral_to_leaving_early_and_who_sees_what(
    site: Site, page: BrowserPage, watch: Watch
) -> None:
    as_person(page, site, "priya")
    page.goto(f"{site.url}/home/")
    assert_accessible(page)
    page.get_by_role("link", name="Go to participants").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a participant").click()
    assert_accessible(page)
    page.get_by_label("First name").fill("Lysander")
    page.get_by_label("Phone number (optional)").fill("07911 123777")
    page.get_by_label("Stalking Protection Order positive requirement").check()
    page.get_by_label("Order reference (optional)").fill("SPO/NS/2027/0042")
    page.get_by_label("Victim services may be told whether this person is attending").check()
    page.get_by_role("button", name="Add participant").click()
    # An order requirement needs the force that holds the order.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the police force")
    assert_accessible(page)
    page.get_by_label("Police force (optional)").select_option(label="Northshire Police")
    page.get_by_role("button", name="Add participant").click()
    expect(page.get_by_role("heading", name="Lysander")).to_be_visible()
    assert_accessible(page)
    assert participant_now().status == Participant.Status.REFERRED

    page.get_by_role("link", name="Start the programme").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("12 weekly sessions planned")).to_be_visible()
    assert ProgrammeSession.objects.system("browser test").count() == 12

    page.get_by_role("link", name="Session 1", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Attended").check()
    page.get_by_label("Session notes").fill(NOTE)
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session 1 recorded.")).to_be_visible()
    expect(page.get_by_text("1 attended, 0 missed, of 12 planned")).to_be_visible()

    page.get_by_role("link", name="Review risk").click()
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Why").fill("Still minimising")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text("Risk review recorded.")).to_be_visible()

    page.get_by_role("link", name="Tell the referrer").click()
    assert_accessible(page)
    page.get_by_label("Progress").check()
    page.get_by_label("What the referrer is told").fill("Attended the first session on time.")
    page.get_by_role("button", name="Record update").click()
    expect(page.get_by_text("Update to the referrer recorded.")).to_be_visible()

    page.get_by_role("link", name="Record completion or leaving").click()
    assert_accessible(page)
    page.get_by_label("Stopped attending").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Left before completing")).to_be_visible()
    assert_accessible(page)
    participant = participant_now()
    assert participant.status == Participant.Status.DROPPED_OUT
    assert participant.end_reason == "disengaged"

    # The force that holds the order: status and the update, never the notes.
    as_person(page, site, "pete")
    page.goto(f"{site.url}/home/")
    page.get_by_role("link", name="Programme referrals").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=participant.reference).click()
    assert_accessible(page)
    expect(page.get_by_text("Attended the first session on time.")).to_be_visible()
    expect(page.get_by_text("Left before completing")).to_be_visible()
    expect(page.get_by_text(NOTE)).to_have_count(0)
    expect(page.get_by_text("Still minimising")).to_have_count(0)

    # The victim's advocate: only whether he attends, once the client asks to be told.
    case = site.world.case_a
    suspect = SuspectFactory(case=case)
    cases.set_suspect_identifiers(suspect, {"phone": ["07911 123777"]})
    as_person(page, site, "alice")
    page.goto(f"{site.url}/programmes/cases/{case.public_id}/suspect-attendance/")
    expect(page.get_by_text("The client has not asked to be told")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Wants to be told").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("A suspect on this case is no longer attending")).to_be_visible()
    expect(page.get_by_text(participant.reference)).to_have_count(0)
    expect(page.get_by_text("Lysander")).to_have_count(0)
    assert_accessible(page)
    page.goto(f"{site.url}/programmes/participants/{participant.public_id}/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()

    # And the practitioner cannot open the victim's case.
    as_person(page, site, "priya")
    page.goto(f"{site.url}/cases/{case.public_id}/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert not watch.problems()
