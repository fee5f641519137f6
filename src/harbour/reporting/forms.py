"""Forms of the commissioner's office: its settings, recorded crimes, the return's columns."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms

from harbour.core.forms import GovUKFormMixin
from harbour.reporting.models import ReportingArea
from harbour.reporting.periods import MONTHS, add_months


class SettingsForm(GovUKFormMixin, forms.Form):
    survey_rate_percent = forms.DecimalField(
        label="Share of people aged 16 to 59 stalked in a year (per cent)",
        help_text="From the survey the office relies on, e.g. 2.6 for 2.6%.",
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        decimal_places=2,
    )
    survey_rate_source = forms.CharField(
        label="Where the rate comes from", max_length=200, required=False
    )

    def __init__(self, *args: Any, areas: list[ReportingArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = areas
        for area in areas:
            self.fields[f"population_{area.pk}"] = forms.IntegerField(
                label=f"People aged 16 to 59 in {area.name}",
                min_value=0,
                required=False,
                initial=area.population_16_59,
            )


def month_choices(today: datetime.date, count: int = 24) -> list[tuple[str, str]]:
    first = today.replace(day=1)
    months = [add_months(first, -i) for i in range(count)]
    return [(f"{m:%Y-%m}", f"{MONTHS[m.month - 1]} {m.year}") for m in months]


class RecordedCrimesForm(GovUKFormMixin, forms.Form):
    area = forms.ChoiceField(label="Area")
    month = forms.ChoiceField(label="Month")
    stalking_crimes = forms.IntegerField(
        label="Stalking crimes the force recorded", min_value=0, max_value=1_000_000
    )

    def __init__(
        self, *args: Any, areas: list[ReportingArea], today: datetime.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(str(a.pk), a.name) for a in areas]  # type: ignore[attr-defined]
        self.fields["month"].choices = month_choices(today)  # type: ignore[attr-defined]

    def month_date(self) -> datetime.date:
        year, month = self.cleaned_data["month"].split("-")
        return datetime.date(int(year), int(month), 1)


class ReturnColumnsForm(GovUKFormMixin, forms.Form):
    columns = forms.MultipleChoiceField(
        label="Columns of the quarterly return",
        widget=forms.CheckboxSelectMultiple,
        help_text="The return has one row per provider and area, and these columns.",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["columns"].choices = choices  # type: ignore[attr-defined]
