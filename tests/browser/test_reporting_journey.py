"""A commissioner's office reads its figures and exports them, in Chromium against a live server:
the dashboard from the navigation, a month and a provider chosen, a figure downloaded as CSV, the
whole page as PDF, and the quarterly return's columns chosen and the return downloaded as XLSX.
Every page passes the same axe-core rules as the accessibility sweep."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path
from typing import Any

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page as BrowserPage
from playwright.sync_api import expect

from harbour.reporting.models import CommissionedOrganisation, ReportingArea, ReportingSettings
from harbour.reporting.periods import Period
from tests.browser.conftest import Watch
from tests.browser.pages import Site
from tests.browser.test_manager_journeys import as_person
from tests.browser.test_referral_journeys import assert_accessible
from tests.reporting.conftest import referral


def _fund(orgs: dict[str, Any]) -> None:
    office = orgs["commissioner"]
    for key in ("provider_a", "provider_b", "police"):
        CommissionedOrganisation.objects.create(commissioner=office, organisation=orgs[key])
    area = ReportingArea.objects.create(
        commissioner=office, name="North", force=orgs["police"], population_16_59=280_800
    )
    area.providers.add(orgs["provider_a"])
    now = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(minutes=5)
    for _ in range(12):
        referral(orgs["provider_a"], "self", now)
    for _ in range(9):
        referral(orgs["provider_a"], "police", now, referring_organisation=orgs["police"])
    for _ in range(2):
        referral(orgs["provider_b"], "professional", now)


def test_a_commissioner_reads_the_figures_and_exports_them(
    site: Site, page: BrowserPage, watch: Watch, tmp_path: Path
) -> None:
    orgs = site.world.orgs
    _fund(orgs)
    as_person(page, site, "cora")
    page.goto(f"{site.url}/home/")
    page.get_by_role("link", name="Figures").click()
    expect(page.get_by_role("heading", name="Figures", exact=True)).to_be_visible()
    assert_accessible(page)

    today = timezone.localdate()
    month = Period.month(today.year, today.month)
    page.get_by_label("Period").select_option(month.slug)
    page.get_by_label("Provider or area").select_option(label="Northshire Advocacy")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("heading", name=f"Northshire Advocacy: {month.label}")).to_be_visible()
    assert_accessible(page)
    table = page.get_by_role("table", name="Referrals by source")
    expect(table.get_by_role("row", name="Self-referral 12")).to_be_visible()
    expect(page.get_by_role("img", name="Referrals by source")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV file of referrals by source").click()
    download = download_info.value
    assert download.suggested_filename == f"figures-sources-{month.slug}.csv"
    saved = tmp_path / "sources.csv"
    download.save_as(saved)
    rows = {r[0]: r[1:] for r in csv.reader(io.StringIO(saved.read_text("utf-8-sig"))) if r}
    assert rows["Self-referral"] == ["12"]
    assert rows["Police"] == ["9"]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF of this page").click()
    assert download_info.value.suggested_filename == f"figures-{month.slug}.pdf"

    page.get_by_role("link", name="Quarterly return").click()
    assert_accessible(page)
    page.get_by_label("Referrals by source: Police").check()
    page.get_by_role("button", name="Save columns").click()
    expect(page.get_by_role("heading", name="Quarterly return")).to_be_visible()
    assert_accessible(page)
    chosen = ReportingSettings.objects.get(commissioner=orgs["commissioner"]).return_columns
    assert "sources.police" in chosen

    quarter = Period.quarter_of(today)
    page.get_by_label("Quarter").select_option(quarter.slug)
    page.get_by_role("button", name="Show quarter").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX").click()
    saved = tmp_path / "return.xlsx"
    download_info.value.save_as(saved)
    sheet = load_workbook(saved).active
    assert sheet is not None
    header = [c.value for c in sheet[2]]
    assert "Referrals by source: Police" in header
    north = next(
        row for row in sheet.iter_rows(values_only=True) if row[0] == "Northshire Advocacy"
    )
    assert north[header.index("Referrals by source: Police")] == 9
