"""Every route into a service, end to end in Chromium against a live server: the public
self-referral keyboard-only and without JavaScript, "Exit this page", the police coordinator's form
through triage to the outcome the force sees, and the police API over real HTTP. Every Harbour page
visited passes the same axe-core rules (WCAG 2.2 A and AA, best practices) as the accessibility sweep."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from io import StringIO
from typing import Any
from urllib.parse import urlsplit

from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Route, expect
from playwright.sync_api import Page as BrowserPage

from harbour.audit.models import AuditEvent
from harbour.referrals.models import ContactAttempt, Referral
from tests.browser.conftest import Watch
from tests.browser.pages import AXE_TAGS, Site, current_code, enter_password
from tests.browser.test_accessibility import AXE, describe

NEUTRAL_HOST = "www.bbc.co.uk"
STUB = "<!doctype html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"

#: What a person being stalked tells the service about themselves (synthetic).
SELF = {
    "what_is_happening": "A man from my old gym waits by my car every evening",
    "given_name": "Rosalind",
    "family_name": "Featherstonehaugh",
    "phone": "07700 900456",
    "postcode": "ss1 2ab",
    "safe_times": "Weekday mornings",
    "code_word": "marigold",
}


def referrals() -> Any:
    return Referral.objects.system("browser test")


# Checks -----------------------------------------------------------------------------------------


def assert_accessible(page: BrowserPage) -> None:
    """The page now shown passes the axe-core rules of the sweep, and its title ends with Harbour."""
    page.wait_for_load_state()
    assert page.title().endswith("Harbour"), f"title {page.title()!r} at {page.url}"
    violations = AXE.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response[
        "violations"
    ]
    assert not violations, f"{page.url}:\n{describe(violations)}"


def assert_accessible_without_javascript(page: BrowserPage, scratch: BrowserPage) -> None:
    """The same check for a page shown with JavaScript off. axe-core cannot run where scripts are
    disabled, so the page's HTML, its scripts removed, is shown at the same address in a scratch
    page that allows scripts (its stylesheets still come from the server) and checked there."""
    html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S | re.I)
    address = page.url.split("#")[0]

    def serve(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    scratch.route(lambda url: url == address, serve)
    scratch.goto(address)
    scratch.unroute_all()
    assert "js-enabled" not in (scratch.locator("body").get_attribute("class") or "")
    assert_accessible(scratch)


def sign_in(page: BrowserPage, site: Site, name: str) -> None:
    """The real sign-in: password, then the code the person's authenticator app shows now."""
    page.context.clear_cookies()
    enter_password(page, site, name)
    page.wait_for_url("**/accounts/sign-in/code/")
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=site.world.cast[name], confirmed=True)
    page.get_by_label("Security code").fill(current_code(device))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home/")
    assert_accessible(page)


# Keyboard only ----------------------------------------------------------------------------------


