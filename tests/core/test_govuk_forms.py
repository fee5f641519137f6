"""Every form speaks GOV.UK: dates in day, month and year boxes, and a missing answer says what to do
("Enter the case reference"), never Django's "This field is required." or a "---------" choice."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from django import forms

import harbour
from harbour.core.forms import (
    DJANGO_BLANK,
    DJANGO_REQUIRED,
    GovUKDateField,
    GovUKForm,
    GovUKFormMixin,
)

DJANGO_DEFAULTS = {DJANGO_REQUIRED, "Enter a valid date.", "Select a valid choice."}


class DateForm(GovUKForm):
    on = forms.DateField(label="Date of the incident")
    until = forms.DateField(label="Until", required=False)


def every_form_class() -> list[type[GovUKForm]]:
    found = []
    for module_info in pkgutil.walk_packages(harbour.__path__, "harbour."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            concrete = hasattr(cls, "base_fields") and issubclass(cls, GovUKFormMixin)
            if cls.__module__ == module.__name__ and concrete and not cls.__name__.startswith("_"):
                found.append(cls)
    return found


def built_empty(cls: type[Any]) -> Any:
    """The form bound to an empty POST, where it can be built without a case or a user."""
    try:
        return cls(data={})
    except (TypeError, ValueError):
        return None


#: Forms that need a case or a user are built by their pages, and their page tests post to them.
STANDALONE = [cls for cls in every_form_class() if built_empty(cls) is not None]


def test_dates_are_asked_as_day_month_and_year_boxes() -> None:
    page = str(DateForm())
    for part in ("day", "month", "year"):
        assert f'name="on_{part}"' in page
    assert 'type="date"' not in page
    assert 'role="group"' in page


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter date of the incident"),
        ("3", "", "2026", "Date of the incident must include a month"),
        ("", "", "2026", "Date of the incident must include a day and month"),
        ("31", "2", "2026", "Date of the incident must be a real date"),
        (
            "3",
            "11",
            "26",
            "Date of the incident must be a real date, with the year in four figures",
        ),
        (
            "x",
            "11",
            "2026",
            "Date of the incident must be a real date, with the year in four figures",
        ),
    ],
)
def test_a_wrong_date_is_named_in_gov_uk_words(
    day: str, month: str, year: str, message: str
) -> None:
    form = DateForm(data={"on_day": day, "on_month": month, "on_year": year})
    assert not form.is_valid()
    assert form.errors["on"] == [message]


def test_a_whole_date_is_read_day_first() -> None:
    form = DateForm(data={"on_day": "3", "on_month": "11", "on_year": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"on": dt.date(2026, 11, 3), "until": None}


def test_a_date_given_as_one_value_is_still_read_for_scripts() -> None:
    form = DateForm(data={"on": "2026-11-03"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == dt.date(2026, 11, 3)
    assert DateForm(data={"on": "03/11/2026"}).is_valid()


def test_a_bound_date_is_shown_back_as_typed() -> None:
    page = str(DateForm(data={"on_day": "31", "on_month": "2", "on_year": "2026"}))
    assert 'value="31"' in page and 'value="2"' in page and 'value="2026"' in page
    assert "govuk-input--error" in page


def test_the_forms_are_found() -> None:
    names = {cls.__name__ for cls in STANDALONE}
    assert {"SelfReferralForm", "MaracNewForm", "BreakGlassForm", "ReopenForm"} <= names
    assert len(STANDALONE) >= 20


@pytest.mark.django_db
@pytest.mark.parametrize("cls", STANDALONE, ids=lambda cls: cls.__qualname__)
def test_no_form_answers_an_empty_post_with_django_words(cls: type[Any]) -> None:
    form = built_empty(cls)
    form.is_valid()
    for name, errors in form.errors.items():
        for error in errors:
            assert error not in DJANGO_DEFAULTS, f"{cls.__name__}.{name}: {error}"
    for name in form.fields:
        field = form[name].field
        if isinstance(field, forms.DateField):
            assert isinstance(field, GovUKDateField), name
        if isinstance(field, forms.ModelChoiceField):
            assert field.empty_label != DJANGO_BLANK
        elif isinstance(field, forms.ChoiceField):
            assert all(label != DJANGO_BLANK for _value, label in field.choices), name


def test_times_are_a_24_hour_text_input_that_reads_the_ways_people_type_them():
    import datetime

    from django import forms as django_forms

    from harbour.core.forms import GovUKForm

    class When(GovUKForm):
        at = django_forms.TimeField(label="Time")

    html = str(When()["at"])
    assert 'type="text"' in html and 'type="time"' not in html
    assert "govuk-input--width-5" in html
    for typed in ("14:30", "14.30", "2:30pm", "2.30 PM", "2:30 pm"):
        form = When({"at": typed})
        assert form.is_valid(), typed
        assert form.cleaned_data["at"] == datetime.time(14, 30)
    assert When({"at": "2pm"}).is_valid()
    wrong = When({"at": "25:00"})
    assert not wrong.is_valid()
    assert wrong.errors["at"] == ["Enter a time on the 24-hour clock, like 14:30"]
    assert "Use the 24-hour clock" in str(When())
