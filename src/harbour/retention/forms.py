from __future__ import annotations

from typing import Any

from django import forms

from harbour.core.forms import GovUKFormMixin
from harbour.retention.models import Erasure


class ErasureForm(GovUKFormMixin, forms.Form):
    ground = forms.ChoiceField(
        label="Why may this case be erased?",
        choices=[(g.value, g.label) for g in Erasure.Ground if g != Erasure.Ground.RETENTION],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the case may be erased"},
    )
    reference = forms.CharField(
        label="Type the case reference to confirm",
        help_text="Erasure cannot be undone (except by restoring a backup).",
        error_messages={"required": "Type the case reference to confirm"},
    )

    def __init__(self, *args: Any, expected_reference: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected_reference = expected_reference

    def clean_reference(self) -> str:
        value = str(self.cleaned_data["reference"]).strip().upper()
        if value != self.expected_reference:
            raise forms.ValidationError("The reference you typed is not this case's")
        return value
