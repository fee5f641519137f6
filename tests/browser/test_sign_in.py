"""Signing in through a real browser: password, then a TOTP code computed from the device's key;
and first-time set-up of an authenticator app from the QR page's manual key."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, expect
from playwright.sync_api import Page as BrowserPage

from tests.browser.conftest import Watch
from tests.browser.pages import (
    Site,
    code_from_secret,
    current_code,
    enter_password,
    key_from_secret,
    read_manual_key,
    to_enrolment,
)


def test_an_advocate_signs_in_with_password_and_code_and_signs_out(
    site: Site, page: BrowserPage, watch: Watch
) -> None:
    enter_password(page, site, "alice")
    page.wait_for_url("**/accounts/sign-in/code/")
    device = TOTPDevice.objects.get(user=site.world.cast["alice"], confirmed=True)
    page.get_by_label("Security code").fill(current_code(device))
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/home/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Advocate home")
    expect(page.get_by_role("link", name="Cases", exact=True)).to_be_visible()

    with page.expect_response("**/accounts/sign-out/") as signed_out:
        page.get_by_role("button", name="Sign out").click()
    assert "storage" in signed_out.value.all_headers()["clear-site-data"]
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    # The session cookie is gone; only the known-device cookie (lockout relief) stays.
    left = {cookie["name"] for cookie in page.context.cookies()}
    assert left <= {"harbour_device"}, left
    page.goto(f"{site.url}/home/")
    page.wait_for_url("**/accounts/sign-in/**")
    assert not watch.problems(), watch.problems()


def test_a_wrong_code_is_refused_and_the_same_code_does_not_work_twice(
    site: Site, page: BrowserPage
) -> None:
    device = TOTPDevice.objects.get(user=site.world.cast["alice"], confirmed=True)
    enter_password(page, site, "alice")
    page.get_by_label("Security code").fill("000000" if current_code(device) != "000000" else "1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()

    # django-otp refuses any code for a second after a failure: let that second pass on the clock
    # it reads (the failure's timestamp) rather than waiting for it.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=5)
    )
    code = current_code(device)
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home/")

    page.context.clear_cookies()
    enter_password(page, site, "alice")
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("used already")


def test_first_sign_in_sets_up_an_authenticator_app_from_the_qr_page(
    site: Site, page: BrowserPage, watch: Watch
) -> None:
    to_enrolment(page, site)
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = read_manual_key(page)
    pending = TOTPDevice.objects.get(user=site.world.cast["alice"], confirmed=False)
    assert key_from_secret(secret) == pending.bin_key

    page.get_by_label("Security code from your app").fill(code_from_secret(secret))
    page.get_by_role("button", name="Confirm and sign in").click()

    page.wait_for_url("**/accounts/recovery-codes/")
    codes = page.locator(".harbour-codes code").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    page.get_by_role("link", name="I have saved my codes").click()
    page.wait_for_url("**/home/")
    assert TOTPDevice.objects.filter(user=site.world.cast["alice"], confirmed=True).count() == 1
    assert not watch.problems(), watch.problems()


def test_signing_in_works_without_javascript(site: Site, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        enter_password(page, site, "mia")
        page.wait_for_url("**/accounts/sign-in/code/")
        device = TOTPDevice.objects.get(user=site.world.cast["mia"], confirmed=True)
        page.get_by_label("Security code").fill(current_code(device))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/home/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Manager home")
        assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
    finally:
        context.close()
