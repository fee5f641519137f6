"""An evidence import in a real browser: upload from the case page, progress that updates without a
reload (script on) or by refreshing (script off), who is who, the result in the chronology, flags
confirmed; axe-core on every page. The test itself plays the background worker, one stage at a
time, so each state of the page is seen."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from playwright.sync_api import Page as BrowserPage

from harbour.imports import services
from harbour.imports.models import EvidenceImport, MessageFlag
from tests.browser.conftest import CHROMIUM_ARGS, Watch  # noqa: F401 - the browser's arguments
from tests.browser.pages import Site
from tests.browser.test_evidence_journeys import assert_accessible
from tests.imports.conftest import CLIENT, SUSPECT, chat, whatsapp

THREATS = whatsapp(
    [
        ("08:00", CLIENT, "Leave me alone"),
        ("09:00", SUSPECT, "I saw you at the station this morning"),
        ("09:01", SUSPECT, "If you go to the police I will kill you"),
        *[(f"10:{i:02d}", SUSPECT, f"Answer me {i}") for i in range(40)],
    ]
)


def upload_from_case_page(page: BrowserPage, site: Site, data: bytes) -> EvidenceImport:
    case = site.world.case_a
    page.goto(f"{site.url}/cases/{case.public_id}/")
    page.get_by_role("link", name="Import messages, calls or email").click()
    page.get_by_role("link", name="Import an export").click()
    page.get_by_label("Export file").set_input_files(
        files=[
            {"name": "WhatsApp Chat with Orin Vale.txt", "mimeType": "text/plain", "buffer": data}
        ]
    )
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("heading", name="Import of exhibit E001")).to_be_visible()
    return EvidenceImport.unscoped.get(case=case)


def test_an_advocate_imports_a_chat_and_finds_the_suspects_messages_in_the_diary(
    site: Site, page: BrowserPage, watch: Watch, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.HARBOUR_IMPORT_CHECK_MB = 0  # read in the background, so every state is seen
    monkeypatch.setattr(services, "BATCH", 10)
    site.sign_in_quietly(page, "alice")
    page.goto(f"{site.url}/imports/cases/{site.world.case_a.public_id}/new/")
    assert_accessible(page, watch, "import form")
    job = upload_from_case_page(page, site, THREATS)
    expect(page.locator("#import-status")).to_have_text("Waiting for a worker")
    assert_accessible(page, watch, "import queued")

    services.work_on(job.pk)  # the scan; the page's script notices and reloads
    expect(page.get_by_role("heading", name="Who is who")).to_be_visible()
    assert_accessible(page, watch, "who is who")
    page.get_by_role("group", name="Which of these is the suspect?").get_by_label(
        re.compile(f"^{SUSPECT} \\(42 messages")
    ).check()
    page.get_by_role("group", name="Which of these is the client?").get_by_label(
        re.compile(f"^{CLIENT} ")
    ).check()
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-status")).to_have_text("Waiting for a worker")

    services.work_on(job.pk, stop_after=2)  # part way: the bar moves without a reload
    expect(page.locator("#import-progress-text")).to_contain_text("20 of 44 records imported")
    assert 0 < int(page.locator("#import-bar").get_attribute("value") or 0) < 100
    # as if that worker died: another worker resumes the import from its checkpoint
    EvidenceImport.unscoped.filter(pk=job.pk).update(worker="elsewhere:1", heartbeat_at=None)
    assert services.recover_stale() == [job.pk]
    services.work_on(job.pk)
    expect(page.get_by_role("heading", name="Result")).to_be_visible()
    expect(page.get_by_text("Threat to kill")).to_be_visible()
    assert_accessible(page, watch, "import result with the volume chart")

    page.get_by_role("link", name="review the flags").click()
    card = page.locator(".govuk-summary-card", has_text="Threat to kill")
    expect(card.locator("mark")).to_have_text("i will kill you")
    assert_accessible(page, watch, "flags to review")
    card.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Flag confirmed")).to_be_visible()
    assert MessageFlag.unscoped.get(source=job, flag="threat_to_kill").state == "confirmed"

    page.goto(f"{site.url}/evidence/cases/{site.world.case_a.public_id}/diary/")
    page.get_by_role("link", name="D001").click()
    expect(page.get_by_role("heading", name="Messages and calls in this entry")).to_be_visible()
    expect(page.get_by_text("If you go to the police I will kill you")).to_be_visible()
    expect(page.get_by_role("cell", name="E001, line 4", exact=True)).to_be_visible()
    assert_accessible(page, watch, "diary entry with its messages")


def test_without_script_the_progress_page_refreshes_itself(
    site: Site, browser: Browser, settings: Any
) -> None:
    settings.HARBOUR_IMPORT_CHECK_MB = 0
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    site.sign_in_quietly(page, "alice")
    job = upload_from_case_page(page, site, chat(days=2))
    expect(page.locator("#import-status")).to_have_text("Waiting for a worker")
    services.work_on(job.pk)
    expect(page.get_by_role("heading", name="Who is who")).to_be_visible()  # by refreshing
    context.close()