def tab_to(page: BrowserPage, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def type_into(page: BrowserPage, field_id: str, text: str) -> None:
    tab_to(page, f"#{field_id}")
    page.keyboard.type(text)


def choose(page: BrowserPage, name: str, index: int) -> None:
    """Tab into a radio group, then pick an option with the arrow keys (or Space for the first)."""
    tab_to(page, f'input[name="{name}"]')
    if index == 0:
        page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    assert page.locator(f"#id_{name}_{index}").is_checked()


def tick(page: BrowserPage, field_id: str) -> None:
    tab_to(page, f"#{field_id}")
    page.keyboard.press("Space")
    assert page.locator(f"#{field_id}").is_checked()


def follow(page: BrowserPage, href: str) -> None:
    tab_to(page, f'a[href="{href}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")
    assert_accessible(page)


# The public self-referral -----------------------------------------------------------------------


def test_a_self_referral_made_with_the_keyboard_alone_reaches_the_provider_for_the_postcode(
    site: Site, page: BrowserPage, watch: Watch
) -> None:
    page.goto(f"{site.url}/")
    assert_accessible(page)
    follow(page, "/public/")  # Get help
    follow(page, "/public/help/")  # Continue, past "leaving this site quickly"
    follow(page, "/public/self-referral/")

    type_into(page, "id_what_is_happening", SELF["what_is_happening"])
    choose(page, "how_long", 1)
    choose(page, "suspect_relationship", 2)
    choose(page, "reported_to_police", 1)
    type_into(page, "id_given_name", SELF["given_name"])
    type_into(page, "id_family_name", SELF["family_name"])
    type_into(page, "id_phone", SELF["phone"])
    type_into(page, "id_postcode", SELF["postcode"])
    tick(page, "id_safe_channels_0")  # phone call
    tick(page, "id_safe_channels_2")  # text message
    type_into(page, "id_safe_times", SELF["safe_times"])
    type_into(page, "id_code_word", SELF["code_word"])
    tick(page, "id_consent_to_contact")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url("**/public/sent/")
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sent")
    shown = page.content().lower()
    for value in SELF.values():
        assert value.lower() not in shown
    assert "900456" not in shown and "ss1" not in shown
    assert urlsplit(page.url).query == ""

    referral = referrals().get()
    assert referral.source == Referral.Source.SELF
    assert referral.routed_to == site.world.orgs["provider_b"]
    assert referral.safe_call and referral.safe_text and not referral.safe_email
    assert not watch.problems(), watch.problems()

    # Southshire Support covers SS1: its advocate finds the referral in the triage queue.
    sign_in(page, site, "bob")
    page.get_by_role("link", name="Go to referrals").click()
    page.wait_for_url("**/referrals/")
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text="Rosalind")
    expect(row).to_contain_text("Self-referral")
    expect(row).to_contain_text("SS1")
    expect(row).to_contain_text("Received")
    row.get_by_role("link").click()
    page.wait_for_url(f"**/referrals/{referral.public_id}/")
    assert_accessible(page)
    expect(page.get_by_text(SELF["what_is_happening"])).to_be_visible()
    assert not watch.problems(), watch.problems()


def test_a_self_referral_works_without_javascript_and_its_errors_link_to_the_fields(
    site: Site, browser: Browser, context: BrowserContext
) -> None:
    scratch = context.new_page()
    no_script = browser.new_context(java_script_enabled=False, locale="en-GB")
    no_script.set_default_timeout(10_000)
    try:
        page = no_script.new_page()
        watch = Watch(origin=site.url)
        page.on("request", watch.on_request)
        page.goto(f"{site.url}/")
        assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
        assert_accessible_without_javascript(page, scratch)
        page.get_by_role("button", name="Get help").click()
        page.wait_for_url("**/public/")
        assert_accessible_without_javascript(page, scratch)
        page.get_by_role("link", name="Continue").click()
        page.wait_for_url("**/public/help/")
        assert_accessible_without_javascript(page, scratch)
        page.get_by_role("link", name="Ask for support for yourself").click()
        page.wait_for_url("**/public/self-referral/")
        assert_accessible_without_javascript(page, scratch)

        # First attempt: a few answers, a phone number that is not one, no agreement.
        page.locator("#id_what_is_happening").fill(SELF["what_is_happening"])
        page.locator("#id_given_name").fill(SELF["given_name"])
        page.locator("#id_phone").fill("12")
        page.locator("#id_postcode").fill(SELF["postcode"])
        page.get_by_role("button", name="Send").click()

        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("There is a problem")
        assert_accessible_without_javascript(page, scratch)
        links = {
            link.get_attribute("href"): link.inner_text()
            for link in summary.get_by_role("link").all()
        }
        assert links == {
            "#id_how_long_0": "Select how long it has been going on",
            "#id_suspect_relationship_0": "Select who the person is to you",
            "#id_reported_to_police_0": "Select whether you have told the police",
            "#id_phone": "Enter a phone number, like 07700 900 982",
            "#id_safe_channels_0": "Select at least one safe way to make contact",
            "#id_consent_to_contact": "You need to agree to be contacted so we can help you",
        }
        for href in links:
            expect(page.locator(str(href))).to_have_count(1)
        summary.get_by_role("link", name="Enter a phone number").click()
        assert page.url.endswith("#id_phone")
        expect(page.locator("#id_what_is_happening")).to_have_value(SELF["what_is_happening"])
        assert not referrals().exists()

        # Fixed and sent.
        page.locator("#id_how_long_0").check()
        page.locator("#id_suspect_relationship_5").check()
        page.locator("#id_reported_to_police_0").check()
        page.locator("#id_phone").fill(SELF["phone"])
        page.get_by_label("Phone call").check()
        page.get_by_label("I agree to the service contacting me").check()
        page.get_by_role("button", name="Send").click()
        # The browser keeps the #id_phone followed above across the redirect: a field's id only.
        page.wait_for_url(lambda url: urlsplit(url).path == "/public/sent/")
        assert_accessible_without_javascript(page, scratch)
        assert SELF["given_name"] not in page.content()

        referral = referrals().get()
        assert referral.routed_to == site.world.orgs["provider_b"]
        assert referral.what_is_happening == SELF["what_is_happening"]
        assert not watch.problems(), watch.problems()
    finally:
        no_script.close()


# Exit this page ---------------------------------------------------------------------------------


@dataclass
class Leaving:
    """What Harbour answered to /public/leave/, and what the neutral site was asked for."""

    answers: list[dict[str, str]] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def intercept_leaving(page: BrowserPage, site: Site) -> Leaving:
    """Harbour's redirect is fetched from the live server and handed to the browser, whose next
    request, to the neutral site, is answered locally: nothing leaves this machine. (Playwright
    routes never see a redirect's target unless the redirect itself was fulfilled by a route.)"""
    leaving = Leaving()

    def leave(route: Route) -> None:
        response = route.fetch(max_redirects=0)
        leaving.answers.append({"status": str(response.status), **response.headers})
        # Chromium follows a cross-origin redirect from these pages with a request Playwright's
        # routes do not see (it would look the neutral host up for real). So the browser gets
        # Harbour's cookies with a page that moves on to the same Location by itself, a new
        # navigation the route below does see. Harbour's own answer is checked as it was sent.
        target = response.headers["location"]
        route.fulfill(
            status=200,
            content_type="text/html",
            headers={"set-cookie": response.headers.get("set-cookie", "")},
            body=f'<!doctype html><meta http-equiv="refresh" content="0;url={target}">',
        )

    def neutral(route: Route) -> None:
        leaving.asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=STUB)

    page.on("requestfailed", lambda request: leaving.failed.append(request.url))
    page.context.route(f"{site.url}/public/leave/", leave)
    page.context.route(f"https://{NEUTRAL_HOST}/**", neutral)
    return leaving


