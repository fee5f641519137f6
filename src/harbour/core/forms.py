"""GOV.UK Frontend rendering for Django forms: one form system for the whole service.

Forms inherit ``GovUKForm`` (or ``GovUKModelForm``); each field renders through
``harbour/forms/field.html`` with the GOV.UK label, hint, error message and input classes, and
``{% include "harbour/forms/error_summary.html" %}`` gives the error summary pattern.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, QueryDict

_WIDGET_KIND: dict[type, str] = {
    forms.Textarea: "textarea",
    forms.CheckboxSelectMultiple: "checkboxes",
    forms.RadioSelect: "radios",
    forms.Select: "select",
    forms.CheckboxInput: "checkbox",
    forms.PasswordInput: "input",
    forms.DateInput: "input",
    forms.FileInput: "file",
}

#: Django's own messages, which GOV.UK's pattern replaces ("Enter your first name", never
#: "This field is required.").
DJANGO_REQUIRED = forms.Field.default_error_messages["required"]
_CHOOSING_KINDS = {"radios", "checkboxes", "select", "checkbox", "file"}


def noun_of(field: forms.Field, name: str) -> str:
    """The thing a field asks for, in the middle of a sentence: "Due date" -> "due date"."""
    label = str(field.label or name.replace("_", " ")).strip().rstrip("?:").strip()
    label = label.removesuffix("(optional)").strip()
    if len(label) > 1 and not label[:2].isupper():
        label = label[0].lower() + label[1:]
    return label


def govuk_required_message(field: forms.Field, name: str, kind: str) -> str:
    verb = "Select" if kind in _CHOOSING_KINDS else "Enter"
    if kind == "file":
        verb = "Choose"
    return f"{verb} {noun_of(field, name)}"


class GovUKDateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes, in that order, whatever the browser's
    locale (a browser date picker shows month first in a US-locale browser)."""

    template_name = "harbour/forms/date_input.html"
    PARTS = ("day", "month", "year")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
            for part in self.PARTS
        }
        super().__init__(widgets, attrs)
        self.harbour_kind = "date"

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                parsed = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [parsed.day, parsed.month, parsed.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.value_omitted_from_data(data, files, name) and data.get(name):
            # One field holding the whole date (a script, or a form posted before this widget).
            return str(data.get(name))
        parts = [str(p or "").strip() for p in super().value_from_datadict(data, files, name)]
        return None if not any(parts) else parts

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return all(f"{name}_{part}" not in data for part in self.PARTS)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for sub, part in zip(context["widget"]["subwidgets"], self.PARTS, strict=True):
            sub["label"] = part.capitalize()
            sub["width"] = 4 if part == "year" else 2
        return context


class GovUKDateField(forms.DateField):
    """A date from the GOV.UK date input, with GOV.UK's messages for each way it can be wrong."""

    widget = GovUKDateInput

    def __init__(self, *, noun: str = "the date", **kwargs: Any) -> None:
        kwargs.pop("input_formats", None)
        super().__init__(**kwargs)
        self.noun = noun

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values or value == ["", "", ""]:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"):
                try:
                    return dt.datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007 (a date)
                except ValueError:
                    continue
            subject = self.noun[0].upper() + self.noun[1:]
            raise ValidationError(f"{subject} must be a real date", code="invalid")
        day, month, year = (str(p).strip() for p in value)
        missing = [
            part
            for part, text in zip(GovUKDateInput.PARTS, (day, month, year), strict=True)
            if not text
        ]
        subject = self.noun[0].upper() + self.noun[1:]
        if missing:
            raise ValidationError(
                f"{subject} must include a {' and '.join(missing)}", code="incomplete"
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(
                f"{subject} must be a real date, with the year in four figures", code="invalid"
            )
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{subject} must be a real date", code="invalid") from None


_WIDGET_KIND[GovUKDateInput] = "date"

DJANGO_BLANK = "---------"
BLANK_CHOICE = "Choose one"


def _replace_dashes(field: forms.Field) -> None:
    """Django's empty choice reads "---------"; a select says what to do instead."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_BLANK:
            field.empty_label = BLANK_CHOICE
        return
    if isinstance(field, forms.ChoiceField):
        choices = list(cast(Iterable[tuple[Any, Any]], field.choices))
        if any(value == "" and label == DJANGO_BLANK for value, label in choices):
            field.choices = [
                (value, BLANK_CHOICE if value == "" and label == DJANGO_BLANK else label)
                for value, label in choices
            ]


def as_govuk_date(field: forms.DateField, noun: str) -> GovUKDateField:
    """The same question asked with the GOV.UK date input."""
    replacement = GovUKDateField(
        noun=noun,
        required=field.required,
        label=field.label,
        help_text=field.help_text or "For example, 27 3 2025",
        initial=field.initial,
        disabled=field.disabled,
        validators=list(field.validators),
    )
    replacement.error_messages.update(
        {k: v for k, v in field.error_messages.items() if k == "required" and v != DJANGO_REQUIRED}
    )
    return replacement


def posted(request: HttpRequest) -> QueryDict | None:
    """The POST data on a POST (even an empty one), else None: a form binds exactly when posted.

    Falling back to None on an empty POST (every box unticked) would leave the form unbound: the page
    comes back with no error; tools/custom_check.py refuses it.
    """
    return request.POST if request.method == "POST" else None


def widget_kind(widget: forms.Widget) -> str:
    for cls in type(widget).__mro__:
        if cls in _WIDGET_KIND:
            return _WIDGET_KIND[cls]
    return "input"


class GovUKRenderer(TemplatesSetting):
    form_template_name = "harbour/forms/form.html"
    field_template_name = "harbour/forms/field.html"


_INPUT_CLASSES = {
    "input": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
}


#: Times people type: 14:30, 14.30, 2:30pm, 2.30 pm, 2pm. Shown and stored on the 24-hour clock.
TIME_INPUT_FORMATS = [
    "%H:%M",
    "%H.%M",
    "%I:%M%p",
    "%I:%M %p",
    "%I.%M%p",
    "%I.%M %p",
    "%I%p",
    "%I %p",
]
TIME_HINT = "Use the 24-hour clock, for example 14:30."


def as_govuk_time(field: forms.TimeField) -> forms.TimeField:
    """A time as a short text input on the 24-hour clock, not the browser's time picker (which
    shows 12-hour AM/PM in a US-locale browser)."""
    field.input_formats = TIME_INPUT_FORMATS
    field.widget = forms.TimeInput(
        format="%H:%M",
        attrs={
            "class": "govuk-input govuk-input--width-5",
            "inputmode": "text",
            "spellcheck": "false",
        },
    )
    if not field.help_text:
        field.help_text = TIME_HINT
    elif "24-hour" not in str(field.help_text):
        field.help_text = f"{field.help_text} {TIME_HINT}"
    if field.error_messages.get("invalid") == forms.TimeField.default_error_messages["invalid"]:
        field.error_messages["invalid"] = "Enter a time on the 24-hour clock, like 14:30"
    return field


class GovUKFormMixin:
    """Adds GOV.UK classes to widgets and exposes ``kind`` on each field for the template.

    Error classes are added after validation (``full_clean``), never in ``__init__``: validating
    there would run before a subclass's ``__init__`` has finished setting up its fields (choices,
    querysets), and cache errors from a half-built form.
    """

    fields: dict[str, forms.Field]
    errors: Any
    #: How a field's missing answer is put, where the label cannot say it ("Select who you are to
    #: them"); other fields get "Enter ..." or "Select ..." from their label.
    required_messages: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            kind = widget_kind(field.widget)
            classes = _INPUT_CLASSES.get(kind)
            if classes:
                existing = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"{classes} {existing}".strip()
            field.widget.harbour_kind = kind

    def _govuk_prepare(self, name: str) -> None:
        """Last-moment GOV.UK conventions, after every subclass has finished building its fields:
        dates use the GOV.UK date input, times a 24-hour text input, and a missing answer says
        what to do."""
        field = self.fields.get(name)
        if field is None or getattr(field, "_govuk_ready", False):
            return
        if isinstance(field, forms.DateField) and not isinstance(field, GovUKDateField):
            field = self.fields[name] = as_govuk_date(field, noun_of(field, name))
        if isinstance(field, forms.TimeField):
            field = self.fields[name] = as_govuk_time(field)
        kind = getattr(field.widget, "harbour_kind", None) or widget_kind(field.widget)
        field.widget.harbour_kind = kind
        if field.error_messages.get("required") == DJANGO_REQUIRED:
            message = self.required_messages.get(name) or govuk_required_message(field, name, kind)
            field.error_messages["required"] = message
        _replace_dashes(field)
        field._govuk_ready = True  # type: ignore[attr-defined]

    def __getitem__(self, name: str) -> forms.BoundField:
        self._govuk_prepare(name)
        return super().__getitem__(name)  # type: ignore[misc,no-any-return]

    def full_clean(self) -> None:
        for name in list(self.fields):
            self._govuk_prepare(name)
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            field = self.fields.get(name)
            if field is None:
                continue
            field.widget.harbour_kind = kind = widget_kind(field.widget)
            # Point the input at its hint and its error message (GOV.UK error message pattern).
            auto_id = self[name].auto_id
            if kind == "date":
                field.widget.attrs["error"] = True
                continue
            if auto_id and kind not in ("radios", "checkboxes"):
                described = [f"{auto_id}_helptext"] if field.help_text else []
                field.widget.attrs["aria-describedby"] = " ".join([*described, f"{auto_id}-error"])
            classes = _INPUT_CLASSES.get(kind)
            if classes is None:
                continue
            existing = field.widget.attrs.get("class", "").split()
            wanted = [classes, f"{classes}--error"]
            field.widget.attrs["class"] = " ".join(dict.fromkeys([*wanted, *existing]))


class GovUKForm(GovUKFormMixin, forms.Form):
    def clean(self) -> dict[str, Any]:
        # Django returns cleaned_data; the stubs allow None, which every override would re-check.
        cleaned = super().clean()
        return self.cleaned_data if cleaned is None else cleaned


class GovUKModelForm(GovUKFormMixin, forms.ModelForm[Any]):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        return self.cleaned_data if cleaned is None else cleaned
