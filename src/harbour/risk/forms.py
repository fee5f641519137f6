"""The assessment form is generated from the instrument's own questions."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from harbour.cases.models import RiskLevel
from harbour.core.forms import GovUKForm
from harbour.core.versioning import VersionedForm
from harbour.risk.instrument import Instrument, OverrideError, apply_override, score
from harbour.risk.models import InstrumentVersion, MaracReferral

_YES_NO_LABELS = {"yes": "Yes", "no": "No", "unknown": "Not known"}


def _radios(field: forms.ChoiceField) -> forms.ChoiceField:
    field.widget = forms.RadioSelect()
    field.choices = field.choices  # the setter copies the choices onto the new widget
    field.widget.harbour_kind = "radios"
    return field


class AssessmentForm(GovUKForm):
    """One field per question (``q_<id>``), then the override, its reason and a review date."""

    def __init__(self, *args: Any, instrument_version: InstrumentVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument: Instrument = instrument_version.instrument
        self.sections: list[tuple[str, list[str]]] = []
        for q in self.instrument.questions:
            name = f"q_{q.id}"
            field: forms.Field
            if q.type in ("yes_no", "yes_no_unknown"):
                field = _radios(
                    forms.ChoiceField(
                        choices=[(v, _YES_NO_LABELS[v]) for v in q.allowed_values],
                        required=q.required,
                    )
                )
            elif q.type == "choice":
                field = _radios(
                    forms.ChoiceField(
                        choices=[(c.value, c.label) for c in q.choices], required=q.required
                    )
                )
            elif q.type == "number":
                field = forms.FloatField(required=q.required)
                field.widget.attrs["class"] = "govuk-input govuk-input--width-5"
                field.widget.harbour_kind = "input"
            else:
                field = forms.CharField(
                    required=q.required, widget=forms.Textarea(attrs={"rows": 3})
                )
                field.widget.attrs["class"] = "govuk-textarea"
                field.widget.harbour_kind = "textarea"
            field.label = q.text
            field.help_text = q.help or ""
            self.fields[name] = field
            heading = q.section or ""
            if not self.sections or self.sections[-1][0] != heading:
                self.sections.append((heading, []))
            self.sections[-1][1].append(name)
        bands = [("", "No override: use the computed level")] + [
            (b.id, b.label) for b in self.instrument.bands
        ]
        self.fields["override_band"] = forms.ChoiceField(
            choices=bands,
            required=False,
            label="Professional judgement: raise the level to",
            help_text="Judgement can raise the level, never lower it.",
        )
        self.fields["override_band"].widget.attrs["class"] = "govuk-select"
        self.fields["override_band"].widget.harbour_kind = "select"
        self.fields["override_reason"] = forms.CharField(
            required=False,
            label="Reason for raising the level",
            widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
        )
        self.fields["override_reason"].widget.harbour_kind = "textarea"
        self.fields["review_on"] = forms.DateField(
            required=False,
            label="Review by",
        )

    def question_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(heading, [self[name] for name in names]) for heading, names in self.sections]

    def extra_fields(self) -> list[forms.BoundField]:
        return [self["override_band"], self["override_reason"], self["review_on"]]

    def answers(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for q in self.instrument.questions:
            value: Any = self.cleaned_data.get(f"q_{q.id}")
            if value is None or value == "":
                continue
            if q.type == "number" and float(value).is_integer():
                value = int(value)
            result[q.id] = value
        return result

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        override = data.get("override_band")
        if override and not self.errors:
            computed = score(self.instrument, self.answers()).computed_band
            try:
                apply_override(self.instrument, computed, override, data.get("override_reason"))
            except OverrideError as exc:
                message = str(exc)
                field = "override_reason" if "reason is required" in message else "override_band"
                self.add_error(field, message[0].upper() + message[1:])
        return data


class MaracNewForm(GovUKForm):
    referred_on = forms.DateField(
        label="Date referred",
    )
    reason = forms.CharField(
        label="Why the case is being referred", widget=forms.Textarea(attrs={"rows": 4})
    )


class MaracForm(VersionedForm):
    class Meta:
        model = MaracReferral
        fields = ["status", "meeting_on", "actions_agreed"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actions_agreed"].widget.attrs["rows"] = 4


class LevelDecisionForm(GovUKForm):
    """A deliberate change of the level in force: the only way it goes down."""

    required_messages: ClassVar[dict[str, str]] = {
        "level": "Select the level that should be in force",
        "reason": "Enter why the level in force is changing",
    }

    level = forms.TypedChoiceField(
        label="What level should be in force?",
        coerce=int,
        choices=[(level.value, level.label) for level in RiskLevel if level.value],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Why?",
        help_text="Say what has changed: this is kept in the risk history for anyone reviewing the "
        "case. Lowering the level needs the reason most of all.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