def assert_left_for_the_neutral_site(page: BrowserPage, site: Site, leaving: Leaving) -> None:
    from django.conf import settings

    page.wait_for_url(f"https://{NEUTRAL_HOST}/**")
    assert urlsplit(page.url).hostname == NEUTRAL_HOST
    assert leaving.asked == [f"https://{NEUTRAL_HOST}/weather"]
    assert not leaving.failed
    [answer] = leaving.answers
    assert answer["status"] == "302"
    assert answer["location"] == f"https://{NEUTRAL_HOST}/weather"
    assert "storage" in answer["clear-site-data"]
    names = {c["name"] for c in page.context.cookies(site.url)}
    assert settings.SESSION_COOKIE_NAME not in names
    page.goto(f"{site.url}/home/")  # the session it had is gone
    page.wait_for_url("**/accounts/sign-in/**")


def only_the_neutral_site(watch: Watch) -> list[str]:
    return [p for p in watch.problems() if f"https://{NEUTRAL_HOST}/" not in p]


def test_exit_this_page_ends_the_session_and_lands_on_a_neutral_site(
    site: Site, page: BrowserPage, watch: Watch
) -> None:
    leaving = intercept_leaving(page, site)
    site.sign_in_quietly(page, "alice")  # someone left a session on a shared computer
    page.goto(f"{site.url}/public/self-referral/")
    assert_accessible(page)
    exit_link = page.get_by_role("button", name="Exit this page")
    assert exit_link.get_attribute("href") == "/public/leave/"
    exit_link.click()
    assert_left_for_the_neutral_site(page, site, leaving)
    assert not only_the_neutral_site(watch), watch.problems()


def test_pressing_shift_three_times_leaves_too(site: Site, page: BrowserPage, watch: Watch) -> None:
    leaving = intercept_leaving(page, site)
    site.sign_in_quietly(page, "alice")
    page.goto(f"{site.url}/public/self-referral/")
    assert "js-enabled" in (page.locator("body").get_attribute("class") or "")
    page.locator("#id_what_is_happening").type("He follows me")
    for _ in range(3):
        page.keyboard.press("Shift")
    assert_left_for_the_neutral_site(page, site, leaving)
    assert not referrals().exists()
    assert not only_the_neutral_site(watch), watch.problems()


