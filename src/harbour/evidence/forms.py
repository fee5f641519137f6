"""Forms for the diary, evidence files, consent and bundles (GOV.UK Frontend markup)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from harbour.accounts.models import Organisation
from harbour.cases.forms import DATE
from harbour.cases.models import Suspect
from harbour.core.forms import GovUKForm
from harbour.evidence import services
from harbour.evidence.models import (
    BEHAVIOUR_CHOICES,
    EFFECT_CHOICES,
    EvidenceItem,
    Incident,
    IncidentVersion,
    PoliceSharingConsent,
)
from harbour.evidence.pattern import BEHAVIOUR_LABELS, Behaviour

TIME = forms.TimeInput(format="%H:%M")  # made a 24-hour text input by GovUKFormMixin


def _aware(day: datetime.date, at: datetime.time | None) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at or datetime.time(12, 0)))


class SuspectChoice(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class IncidentForm(GovUKForm):
    """Everything a diary entry says. ``logged_at`` is not here: Harbour sets it."""

    required_messages = {
        "precision": "Select how exact the time is",
        "behaviours": "Select what the suspect did",
        "what_happened": "Enter what happened",
        "reporter": "Select who is telling us",
        "count": "Enter how many times it happened",
        "on": "Enter the date it happened",
    }

    precision = forms.ChoiceField(
        label="How exact is the time?",
        choices=IncidentVersion.Precision.choices,
        widget=forms.RadioSelect,
        initial=IncidentVersion.Precision.EXACT,
    )
    on = forms.DateField(label="Date it happened (or began)", widget=DATE)
    at = forms.TimeField(
        label="Time", widget=TIME, required=False, help_text="Leave blank if not known."
    )
    until_on = forms.DateField(
        label="Until (date)", widget=DATE, required=False, help_text="Only for a period."
    )
    until_at = forms.TimeField(label="Until (time)", widget=TIME, required=False)
    count = forms.IntegerField(
        label="How many times",
        min_value=1,
        max_value=10_000,
        initial=1,
        help_text="For example 17 for 17 calls in one evening.",
    )
    behaviours = forms.MultipleChoiceField(
        label="What did the suspect do?",
        choices=BEHAVIOUR_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    suspect = SuspectChoice(
        queryset=services.choices_of(Suspect), required=False, label="Who did it"
    )
    location = forms.CharField(label="Where", required=False)
    what_happened = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 5}))
    witnesses = forms.CharField(label="Who saw it", required=False)
    effects = forms.MultipleChoiceField(
        label="Effect on the client",
        choices=EFFECT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    effect_notes = forms.CharField(
        label="How it made the client feel",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    breach = forms.BooleanField(label="It breached an order or bail conditions", required=False)
    reported_to_police = forms.BooleanField(label="It was reported to police", required=False)
    police_reference = forms.CharField(label="Police reference", required=False, max_length=60)
    reporter = forms.ChoiceField(
        label="Who is telling us",
        choices=IncidentVersion.Reporter.choices,
        widget=forms.RadioSelect,
        initial=IncidentVersion.Reporter.CLIENT,
    )

    def __init__(self, *args: Any, suspects: list[Suspect], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["suspect"]
        assert isinstance(field, SuspectChoice)
        field.queryset = services.choices_of(Suspect, suspects)
        field.empty_label = "Not known or not recorded"
        if not self.is_bound and "on" not in self.initial:
            now = timezone.localtime()
            self.fields["on"].initial = now.date()
            self.fields["at"].initial = now.strftime("%H:%M")
        for name in ("on", "until_on"):
            self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-10"
        self.fields["count"].widget.attrs["class"] = "govuk-input govuk-input--width-4"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("precision") == IncidentVersion.Precision.RANGE and not (
            data.get("until_on") or data.get("until_at")
        ):
            self.add_error("until_at", "Enter when the period ended")
        if data.get("reported_to_police") is False and data.get("police_reference"):
            self.add_error("reported_to_police", "Tick this if there is a police reference")
        return data

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        start = _aware(d["on"], d.get("at"))
        until = None
        precision = d["precision"]
        if precision == IncidentVersion.Precision.RANGE:
            until = _aware(d.get("until_on") or d["on"], d.get("until_at"))
        elif precision == IncidentVersion.Precision.EXACT and d.get("at") is None:
            precision = IncidentVersion.Precision.APPROXIMATE  # a day without a time is not exact
        return {
            "precision": precision,
            "time_known": d.get("at") is not None,
            "occurred_at": start,
            "occurred_until": until,
            "count": d["count"],
            "reporter": d["reporter"],
            "behaviours": list(d["behaviours"]),
            "suspect": d.get("suspect"),
            "location": d.get("location", ""),
            "what_happened": d["what_happened"],
            "witnesses": d.get("witnesses", ""),
            "effects": list(d.get("effects") or []),
            "effect_notes": d.get("effect_notes", ""),
            "breach": bool(d.get("breach")),
            "reported_to_police": bool(d.get("reported_to_police")),
            "police_reference": d.get("police_reference", ""),
        }

    @staticmethod
    def initial_from(version: IncidentVersion) -> dict[str, Any]:
        start = timezone.localtime(version.occurred_at)
        until = timezone.localtime(version.occurred_until) if version.occurred_until else None
        return {
            "precision": version.precision,
            "on": start.date(),
            "at": start.strftime("%H:%M") if version.time_known else None,
            "until_on": until.date() if until else None,
            "until_at": until.strftime("%H:%M") if until else None,
            "count": version.count,
            "reporter": version.reporter,
            "behaviours": version.behaviours,
            "suspect": version.suspect_id,
            "location": version.location,
            "what_happened": version.what_happened,
            "witnesses": version.witnesses,
            "effects": version.effects,
            "effect_notes": version.effect_notes,
            "breach": version.breach,
            "reported_to_police": version.reported_to_police,
            "police_reference": version.police_reference,
        }


class CorrectionForm(IncidentForm):
    required_messages = {
        **IncidentForm.required_messages,
        "correction_reason": "Enter why this is being corrected",
    }

    based_on = forms.IntegerField(widget=forms.HiddenInput)
    correction_reason = forms.CharField(
        label="Why is this being corrected?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The earlier version stays in the diary; this reason is shown beside the change.",
    )


class QuickIncidentForm(GovUKForm):
    """Many small acts in one entry: "17 calls on 3 March between 21:00 and 23:00"."""

    required_messages = {
        "behaviour": "Select what happened",
        "count": "Enter how many times it happened",
        "on": "Enter the date it happened",
    }

    behaviour = forms.ChoiceField(label="What", choices=BEHAVIOUR_CHOICES, widget=forms.RadioSelect)
    count = forms.IntegerField(label="How many", min_value=1, max_value=10_000, initial=1)
    on = forms.DateField(label="Date", widget=DATE)
    start = forms.TimeField(label="From", widget=TIME, required=False)
    end = forms.TimeField(label="To", widget=TIME, required=False)
    suspect = SuspectChoice(queryset=services.choices_of(Suspect), required=False, label="Who")
    note = forms.CharField(
        label="Details", required=False, help_text="For example: withheld number, no message left."
    )

    def __init__(self, *args: Any, suspects: list[Suspect], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["suspect"]
        assert isinstance(field, SuspectChoice)
        field.queryset = services.choices_of(Suspect, suspects)
        field.empty_label = "Not known or not recorded"
        if suspects:
            self.fields["suspect"].initial = suspects[0].pk
        self.fields["on"].initial = timezone.localdate()
        self.fields["on"].widget.attrs["class"] = "govuk-input govuk-input--width-10"
        self.fields["count"].widget.attrs["class"] = "govuk-input govuk-input--width-4"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end time must be after the start time")
        return data

    def to_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        start, end = d.get("start"), d.get("end")
        label = BEHAVIOUR_LABELS[Behaviour(d["behaviour"])]
        what = f"{d['count']} x {label.lower()}" + (f": {d['note']}" if d.get("note") else "")
        if start and end:
            precision = IncidentVersion.Precision.RANGE
        elif start:
            precision = IncidentVersion.Precision.EXACT
        else:
            precision = IncidentVersion.Precision.APPROXIMATE
        return {
            "precision": precision,
            "occurred_at": _aware(d["on"], start),
            "occurred_until": _aware(d["on"], end) if start and end else None,
            "time_known": start is not None,
            "count": d["count"],
            "reporter": IncidentVersion.Reporter.CLIENT,
            "behaviours": [d["behaviour"]],
            "suspect": d.get("suspect"),
            "what_happened": what,
        }


class UploadForm(GovUKForm):
    required_messages = {
        "kind": "Select what the file is",
        "file": "Choose the file to upload",
    }

    file = forms.FileField(
        label="File", help_text="Photos, screenshots, audio, video, documents or exports."
    )
    kind = forms.ChoiceField(
        label="What is it?", choices=EvidenceItem.Kind.choices, widget=forms.RadioSelect
    )
    incident = forms.ModelChoiceField(
        queryset=services.choices_of(Incident), required=False, label="Diary entry it belongs to"
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where it came from and what it shows.",
    )

    def __init__(self, *args: Any, incidents: list[Incident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["incident"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services.choices_of(Incident, incidents)
        field.label_from_instance = lambda obj: obj.ref  # type: ignore[method-assign]
        field.empty_label = "None (evidence for the case as a whole)"


class ConsentForm(GovUKForm):
    required_messages = {
        "state": "Select what the client decided about sharing evidence with police",
        "how": "Select how they told you",
        "decided_on": "Enter the date they decided",
    }

    state = forms.ChoiceField(
        label="What did the client decide about sharing evidence with police?",
        choices=PoliceSharingConsent.State.choices,
        widget=forms.RadioSelect,
    )
    how = forms.ChoiceField(
        label="How did they tell you?",
        choices=PoliceSharingConsent.How.choices,
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label="When", widget=DATE)
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, what they agreed may be shared.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
        self.fields["decided_on"].widget.attrs["class"] = "govuk-input govuk-input--width-10"

    def clean_decided_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["decided_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future")
        return value


class ShareForm(GovUKForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Police force", empty_label=None
    )

    def __init__(self, *args: Any, forces: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = forces


class VerifyForm(GovUKForm):
    bundle = forms.FileField(label="Bundle ZIP file", help_text="The .zip file Harbour produced.")
