"""No commissioner page or export holds anything that identifies a person in the demo data.

The demo is loaded in full (its rich cases, the year of referrals behind the dashboard), every
identifying value of every client and referral is read back through the models (names, phones,
emails, full postcodes and their sectors, dates of birth in the forms pages use, case references,
crime references), and every page and export a commissioner's office can reach, for every period
and focus it offers, is searched for each of them: HTML, CSV, XLSX (every cell) and the PDFs' text.
"""

from __future__ import annotations

import io
import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from harbour.accounts.models import Organisation, User
from harbour.cases.models import Case, Client
from harbour.referrals.models import Referral
from harbour.reporting.figures import ALL_SPECS
from harbour.reporting.models import CommissionedOrganisation
from harbour.reporting.periods import MONTHS, Period
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "src/harbour/reporting/templates/reporting"


def identifying_values() -> set[str]:
    values: set[str] = set()
    people = list(Client.objects.system("test: identifying values")) + list(
        Referral.objects.system("test: identifying values")
    )
    for person in people:
        for text in (person.given_name, person.family_name, person.phone, person.email):
            if text and len(text) > 2:
                values.add(text)
        if person.postcode:
            values.add(person.postcode)
            values.add(person.postcode[:-2].strip())  # the sector: beyond the district
        born = person.date_of_birth
        if born:
            values.update({born.isoformat(), born.strftime("%d/%m/%Y"), f"{born:%-d %B %Y}"})
    for referral in Referral.objects.system("test: identifying values"):
        if referral.crime_reference:
            values.add(referral.crime_reference)
    values.update(Case.objects.system("test: references").values_list("reference", flat=True))
    # A surname that is also the name of a place or service the page names (e.g. "Kent") says
    # nothing about anyone there.
    public = " ".join(f"{o.name} {o.short_name} {o.area_name}" for o in Organisation.objects.all())
    public += " ".join(label for spec in ALL_SPECS for _k, label in spec.categories)
    public += " ".join(MONTHS)
    # The words of the pages themselves (a given name such as "Grace" or "May" may be one).
    for template in TEMPLATES.glob("*.html"):
        public += " " + re.sub(r"{[%{#].*?[%}#]}|<[^>]+>", " ", template.read_text())
    return {v for v in values if not re.search(rf"\b{re.escape(v)}\b", public)}


def pdf_text(data: bytes) -> str:
    found = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return found.stdout.decode()


def xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data))
    return "\n".join(
        " ".join("" if v is None else str(v) for v in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def test_no_commissioner_page_or_export_contains_an_identifying_datum() -> None:
    call_command("demo", stdout=StringIO())
    values = identifying_values()
    assert len(values) > 500  # the demo's people really were read
    today = timezone.localdate()
    this_year = Period.financial_year_of(today)
    periods = [this_year, Period.month(today.year, today.month)]
    texts: dict[str, str] = {}
    for username in ("kent-pcc", "derbys-pcc"):
        client = signed_in_client(User.objects.get(username=username))
        office = User.objects.get(username=username).organisation
        funded = CommissionedOrganisation.objects.filter(commissioner=office)
        focuses = ["all"] + [
            f"org-{pk}"
            for pk in funded.filter(organisation__kind="provider").values_list(
                "organisation_id", flat=True
            )
        ]
        for period in periods:
            for focus in focuses:
                query = f"?period={period.slug}&focus={focus}"
                texts[f"{username} dashboard {query}"] = client.get(
                    reverse("reporting:dashboard") + query
                ).content.decode()
            query = f"?period={period.slug}"
            texts[f"{username} csv {query}"] = client.get(
                reverse("reporting:export", args=["all", "csv"]) + query
            ).content.decode("utf-8-sig")
            texts[f"{username} xlsx {query}"] = xlsx_text(
                client.get(reverse("reporting:export", args=["all", "xlsx"]) + query).content
            )
        texts[f"{username} pdf"] = pdf_text(client.get(reverse("reporting:pdf")).content)
        texts[f"{username} return"] = client.get(reverse("reporting:return")).content.decode()
        for fmt in ("csv", "xlsx", "pdf"):
            data = client.get(reverse("reporting:return_export", args=[fmt])).content
            texts[f"{username} return {fmt}"] = (
                data.decode("utf-8-sig")
                if fmt == "csv"
                else xlsx_text(data)
                if fmt == "xlsx"
                else pdf_text(data)
            )
        texts[f"{username} settings"] = client.get(reverse("reporting:settings")).content.decode()
    assert "Referrals by source" in texts["kent-pcc pdf"]
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)) + r")\b"
    )
    leaks = {
        where: sorted(set(pattern.findall(text)))[:5]
        for where, text in texts.items()
        if pattern.search(text)
    }
    assert leaks == {}