# Police: the coordinator's form, triage, and the outcome the force sees ---------------------------

VICTIM = {
    "crime_reference": "NP/2026/4411",
    "officer_in_case": "DC 4411 Example",
    "officer_contact": "01234 567890 ext 4411",
    "given_name": "Perpetua",
    "family_name": "Wainscott",
    "phone": "07700 900789",
    "postcode": "NS1 7QT",
    "risk_information": "Suspect has a key to the back gate",
}


def test_a_police_referral_is_triaged_accepted_and_reported_back_without_case_content(
    site: Site, page: BrowserPage, watch: Watch, browser: Browser
) -> None:
    # The coordinator sends it.
    sign_in(page, site, "pete")
    page.get_by_role("link", name="make a referral").click()
    page.wait_for_url("**/referrals/new/police/")
    assert_accessible(page)
    for name in (
        "crime_reference",
        "officer_in_case",
        "officer_contact",
        "given_name",
        "family_name",
        "phone",
    ):
        page.locator(f"#id_{name}").fill(VICTIM[name])
    # The date the crime was reported, in GOV.UK day, month and year boxes.
    reported = page.get_by_role("group", name="Date the crime was reported to police")
    reported.get_by_label("Day").fill("30")
    reported.get_by_label("Month").fill("11")
    reported.get_by_label("Year").fill("2026")
    page.locator("#id_postcode").fill(VICTIM["postcode"])
    page.locator("#id_risk_information").fill(VICTIM["risk_information"])
    page.get_by_label("Stalking with fear of violence").check()
    page.get_by_label("Phone call").check()
    page.get_by_label("High").check()
    page.get_by_label("The victim has agreed to be referred").check()
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_url("**/referrals/sent/")
    assert_accessible(page)
    expect(page.get_by_text("Referral sent to Northshire Advocacy")).to_be_visible()
    referral = referrals().get()
    assert referral.routed_to == site.world.orgs["provider_a"]

    # The provider's advocate triages it, on her own computer.
    advocate = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    advocate.set_default_timeout(10_000)
    coordinator, page = page, advocate.new_page()
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_page_error)
    page.on("request", watch.on_request)
    sign_in(page, site, "alice")
    page.get_by_role("link", name="Go to referrals").click()
    assert_accessible(page)
    page.get_by_role("link", name="Perpetua Wainscott").click()
    page.wait_for_url(f"**/referrals/{referral.public_id}/")
    assert_accessible(page)
    page.get_by_role("link", name="Record a contact attempt").click()
    assert_accessible(page)
    expect(page.get_by_label("Text message")).to_have_count(0)  # only safe ways are offered

    # A stale or forged form naming a channel the victim did not mark safe is refused.
    page.locator("#id_channel_0").evaluate(
        "radio => { radio.value = 'text'; radio.checked = true }"
    )
    page.get_by_label("Spoke to the person").check()
    page.get_by_role("button", name="Record attempt").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("has not said text message is safe")
    assert_accessible(page)
    assert not ContactAttempt.objects.system("browser test").exists()
    assert AuditEvent.objects.filter(verb="referral.unsafe_channel_refused").count() == 1

    page.get_by_label("Phone call").check()
    page.get_by_label("Spoke to the person").check()
    page.get_by_role("button", name="Record attempt").click()
    expect(page.get_by_text("Contact attempt recorded")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Accept", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Accept and open a case").click()
    expect(page.get_by_text("Referral accepted")).to_be_visible()
    assert_accessible(page)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    case = referral.case

    advocate.close()

    # The force sees the outcome, and nothing of the case.
    page = coordinator
    page.goto(f"{site.url}/home/")
    page.get_by_role("link", name="See referrals sent").click()
    page.wait_for_url("**/referrals/sent/")
    assert_accessible(page)
    row = page.get_by_role("row").filter(has_text=VICTIM["crime_reference"])
    expect(row).to_contain_text("Accepted")
    expect(row).to_contain_text("Northshire Advocacy")
    expect(row).to_contain_text("0 working days")
    shown = page.content()
    for secret in (
        VICTIM["given_name"],
        VICTIM["family_name"],
        VICTIM["phone"],
        VICTIM["risk_information"],
        case.reference,
        str(case.public_id),
        str(referral.public_id),
    ):
        assert secret not in shown
    assert not watch.problems(), watch.problems()


