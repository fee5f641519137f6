from __future__ import annotations

from typing import Any

from django import forms

from harbour.alerts.kinds import AlertKind, Frequency
from harbour.alerts.models import AlertSettings
from harbour.core.forms import GovUKForm


class AlertSettingsForm(GovUKForm):
    email = forms.EmailField(
        label="Work email address for alerts (optional)",
        help_text="Alerts say only that something is waiting and how many, never who or where. "
        "Leave this empty to get no alerts.",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, settings: AlertSettings, kinds: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        self.current = settings
        self.fields["email"].initial = settings.email
        for kind in kinds:
            self.fields[kind] = forms.ChoiceField(
                label=AlertKind(kind).label,
                choices=Frequency.choices,
                widget=forms.RadioSelect,
                initial=settings.frequency(kind),
                required=False,  # a kind left out keeps its current choice
            )

    def choices(self) -> dict[str, str]:
        return {
            kind: self.cleaned_data.get(kind) or self.current.frequency(kind) for kind in self.kinds
        }
