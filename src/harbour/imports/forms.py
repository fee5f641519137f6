from __future__ import annotations

from typing import Any

from django import forms

from harbour.core.forms import GovUKForm


class ImportForm(GovUKForm):
    file = forms.FileField(
        label="Export file",
        help_text=(
            "WhatsApp (.txt or .zip), SMS Backup & Restore (.xml), email (.mbox or .eml), Telegram "
            "(result.json) or Facebook and Instagram (message_1.json)."
        ),
    )


class ParticipantsForm(GovUKForm):
    suspect = forms.TypedChoiceField(
        label="Which of these is the suspect?", coerce=int, widget=forms.RadioSelect
    )
    client = forms.TypedChoiceField(
        label="Which of these is the client?",
        coerce=int,
        widget=forms.RadioSelect,
        help_text="Their messages are kept with the import, not added to the diary.",
    )

    def __init__(self, *args: Any, people: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (
                i,
                f"{p['label']} ({p['messages']} messages, {p['calls']} calls)"
                + (f", proposed: {p['why']}" if p.get("proposed") else ""),
            )
            for i, p in enumerate(people)
        ]
        self.fields["suspect"].choices = choices  # type: ignore[attr-defined]
        self.fields["client"].choices = [*choices, (-1, "Not in this file, or not sure")]  # type: ignore[attr-defined]
        for part in ("suspect", "client"):
            proposed = next((i for i, p in enumerate(people) if p.get("proposed") == part), None)
            if proposed is not None:
                self.fields[part].initial = proposed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("suspect") is not None and data.get("suspect") == data.get("client"):
            self.add_error("client", "The client and the suspect must be different people")
        return data


class FlagDecisionForm(GovUKForm):
    decision = forms.ChoiceField(choices=[("confirm", "Confirm"), ("dismiss", "Dismiss")])