# Police API over HTTP ---------------------------------------------------------------------------


def call(
    site: Site, method: str, path: str, token: str | None = None, body: Any = None
) -> tuple[int, dict[str, str], Any]:
    """One HTTP request to the live server (no proxy): status, headers, parsed JSON body."""
    headers = {"Accept": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    address = site.url + path  # the live server, http://localhost:port
    request = urllib.request.Request(address, data=data, headers=headers, method=method)  # noqa: S310
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), json.loads(error.read())


def issue_token(organisation: str) -> str:
    out = StringIO()
    call_command(
        "api-token", "create", "--org", organisation, "--label", "browser test", stdout=out
    )
    return out.getvalue().strip().splitlines()[-1]


def test_the_police_api_accepts_valid_referrals_and_refuses_the_rest_over_http(
    site: Site, page: BrowserPage, watch: Watch
) -> None:
    token = issue_token("Northshire Police")
    payload = {
        "crime_reference": "NP/2026/9001",
        "recorded_as": "stalking_2a",
        "officer_in_case": "PC 9001 Example",
        "officer_contact": "pc9001@example.police.uk",
        "crime_reported_on": "2026-11-30",
        "given_name": "Ignatius",
        "family_name": "Blackwood",
        "phone": "07700 900321",
        "postcode": "NS1 3JJ",
        "safe_channels": ["call"],
        "risk_level": "medium",
        "consent_to_contact": True,
    }

    status, headers, body = call(site, "POST", "/api/v1/referrals", token, payload)
    assert status == 201, body
    assert body["status"] == "received" and body["routed_to"] == "Northshire Advocacy"
    assert headers["Location"] == f"/api/v1/referrals/{body['id']}"
    referral = referrals().get()
    assert str(referral.public_id) == body["id"]
    assert referral.referring_organisation == site.world.orgs["police"]

    status, _, read = call(site, "GET", headers["Location"], token)
    assert status == 200
    assert read["status"] == "received" and read["first_contact_attempt_at"] is None
    assert "given_name" not in read and "Ignatius" not in json.dumps(read)

    # It appears in the provider's triage queue.
    site.sign_in_quietly(page, "alice")
    page.goto(f"{site.url}/referrals/")
    assert_accessible(page)
    expect(page.get_by_role("row").filter(has_text="Ignatius Blackwood")).to_contain_text("Police")

    # Invalid: field-level errors, nothing stored.
    bad = {**payload, "postcode": "nowhere", "consent_to_contact": False}
    del bad["crime_reference"]
    status, _, body = call(site, "POST", "/api/v1/referrals", token, bad)
    assert status == 400
    assert set(body["errors"]) == {"crime_reference", "postcode", "consent_to_contact"}
    assert all(e[0]["message"] for e in body["errors"].values())
    status, _, body = call(
        site, "POST", "/api/v1/referrals", token, {**payload, "phone": 7, "x": 1}
    )
    assert status == 400 and set(body["errors"]) == {"phone", "x"}
    assert referrals().count() == 1

    # No token, a wrong token, an organisation that may not send referrals.
    assert call(site, "POST", "/api/v1/referrals", None, payload)[0] == 401
    assert call(site, "POST", "/api/v1/referrals", "hbt_not-a-token", payload)[0] == 401
    assert call(site, "GET", headers["Location"], "hbt_not-a-token")[0] == 401
    provider_token = issue_token("Northshire Advocacy")
    assert call(site, "POST", "/api/v1/referrals", provider_token, payload)[0] == 403
    assert referrals().count() == 1

    # The published description parses, and its own example is accepted.
    status, _, document = call(site, "GET", "/api/v1/openapi.json")
    assert status == 200 and document["openapi"].startswith("3.")
    request_schema = document["components"]["schemas"]["ReferralRequest"]
    status, _, body = call(site, "POST", "/api/v1/referrals", token, request_schema["example"])
    assert status == 201, body
    assert referrals().count() == 2
    assert not watch.problems(), watch.problems()
