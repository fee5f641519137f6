"""The incident diary and evidence bundles in a real browser (Chromium), with axe-core on each page:
logging many small incidents quickly, and producing, downloading, sharing and checking a bundle."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page as BrowserPage
from playwright.sync_api import expect

from harbour.evidence import services
from harbour.evidence.models import Bundle, BundleShare, IncidentVersion
from tests.browser.conftest import Watch
from tests.browser.pages import AXE_TAGS, Site, current_code, fill_date
from tests.browser.test_accessibility import AXE, describe
from tests.conftest import PASSWORD
from tests.evidence.conftest import entry, png_with_exif, upload_file


def assert_accessible(page: BrowserPage, watch: Watch, what: str) -> None:
    page.wait_for_load_state()
    assert not watch.problems(), (what, watch.problems())
    assert page.title().endswith("Harbour"), page.title()
    violations = AXE.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response[
        "violations"
    ]
    assert not violations, f"{what}:\n{describe(violations)}"


def test_an_advocate_logs_many_small_incidents_quickly(
    site: Site, page: BrowserPage, watch: Watch
) -> None:
    case = site.world.case_a
    site.sign_in_quietly(page, "alice")
    page.goto(f"{site.url}/cases/{case.public_id}/")
    page.get_by_role("link", name="Incident diary").click()
    page.get_by_role("link", name="Quick entry").click()
    assert_accessible(page, watch, "quick entry")

    page.get_by_label("Phone calls").check()
    page.get_by_label("How many").fill("17")
    fill_date(page, "Date", "2026-03-03")
    page.get_by_label("From").fill("21:00")
    page.get_by_label("To", exact=True).fill("23:00")
    page.get_by_label("Details").fill("withheld number")
    page.get_by_role("button", name="Save and log another").click()
    expect(page.get_by_text("Diary entry D001 logged (17 times)")).to_be_visible()

    page.get_by_label("Messages (text, WhatsApp or any platform)").check()
    page.get_by_label("How many").fill("6")
    fill_date(page, "Date", "2026-03-04")
    page.get_by_role("button", name="Save and log another").click()
    expect(page.get_by_text("Diary entry D002 logged (6 times)")).to_be_visible()
    expect(page.get_by_role("link", name="D001")).to_be_visible()

    # A mistake is refused with the GOV.UK error summary, and the page stays accessible.
    page.get_by_label("How many").fill("0")
    page.get_by_role("button", name="Save and log another").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, watch, "quick entry with errors")

    # A threat, in full, with the fear it caused.
    page.get_by_role("link", name="Back to the diary").click()
    page.get_by_role("link", name="Log an incident in full").click()
    fill_date(page, "Date it happened (or began)", "2026-03-05")
    page.get_by_label("Threats").check()
    page.get_by_label("What happened").fill("Said he knows where her mother lives.")
    page.get_by_label("Feared violence would be used against them").check()
    page.get_by_label("It was reported to police").check()
    page.get_by_label("Police reference").fill("NP/4471/26")
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("heading", name="Diary entry D003")).to_be_visible()
    assert_accessible(page, watch, "incident detail")

    versions = IncidentVersion.unscoped.filter(incident__case=case).order_by("incident__number")
    assert [(v.count, v.behaviours) for v in versions] == [
        (17, ["calls"]),
        (6, ["messages"]),
        (1, ["threats"]),
    ]

    page.get_by_role("link", name="Back to the diary").click()
    expect(page.get_by_text("3 entries, 24 acts")).to_be_visible()
    assert_accessible(page, watch, "diary")
    page.get_by_role("link", name="Pattern of conduct").click()
    expect(page.get_by_text("Conduct on 3 occasions (24 acts)")).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert_accessible(page, watch, "pattern")


def test_an_advocate_produces_a_bundle_shares_it_and_checks_it(
    site: Site, page: BrowserPage, watch: Watch, tmp_path: Path
) -> None:
    case, alice = site.world.case_a, site.world.cast["alice"]
    first = services.log_incident(case, by=alice, data=entry(count=17))
    services.log_incident(
        case, by=alice, data=entry(behaviours=["threats"], effects=["fear_of_violence"])
    )
    services.store_evidence(
        case, upload_file("door.jpg", png_with_exif()), kind="photo", incident=first, by=alice
    )
    site.sign_in_quietly(page, "alice")
    page.goto(f"{site.url}/cases/{case.public_id}/")
    page.get_by_role("link", name="Bundles", exact=True).click()
    assert_accessible(page, watch, "bundles")

    # Producing asks for the password and a code first.
    page.get_by_role("button", name="Produce a bundle").click()
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Security code").fill(current_code(TOTPDevice.objects.get(user=alice)))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Produce a bundle").click()
    expect(page.get_by_text("Bundle B01 produced")).to_be_visible()
    bundle = Bundle.unscoped.get(case=case)
    expect(page.get_by_text(bundle.manifest_sha256)).to_be_visible()
    assert_accessible(page, watch, "bundle detail")

    # Sharing with police is refused until the client's consent is recorded.
    expect(page.get_by_text("consent to share with police is not in force")).to_be_visible()
    page.get_by_role("link", name="See consent").click()
    page.get_by_role("link", name="Record the client's decision").click()
    page.get_by_label("Given").check()
    page.get_by_label("In person").check()
    assert_accessible(page, watch, "consent")
    page.get_by_role("button", name="Record the decision").click()
    expect(
        page.get_by_text("The client's decision about sharing with police is recorded")
    ).to_be_visible()
    page.get_by_role("link", name="B01").click()
    page.get_by_label("Police force").select_option(label="Northshire Police")
    page.get_by_role("button", name="Share with the police stalking coordinator").click()
    expect(page.get_by_text("Bundle B01 shared with Northshire Police")).to_be_visible()
    assert BundleShare.unscoped.filter(bundle=bundle).count() == 1

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the bundle (ZIP)").click()
    download = download_info.value
    assert download.suggested_filename == f"harbour-bundle-{case.reference}-B01.zip"
    saved = tmp_path / "bundle.zip"
    download.save_as(saved)

    page.goto(f"{site.url}/evidence/bundles/check/")
    page.get_by_label("Bundle ZIP file").set_input_files(str(saved))
    page.get_by_role("button", name="Check the bundle").click()
    expect(page.get_by_role("heading", name="Bundle intact")).to_be_visible()
    expect(page.get_by_text(bundle.manifest_sha256)).to_be_visible()
    assert_accessible(page, watch, "check: intact")

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("exhibits/"):
                body = body[: len(body) // 2]
            dst.writestr(info.filename, body)
        dst.writestr("exhibits/E099-planted.jpg", io.BytesIO(b"planted").getvalue())
    page.get_by_label("Bundle ZIP file").set_input_files(str(tampered))
    page.get_by_role("button", name="Check the bundle").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Bundle not intact")
    expect(summary).to_contain_text("exhibits/E099-planted.jpg")
    expect(summary).to_contain_text("Size")
    assert_accessible(page, watch, "check: not intact")

    # The police coordinator sees the shared bundle, and nothing else of the case.
    page.context.clear_cookies()
    site.sign_in_quietly(page, "pete")
    page.goto(f"{site.url}/home/")
    page.get_by_role("link", name="Evidence bundles").click()
    expect(page.get_by_role("link", name="B01")).to_be_visible()
    assert_accessible(page, watch, "shared bundles")
    assert timezone.now() >= bundle.produced_at
