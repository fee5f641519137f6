from __future__ import annotations

from django import forms

from harbour.core.forms import GovUKForm
from harbour.coverage.rules import BadPrefix, parse_prefix


class RuleForm(GovUKForm):
    required_messages = {"postcodes": "Enter a postcode area, district, sector or full postcode"}

    postcodes = forms.CharField(
        max_length=10,
        label="Postcode area, district, sector or full postcode",
        help_text="For example DE (area), DE73 (district), DE73 5 (sector) or DE73 5AB. "
        "The longest matching rule wins.",
    )
    note = forms.CharField(
        required=False, max_length=120, label="Note (optional)", help_text="For example, Chellaston"
    )

    def clean_postcodes(self) -> str:
        try:
            prefix, _level = parse_prefix(self.cleaned_data["postcodes"])
        except BadPrefix as exc:
            raise forms.ValidationError(str(exc)) from exc
        return prefix


class PanelNameForm(GovUKForm):
    panel_name = forms.CharField(
        required=False,
        max_length=120,
        label="What does your area call its multi-agency stalking panel or clinic?",
        help_text="As it should read in a sentence, for example: the Kent stalking clinic. Leave "
        "blank for the usual name. Stalking that is domestic abuse goes to MARAC instead.",
    )


class RemoveRuleForm(GovUKForm):
    postcodes = forms.CharField(max_length=10)
