"""Live chat end to end in Chromium: a visitor and an adviser in two browser contexts, messages
arriving in real time (server-sent events), the chat becoming a referral with its transcript,
"Exit this page" in the middle of a chat, out of hours, and the page without JavaScript. Every page
visited passes axe-core; no page breaks the Content Security Policy or keeps anything in storage."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page as BrowserPage

from harbour.chat.models import Chat, ChatMessage, ChatTranscript
from harbour.referrals.models import Referral
from tests.browser.conftest import Watch
from tests.browser.pages import Site
from tests.browser.test_referral_journeys import (
    assert_accessible,
    assert_left_for_the_neutral_site,
    intercept_leaving,
    only_the_neutral_site,
)
from tests.chat.conftest import CLOSED, make_service

START = "/public/chat/northshire/"


@pytest.fixture
def service(site: Site):
    return make_service(site.world.orgs["provider_a"])


@pytest.fixture
def adviser(browser: Browser, site: Site, service) -> Iterator[tuple[BrowserPage, Watch]]:
    """Alice, signed in, in her own browser context, taking chats."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = Watch(origin=site.url)
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_page_error)
    page.on("request", watch.on_request)
    site.sign_in_quietly(page, "alice")
    page.goto(f"{site.url}/chat/")
    assert_accessible(page)
    page.get_by_role("button", name="Start taking chats").click()
    expect(page.get_by_text("You are taking chats")).to_be_visible()
    yield page, watch
    context.close()


def chats() -> list[Chat]:
    return list(Chat.objects.system("browser test: read back the state").order_by("pk"))


def nothing_stored(page: BrowserPage) -> bool:
    return bool(
        page.evaluate(
            "() => window.localStorage.length === 0 && window.sessionStorage.length === 0"
        )
    )


def start_chat(page: BrowserPage, site: Site, alias: str = "Sam") -> None:
    page.goto(site.url + START)
    assert_accessible(page)
    page.get_by_label("What would you like us to call you? (optional)").fill(alias)
    page.get_by_role("button", name="Start a chat").click()
    expect(page.locator("[data-chat-status]")).to_contain_text("in the queue")


def answer_next(adviser_page: BrowserPage, site: Site, alias: str = "Sam") -> None:
    # The desk refreshes itself when a visitor arrives; going to it at that moment races with
    # the refresh ("navigation interrupted by another navigation"), so wait for it to settle.
    answer = adviser_page.get_by_role("button", name="Answer the next chat")
    try:
        expect(answer).to_be_visible(timeout=3_000)
    except AssertionError:
        try:
            adviser_page.goto(f"{site.url}/chat/")
        except PlaywrightError as exc:  # the desk's own refresh to the same page won the race
            assert "interrupted by another navigation" in str(exc), exc
            adviser_page.wait_for_url(f"{site.url}/chat/")
    answer.click()
    expect(adviser_page.get_by_role("heading", level=1)).to_have_text(f"Chat with {alias}")


def test_a_visitor_and_an_adviser_chat_in_real_time_and_the_chat_becomes_a_referral(
    site: Site, page: BrowserPage, watch: Watch, adviser
) -> None:
    adviser_page, adviser_watch = adviser
    start_chat(page, site)
    expect(page.get_by_text("You are number 1 in the queue.")).to_be_visible()
    assert_accessible(page)

    answer_next(adviser_page, site)
    assert_accessible(adviser_page)
    expect(adviser_page.get_by_text("press 55")).to_be_visible()  # the risk prompt
    # The visitor's page changes by itself: no reload, no refresh link pressed.
    expect(page.get_by_text("You are talking to an adviser.")).to_be_visible()

    page.get_by_label("Your message").fill("He waits outside my flat every night")
    page.get_by_role("button", name="Send").click()
    expect(adviser_page.get_by_text("He waits outside my flat every night")).to_be_visible()
    expect(page.get_by_label("Your message")).to_have_value("")

    adviser_page.get_by_label("Your message").fill("Would you like our service to support you?")
    adviser_page.get_by_label("Add a saved reply (optional)").select_option(
        label="National Stalking Helpline"
    )
    adviser_page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Would you like our service to support you?")).to_be_visible()
    expect(page.get_by_text("0808 802 0300.", exact=False).first).to_be_visible()

    adviser_page.get_by_role("button", name="Ask the visitor to agree to a referral").click()
    agree = page.get_by_role("button", name="Yes, I agree to a referral")
    expect(agree).to_be_visible()
    agree.click()
    make = adviser_page.get_by_role("link", name="Make the referral")
    expect(make).to_be_visible()
    make.click()
    assert_accessible(adviser_page)
    adviser_page.get_by_label("Summary of what is happening").fill(
        "Waits outside her flat nightly."
    )
    adviser_page.get_by_label("First name").fill("Sam")
    adviser_page.get_by_label("Phone number").fill("07700 900 982")
    adviser_page.get_by_label("Postcode").fill("NS1 2AB")
    adviser_page.get_by_label("Text message").check()
    adviser_page.get_by_role("button", name="Make the referral").click()
    expect(
        adviser_page.get_by_text("Referral made, with the chat transcript attached")
    ).to_be_visible()

    referral = Referral.objects.system("browser test").get()
    assert referral.source == Referral.Source.LIVE_CHAT
    transcript = ChatTranscript.objects.system("browser test").get()
    assert transcript.referral_id == referral.pk
    assert "He waits outside my flat every night" in transcript.text
    adviser_page.get_by_role("link", name="Read the live chat transcript").click()
    expect(adviser_page.get_by_text("He waits outside my flat every night")).to_be_visible()
    assert_accessible(adviser_page)

    # The visitor's page says the chat ended; nothing was kept in the browser.
    expect(page.get_by_text("This chat has ended.")).to_be_visible()
    assert_accessible(page)
    assert nothing_stored(page)
    assert not watch.problems(), watch.problems()
    assert not adviser_watch.problems(), adviser_watch.problems()


