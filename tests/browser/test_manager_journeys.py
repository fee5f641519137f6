"""Journeys that need two people, in Chromium against a live server: closing a case (the advocate
puts it forward, the manager sends it back, then signs it off), emergency (break-glass) access and
the manager's review of it, and an administrator managing the accounts of their organisation. Each
page visited passes the same axe-core rules as the accessibility sweep; each step checks the state
it changed, not only what the page says."""

from __future__ import annotations

from playwright.sync_api import Browser, expect
from playwright.sync_api import Page as BrowserPage

from harbour.accounts.models import LoginSession, User
from harbour.audit.models import AuditEvent
from harbour.cases.models import BreakGlassGrant, Case, OutcomeMeasures
from tests.browser.conftest import Watch
from tests.browser.pages import Site
from tests.browser.test_referral_journeys import assert_accessible, sign_in


def as_person(page: BrowserPage, site: Site, name: str) -> None:
    page.context.clear_cookies()
    site.sign_in_quietly(page, name)


def fill_measures(page: BrowserPage, score: str) -> None:
    for _key, label in OutcomeMeasures.MEASURES:
        page.get_by_role("group", name=label).get_by_label(score, exact=True).check()


def case_now(case: Case) -> Case:
    return Case.objects.system("browser test: read back the state").get(pk=case.pk)


# Closure and sign-off ----------------------------------------------------------------------------


