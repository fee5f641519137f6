"""GOV.UK Frontend rendering for Django forms: one form system for the whole service.

Forms inherit ``GovUKForm`` (or ``GovUKModelForm``); each field renders through
``harbour/forms/field.html`` with the GOV.UK label, hint, error message and input classes, and
``{% include "harbour/forms/error_summary.html" %}`` gives the error summary pattern.
"""

from __future__ import annotations

from typing import Any

from django import forms
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


class GovUKFormMixin:
    """Adds GOV.UK classes to widgets and exposes ``kind`` on each field for the template.

    Error classes are added after validation (``full_clean``), never in ``__init__``: validating
    there would run before a subclass's ``__init__`` has finished setting up its fields (choices,
    querysets), and cache errors from a half-built form.
    """

    fields: dict[str, forms.Field]
    errors: Any

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

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            field = self.fields.get(name)
            if field is None:
                continue
            field.widget.harbour_kind = kind = widget_kind(field.widget)
            # Point the input at its hint and its error message (GOV.UK error message pattern).
            auto_id = self[name].auto_id  # type: ignore[index]
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


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        return self.cleaned_data if cleaned is None else cleaned