def test_the_advisers_desk_shows_a_new_visitor_without_a_refresh(
    site: Site, page: BrowserPage, adviser
) -> None:
    adviser_page, adviser_watch = adviser
    expect(adviser_page.get_by_text("Nobody is waiting.")).to_be_visible()
    start_chat(page, site, alias="Robin")
    expect(adviser_page.get_by_role("cell", name="Robin")).to_be_visible()
    assert_accessible(adviser_page)
    assert not adviser_watch.problems(), adviser_watch.problems()


def test_exit_this_page_in_the_middle_of_a_chat_ends_it_and_leaves_nothing(
    site: Site, page: BrowserPage, watch: Watch, adviser
) -> None:
    adviser_page, _ = adviser
    leaving = intercept_leaving(page, site)
    start_chat(page, site)
    answer_next(adviser_page, site)
    page.get_by_label("Your message").fill("I think he is outside now")
    page.get_by_role("button", name="Send").click()
    expect(adviser_page.get_by_text("I think he is outside now")).to_be_visible()

    page.get_by_role("button", name="Exit this page").click()
    # Leaving cuts the page's open event stream: the one request allowed to fail.
    page.wait_for_url("https://www.bbc.co.uk/**")
    leaving.failed[:] = [url for url in leaving.failed if "/conversation/events/" not in url]
    assert_left_for_the_neutral_site(page, site, leaving)
    [chat] = chats()
    assert chat.status == Chat.Status.ENDED and chat.ended_by == Chat.EndedBy.EXIT
    assert not ChatMessage.objects.system("browser test").filter(chat=chat).exists()
    # The adviser's page learns at once that the visitor has gone.
    expect(adviser_page.get_by_text("This chat has ended.")).to_be_visible()
    assert not only_the_neutral_site(watch), watch.problems()


def test_out_of_hours_the_visitor_is_given_the_helpline_and_the_self_referral_form(
    site: Site, page: BrowserPage, watch: Watch, service
) -> None:
    service.opening_hours = CLOSED
    service.save()
    page.goto(site.url + START)
    expect(page.get_by_text("The live chat is closed now.")).to_be_visible()
    expect(page.get_by_text("01632 960 001")).to_be_visible()
    assert page.get_by_role("button", name="Start a chat").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Ask for support for yourself").click()
    page.wait_for_url("**/public/self-referral/")
    assert not watch.problems(), watch.problems()


def test_an_adviser_ending_a_chat_deletes_its_text_and_keeps_its_timings(
    site: Site, page: BrowserPage, adviser
) -> None:
    adviser_page, _ = adviser
    start_chat(page, site)
    answer_next(adviser_page, site)
    page.get_by_label("Your message").fill("Just wanted to talk")
    page.get_by_role("button", name="Send").click()
    expect(adviser_page.get_by_text("Just wanted to talk")).to_be_visible()
    adviser_page.get_by_role("button", name="End the chat").click()
    expect(adviser_page.get_by_text("Chat ended")).to_be_visible()
    expect(page.get_by_text("This chat has ended.")).to_be_visible()
    [chat] = chats()
    assert chat.outcome == Chat.Outcome.ANSWERED and chat.text_deleted_at is not None
    assert not ChatMessage.objects.system("browser test").filter(chat=chat).exists()
    assert chat.wait_seconds is not None and chat.duration_seconds is not None
    assert chat.visitor_messages == 1


def test_without_javascript_the_chat_works_by_refreshing(
    site: Site, browser: Browser, adviser
) -> None:
    adviser_page, _ = adviser
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(site.url + START)
        page.get_by_label("What would you like us to call you? (optional)").fill("Sam")
        page.get_by_role("button", name="Start a chat").click()
        expect(page.get_by_text("You are number 1 in the queue.")).to_be_visible()
        answer_next(adviser_page, site)
        page.get_by_label("Your message").fill("Hello, is anyone there?")
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_text("Hello, is anyone there?")).to_be_visible()
        expect(adviser_page.get_by_text("Hello, is anyone there?")).to_be_visible()
        adviser_page.get_by_label("Your message").fill("Yes, I am here.")
        adviser_page.get_by_role("button", name="Send").click()
        # Wait until the adviser's message is saved (it shows in the adviser's own list)
        # before the visitor checks; clicking sooner races the adviser's request.
        sent = adviser_page.get_by_role("list", name="Messages").get_by_text("Yes, I am here.")
        expect(sent).to_be_visible()
        page.get_by_role("link", name="Check for new messages").click()
        expect(page.get_by_text("Yes, I am here.")).to_be_visible()
    finally:
        context.close()