def test_an_advocate_puts_a_case_forward_and_the_manager_sends_it_back_then_signs_it_off(
    site: Site, page: BrowserPage, watch: Watch
) -> None:
    case = site.world.case_a
    as_person(page, site, "alice")
    page.goto(f"{site.url}/cases/{case.public_id}/")
    page.get_by_role("link", name="Ask to close the case").click()
    assert_accessible(page)
    expect(page.get_by_text("A manager signs off every closure")).to_be_visible()

    # Nothing chosen: the form says what is missing and the case stays open.
    page.get_by_role("button", name="Send for sign-off").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    assert case_now(case).status == Case.Status.OPEN

    page.get_by_label("Support complete").check()
    page.get_by_label("Closing summary").fill("Safety plan in place; client feels safe at home")
    fill_measures(page, "4")
    if page.get_by_label("What happens to what is still open?").count():
        page.get_by_label("What happens to what is still open?").fill("Nothing further needed")
    page.get_by_role("button", name="Send for sign-off").click()
    expect(page.get_by_text("Closure sent to a manager for sign-off")).to_be_visible()
    expect(page.get_by_text("Closure is waiting for a manager's sign-off")).to_be_visible()
    assert case_now(case).status == Case.Status.AWAITING_SIGN_OFF

    # The manager finds it on her home page and sends it back.
    as_person(page, site, "mia")
    page.goto(f"{site.url}/home/")
    expect(page.get_by_role("heading", name="Closures waiting for your sign-off")).to_be_visible()
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign off the closure")
    expect(page.get_by_text("Safety plan in place")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send back: keep the case open").click()
    expect(page.get_by_text("Closure returned: the case is open again")).to_be_visible()
    assert case_now(case).status == Case.Status.OPEN

    # Put forward again, then signed off.
    as_person(page, site, "alice")
    page.goto(f"{site.url}/cases/{case.public_id}/close/")
    page.get_by_label("Support complete").check()
    fill_measures(page, "3")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Closure sent to a manager for sign-off")).to_be_visible()

    as_person(page, site, "mia")
    page.goto(f"{site.url}/cases/{case.public_id}/")
    page.get_by_role("link", name="Review and sign off").click()
    page.get_by_role("button", name="Sign off and close").click()
    expect(page.get_by_text("Case closed")).to_be_visible()
    closed = case_now(case)
    assert closed.status == Case.Status.CLOSED
    assert closed.closure_signed_off_by == site.world.cast["mia"]
    assert_accessible(page)

    # A closed case offers its manager a way back, and the advocate no way to edit it.
    expect(page.get_by_role("link", name="Reopen the case")).to_be_visible()
    as_person(page, site, "alice")
    page.goto(f"{site.url}/cases/{case.public_id}/")
    expect(page.get_by_role("link", name="Ask to close the case")).to_have_count(0)
    expect(page.get_by_role("link", name="Log a contact")).to_have_count(0)
    verbs = set(
        AuditEvent.objects.filter(object_id=str(case.public_id)).values_list("verb", flat=True)
    )
    assert {"case.closure_requested", "case.closure_returned", "case.closed"} <= verbs
    assert not watch.problems(), watch.problems()


# Emergency access and its review -----------------------------------------------------------------


def test_an_advocate_opens_a_colleagues_case_in_an_emergency_and_the_manager_reviews_it(
    site: Site, page: BrowserPage, watch: Watch
) -> None:
    case = site.world.case_a  # Alice's: Amir cannot see it
    as_person(page, site, "amir")
    response = page.goto(f"{site.url}/cases/{case.public_id}/")
    assert response is not None and response.status == 404

    page.goto(f"{site.url}/cases/")
    page.get_by_role("link", name="Request emergency access").click()
    assert_accessible(page)
    page.get_by_label("Case reference").fill(case.reference)
    page.get_by_role("button", name="Open the case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("required")
    assert not BreakGlassGrant.objects.system("browser test").exists()
    assert_accessible(page)

    page.get_by_label("Why do you need this case now?").fill(
        "Client rang the office in distress; Alice is on leave"
    )
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_text("Emergency access granted until")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zebedee Quillfeather")
    expect(page.get_by_text("You opened this case with emergency access")).to_be_visible()
    assert_accessible(page)
    grant = BreakGlassGrant.objects.system("browser test").get()
    assert (grant.user, grant.case_id, grant.reviewed_at) == (
        site.world.cast["amir"],
        case.pk,
        None,
    )

    # The manager sees one to review, reads the reason and marks it reviewed.
    as_person(page, site, "mia")
    page.goto(f"{site.url}/cases/")
    expect(page.get_by_text("1 to review")).to_be_visible()
    page.get_by_role("link", name="Review emergency access").click()
    expect(page.get_by_text("Client rang the office in distress")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Note (optional)").fill("Checked with Alice: appropriate")
    page.get_by_role("button", name=f"Mark reviewed for {case.reference}").click()
    expect(page.get_by_text("Reviewed by")).to_be_visible()
    grant.refresh_from_db()
    assert grant.reviewed_by == site.world.cast["mia"]
    assert grant.review_note == "Checked with Alice: appropriate"

    # Her access log for the case shows who opened it.
    page.get_by_role("link", name=f"{case.reference} access log").click()
    expect(page.get_by_text("(amir)").first).to_be_visible()
    assert_accessible(page)
    assert not watch.problems(), watch.problems()


# An administrator's user management --------------------------------------------------------------


def test_an_administrator_adds_an_account_disables_a_colleague_and_resets_two_step_sign_in(
    site: Site, page: BrowserPage, browser: Browser, watch: Watch
) -> None:
    alice, amir = site.world.cast["alice"], site.world.cast["amir"]

    # Alice is signed in elsewhere; disabling her account must end that session at once.
    elsewhere = browser.new_context()
    alices_page = elsewhere.new_page()
    sign_in(alices_page, site, "alice")
    assert LoginSession.objects.filter(user=alice).exists()

    as_person(page, site, "ada")
    page.goto(f"{site.url}/home/")
    page.get_by_role("link", name="Manage users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users in Northshire Advocacy")
    expect(page.get_by_role("link", name="bob", exact=True)).to_have_count(0)  # provider B's
    assert_accessible(page)

    # A new advocate; a duplicate username is refused first.
    page.get_by_role("link", name="Add a user").click()
    assert_accessible(page)
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Full name").fill("Octavia Fernsby")
    page.get_by_label("Advocate", exact=True).check()
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a different username")
    assert_accessible(page)
    page.get_by_label("Username").fill("ns-advocate-7")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Account created")).to_be_visible()
    expect(page.get_by_text("Not set up yet")).to_be_visible()
    assert_accessible(page)
    new = User.objects.get(username="ns-advocate-7")
    # The advocate role waits for a provider manager's approval (two people, issue #9).
    assert (new.organisation, new.role, new.full_name) == (
        alice.organisation,
        "",
        "Octavia Fernsby",
    )
    assert new.role_requests.filter(role="advocate", status="pending").exists()

    # Disable Alice: her other session ends; then enable her again.
    page.get_by_role("link", name="All users").click()
    page.get_by_role("link", name="alice", exact=True).click()
    page.get_by_role("button", name="Disable account").click()
    expect(page.get_by_text("Account disabled and signed out everywhere")).to_be_visible()
    alice.refresh_from_db()
    assert not alice.is_active
    alices_page.goto(f"{site.url}/home/")
    alices_page.wait_for_url("**/accounts/sign-in/**")
    page.get_by_role("button", name="Enable account").click()
    expect(page.get_by_text("Account enabled")).to_be_visible()
    alice.refresh_from_db()
    assert alice.is_active

    # Amir lost his phone: reset his two-step sign-in.
    page.get_by_role("link", name="All users").click()
    page.get_by_role("link", name="amir", exact=True).click()
    expect(page.get_by_text("Set up", exact=True)).to_be_visible()
    page.get_by_role("button", name="Reset two-step sign-in").click()
    expect(page.get_by_text("Two-step sign-in reset")).to_be_visible()
    expect(page.get_by_text("Not set up yet")).to_be_visible()
    assert not amir.totpdevice_set.exists()

    # An administrator never sees case content.
    response = page.goto(f"{site.url}/cases/{site.world.case_a.public_id}/")
    assert response is not None and response.status == 404
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"user.created", "user.disabled", "user.enabled", "user.mfa_reset"} <= verbs
    elsewhere.close()
    assert not watch.problems(), watch.problems()
