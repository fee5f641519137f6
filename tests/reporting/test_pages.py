"""The dashboard, its exports, the quarterly return and the office's settings, as pages."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from openpyxl import load_workbook

from harbour.reporting.models import RecordedCrimes, ReportingSettings
from tests.conftest import page_of

pytestmark = pytest.mark.django_db
MAY = "period=2025-05&focus=all"


def test_a_commissioner_reads_the_dashboard_for_a_month(
    world: dict[str, Any], as_user: Callable[[str], HttpClient]
) -> None:
    body = page_of(as_user("cora").get(reverse("reporting:dashboard") + "?" + MAY), "Figures")
    assert "May 2025" in body
    assert "Referrals by source" in body
    assert 'role="img"' in body  # the charts
    assert "[c]" in body
    assert "about 7,301" in body  # the iceberg


def test_a_manager_reads_their_own_organisations_figures(
    world: dict[str, Any], as_user: Callable[[str], HttpClient]
) -> None:
    body = page_of(as_user("mia").get(reverse("reporting:dashboard") + "?" + MAY), "Figures")
    assert "Northshire Advocacy" in body
    assert "Southshire Support" not in body
    assert "Quarterly return" not in body


@pytest.mark.parametrize("person", ["alice", "pete", "priya", "tariq", "ada"])
def test_nobody_else_gets_the_dashboard(
    world: dict[str, Any], as_user: Callable[[str], HttpClient], person: str
) -> None:
    assert as_user(person).get(reverse("reporting:dashboard")).status_code == 404


def test_a_figure_exports_as_csv_with_hidden_cells_marked(
    world: dict[str, Any], as_user: Callable[[str], HttpClient]
) -> None:
    url = reverse("reporting:export", args=["sources", "csv"]) + "?" + MAY
    response = as_user("cora").get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="figures-sources-2025-05.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_label = {row[0]: row[1:] for row in rows if row}
    assert by_label[""] == ["Northshire Advocacy", "Southshire Support", "North", "South", "All"]
    assert by_label["Self-referral"] == ["6", "7", "6", "7", "13"]
    assert by_label["Professional"][0] == "[c]"


def test_every_figure_exports_as_one_workbook(
    world: dict[str, Any], as_user: Callable[[str], HttpClient]
) -> None:
    url = reverse("reporting:export", args=["all", "xlsx"]) + "?" + MAY
    response = as_user("cora").get(url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert "Referrals by source" in book.sheetnames
    sheet = book["Referrals by source"]
    values = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["Self-referral"][:5] == (6, 7, 6, 7, 13)


def test_the_dashboard_exports_as_pdf(
    world: dict[str, Any], as_user: Callable[[str], HttpClient]
) -> None:
    response = as_user("cora").get(reverse("reporting:pdf") + "?" + MAY)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_an_unknown_figure_or_format_is_404(
    world: dict[str, Any], as_user: Callable[[str], HttpClient]
) -> None:
    cora = as_user("cora")
    assert cora.get(reverse("reporting:export", args=["names", "csv"])).status_code == 404
    assert cora.get(reverse("reporting:export", args=["sources", "html"])).status_code == 404


def test_a_period_not_on_offer_falls_back_to_the_current_year(
    world: dict[str, Any], as_user: Callable[[str], HttpClient]
) -> None:
    body = page_of(
        as_user("cora").get(reverse("reporting:dashboard") + "?period=2025-05-13"), "Figures"
    )
    assert "April 20" in body


def test_the_office_chooses_the_quarterly_returns_columns_and_exports_it(
    world: dict[str, Any], as_user: Callable[[str], HttpClient]
) -> None:
    cora = as_user("cora")
    response = cora.post(reverse("reporting:return"), {"columns": ["sources.self", "cyber.yes"]})
    assert response.status_code == 302
    saved = ReportingSettings.objects.get(commissioner=world["office"])
    assert saved.return_columns == ["sources.self", "cyber.yes"]
    body = page_of(cora.get(reverse("reporting:return") + "?period=2025-Q2"), "Quarterly return")
    assert "April to June 2025" in body
    got = cora.get(reverse("reporting:return_export", args=["csv"]) + "?period=2025-Q2")
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows[1][1:] == ["Referrals by source: Self-referral", "With cyber elements: Yes"]
    assert rows[2][:2] == ["Northshire Advocacy", "14"]
    for fmt in ("xlsx", "pdf"):
        assert cora.get(reverse("reporting:return_export", args=[fmt])).status_code == 200


def test_a_manager_cannot_configure_the_return(
    world: dict[str, Any], as_user: Callable[[str], HttpClient]
) -> None:
    assert as_user("mia").get(reverse("reporting:return")).status_code == 404
    assert as_user("mia").get(reverse("reporting:settings")).status_code == 404


def test_the_office_enters_recorded_crimes_and_the_survey_rate(
    world: dict[str, Any], as_user: Callable[[str], HttpClient]
) -> None:
    cora = as_user("cora")
    north = world["north"]
    page_of(cora.get(reverse("reporting:settings")), "Populations, survey rate and recorded crimes")
    response = cora.post(
        reverse("reporting:settings"),
        {
            "form": "settings",
            "settings-survey_rate_percent": "3.1",
            "settings-survey_rate_source": "A survey",
            f"settings-population_{north.pk}": "100000",
        },
    )
    assert response.status_code == 302
    north.refresh_from_db()
    assert north.population_16_59 == 100000
    assert str(ReportingSettings.objects.get().survey_rate_percent) == "3.10"
    from django.utils import timezone

    month = timezone.localdate().replace(day=1)
    response = cora.post(
        reverse("reporting:settings"),
        {
            "form": "crimes",
            "crimes-area": str(north.pk),
            "crimes-month": f"{month:%Y-%m}",
            "crimes-stalking_crimes": "17",
        },
    )
    assert response.status_code == 302
    assert RecordedCrimes.objects.get(area=north, month=month).stalking_crimes == 17
