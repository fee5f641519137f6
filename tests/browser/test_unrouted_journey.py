"""A referral no service covers, end to end in Chromium: the person is told honestly to call the
National Stalking Helpline, and a person at the triage team routes the referral to a service.
Every page visited passes the axe-core rules of the accessibility sweep."""

from __future__ import annotations

from playwright.sync_api import Page as BrowserPage
from playwright.sync_api import expect

from harbour.audit.models import AuditEvent
from harbour.coverage.services import set_triage_team
from harbour.referrals.models import Referral
from tests.browser.conftest import Watch
from tests.browser.pages import Site
from tests.browser.test_referral_journeys import SELF, assert_accessible, sign_in


def test_an_unrouted_self_referral_is_routed_to_a_service_by_a_person_at_the_triage_team(
    site: Site, page: BrowserPage, watch: Watch
) -> None:
    orgs = site.world.orgs
    set_triage_team(orgs["provider_a"], username="test")

    # Someone in Leicester asks for support; no service here covers LE1.
    page.goto(f"{site.url}/public/self-referral/")
    page.locator("#id_what_is_happening").fill(SELF["what_is_happening"])
    page.locator("#id_how_long_1").check()
    page.locator("#id_suspect_relationship_2").check()
    page.locator("#id_reported_to_police_1").check()
    page.locator("#id_given_name").fill("Octavia")
    page.locator("#id_family_name").fill(SELF["family_name"])
    page.locator("#id_phone").fill(SELF["phone"])
    page.locator("#id_postcode").fill("LE1 1AA")
    page.locator("#id_safe_channels_0").check()
    page.locator("#id_consent_to_contact").check()
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/public/sent/no-local-service/")
    assert_accessible(page)
    expect(page.get_by_text("Call the National Stalking Helpline on 0808 802 0300")).to_be_visible()
    expect(page.get_by_text("We cannot promise that anyone will get in touch")).to_be_visible()
    assert "Octavia" not in page.content()

    referral = Referral.objects.system("browser test").get()
    assert (referral.status, referral.routed_to) == (Referral.Status.RECEIVED, orgs["provider_a"])

    # The triage team's manager finds it in the unrouted queue and sends it on.
    sign_in(page, site, "mia")
    page.get_by_role("link", name="Referrals", exact=True).first.click()
    page.wait_for_url("**/referrals/")
    page.get_by_role("link", name="Referrals no service covers").click()
    page.wait_for_url("**/coverage/unrouted/")
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text="Octavia")
    expect(row).to_contain_text("LE1")
    row.get_by_role("link").click()
    page.wait_for_url(f"**/referrals/{referral.public_id}/")
    assert_accessible(page)
    page.get_by_role("link", name="Send to another provider").click()
    assert_accessible(page)
    page.get_by_label("Send the referral to").select_option(label=orgs["provider_b"].name)
    page.get_by_label("Reason (optional)").fill("Moving to Southshire next week")
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_url("**/referrals/")
    expect(page.get_by_text(f"Referral sent to {orgs['provider_b'].label}")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{site.url}/coverage/unrouted/")
    expect(page.get_by_text("There are no open referrals waiting to be routed")).to_be_visible()
    referral.refresh_from_db()
    assert (referral.status, referral.routed_to) == (Referral.Status.RECEIVED, orgs["provider_b"])
    assert AuditEvent.objects.get(verb="referral.rerouted").actor_username == "mia"

    # The manager's own coverage page, and a rule added there.
    page.get_by_role("link", name="Coverage").first.click()
    page.wait_for_url("**/coverage/")
    assert_accessible(page)
    page.get_by_label("Postcode area, district, sector or full postcode").fill("LE1 1")
    page.get_by_role("button", name="Add rule").click()
    expect(page.get_by_text("Your service now covers postcode sector LE1 1")).to_be_visible()
    assert_accessible(page)
    assert not watch.problems(), watch.problems()
