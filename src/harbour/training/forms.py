"""Forms for training: the public request, the attendee's feedback, and the trainer's pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.core.forms import GovUKForm
from harbour.referrals.forms import is_possible_phone
from harbour.training.models import (
    CONFIDENCE_AREAS,
    Confidence,
    PartnerOrganisation,
    Place,
    Sector,
    TrainingSession,
)


def _radios(choices: Any, label: str, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, label=label, **kwargs)


class ProviderChoice(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.area_name})" if obj.area_name else obj.name


class TrainingRequestForm(GovUKForm):
    """The public page: an organisation asks for awareness training."""

    provider = ProviderChoice(
        queryset=Organisation.objects.none(),
        label="Which service would you like training from?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the service you would like training from"},
    )
    organisation_name = forms.CharField(
        max_length=200,
        label="Your organisation or business",
        error_messages={"required": "Enter the name of your organisation or business"},
    )
    sector = _radios(
        Sector.choices,
        "What kind of work does your organisation do?",
        error_messages={"required": "Select what kind of work your organisation does"},
    )
    people = forms.IntegerField(
        min_value=1,
        max_value=500,
        label="How many people would like the training?",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter how many people would like the training",
            "invalid": "Enter the number of people as a number, like 12",
            "min_value": "Enter at least 1 person",
            "max_value": "For more than 500 people, tell us in the last box and enter 500",
        },
    )
    preferred_dates = forms.CharField(
        max_length=1000,
        required=False,
        label="When would suit you? (optional)",
        help_text="For example: weekday mornings in March, or any Monday.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    place = _radios(
        Place.choices,
        "Where would you like the training?",
        error_messages={"required": "Select where you would like the training"},
    )
    location = forms.CharField(
        max_length=500,
        required=False,
        label="Town or address (optional)",
        help_text="Where the training would take place, if not online.",
    )
    contact_name = forms.CharField(
        max_length=150,
        label="Your name",
        error_messages={"required": "Enter your name"},
    )
    contact_email = forms.EmailField(max_length=254, required=False, label="Your email address")
    contact_phone = forms.CharField(max_length=40, required=False, label="Your phone number")
    anything_else = forms.CharField(
        max_length=2000,
        required=False,
        label="Anything else we should know? (optional)",
        help_text="Do not tell us about anyone who is being stalked here: use a referral form.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, providers: models.QuerySet[Organisation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = providers

    def clean_contact_phone(self) -> str:
        raw = str(self.cleaned_data.get("contact_phone", "")).strip()
        if raw and not is_possible_phone(raw):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001")
        return raw

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        invalid = "contact_phone" in self.errors or "contact_email" in self.errors
        if not (cleaned.get("contact_phone") or cleaned.get("contact_email")) and not invalid:
            self.add_error("contact_email", "Enter an email address or a phone number")
        return cleaned


def _confidence_fields() -> dict[str, forms.Field]:
    """Before and after, for each area: declared on the class so GOV.UK rendering applies."""
    fields: dict[str, forms.Field] = {}
    for stem, words in CONFIDENCE_AREAS:
        fields[f"{stem}_before"] = forms.TypedChoiceField(
            choices=Confidence.choices,
            coerce=int,
            widget=forms.RadioSelect,
            label=f"Before the training, how confident were you about {words}?",
            error_messages={"required": "Select how confident you were before the training"},
        )
        fields[f"{stem}_after"] = forms.TypedChoiceField(
            choices=Confidence.choices,
            coerce=int,
            widget=forms.RadioSelect,
            label=f"After the training, how confident are you about {words}?",
            error_messages={"required": "Select how confident you are after the training"},
        )
    fields["comments"] = forms.CharField(
        max_length=2000,
        required=False,
        label="Anything else you would like to tell us? (optional)",
        help_text="Please do not name anyone.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    return fields


#: Confidence before and after, in three areas, and an optional comment.
FeedbackForm: type[GovUKForm] = type("FeedbackForm", (GovUKForm,), _confidence_fields())


class _SessionFields(GovUKForm):
    title = forms.CharField(max_length=200, label="Title")
    date = forms.DateField(
        label="Date",
        help_text="For example, 27 3 2027 or 2027-03-27",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )
    start_time = forms.TimeField(
        label="Start time",
        help_text="24-hour clock, for example 09:30",
        error_messages={"required": "Enter the start time", "invalid": "Enter a time like 09:30"},
    )
    duration_minutes = forms.IntegerField(
        min_value=15, max_value=600, initial=180, label="Length in minutes"
    )
    place = _radios(Place.choices, "Where")
    venue = forms.CharField(
        max_length=200, required=False, label="Venue or online platform (optional)"
    )
    area = forms.CharField(max_length=120, required=False, label="Town or district (optional)")
    trainer = forms.ModelChoiceField(queryset=User.objects.none(), label="Trainer")
    capacity = forms.IntegerField(min_value=1, max_value=2000, label="Places")

    def __init__(self, *args: Any, trainers: models.QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["trainer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = trainers

    def starts_at(self) -> datetime.datetime:
        moment = datetime.datetime.combine(
            self.cleaned_data["date"], self.cleaned_data["start_time"]
        )
        return timezone.make_aware(moment)


class ScheduleForm(_SessionFields):
    """Schedule a session for a request: the organisation becomes (or is) a partner."""

    partner_area = forms.CharField(
        max_length=120,
        required=False,
        label="The organisation's town or district (optional)",
    )


class EventForm(_SessionFields):
    kind = _radios(TrainingSession.Kind.choices, "What is it?")
    field_order = ["kind", "title"]


class ReasonForm(GovUKForm):
    reason = forms.CharField(
        max_length=1000,
        label="Why?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why"},
    )


class _AttendanceForm(GovUKForm):
    """Attendance by sector: one number per sector, blank for none."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not any(cleaned.get(value) for value, _label in Sector.choices) and not self.errors:
            self.add_error(Sector.choices[0][0], "Enter how many people came from each sector")
        return cleaned

    def attendance(self) -> dict[str, int]:
        return {v: int(self.cleaned_data.get(v) or 0) for v, _l in Sector.choices}


DeliveredForm: type[_AttendanceForm] = type(
    "DeliveredForm",
    (_AttendanceForm,),
    {
        value: forms.IntegerField(
            min_value=0,
            max_value=2000,
            required=False,
            label=label,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
            error_messages={"invalid": f"Enter the number of people from {label.lower()}"},
        )
        for value, label in Sector.choices
    },
)


class PartnerChoiceForm(GovUKForm):
    partner: forms.ModelChoiceField[PartnerOrganisation] = forms.ModelChoiceField(
        queryset=None,
        label="Organisation",
        error_messages={"required": "Select an organisation"},
    )

    def __init__(
        self, *args: Any, partners: models.QuerySet[PartnerOrganisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = partners


class AttendeeForm(GovUKForm):
    name = forms.CharField(
        max_length=150, label="Name", error_messages={"required": "Enter a name"}
    )
    email = forms.EmailField(max_length=254, required=False, label="Email address (optional)")
    sector = forms.ChoiceField(choices=Sector.choices, label="Sector")
    partner: forms.ModelChoiceField[PartnerOrganisation] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Organisation (optional)",
    )

    def __init__(
        self, *args: Any, partners: models.QuerySet[PartnerOrganisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = partners


class PartnerForm(GovUKForm):
    name = forms.CharField(
        max_length=200, label="Name", error_messages={"required": "Enter the organisation's name"}
    )
    sector = forms.ChoiceField(choices=Sector.choices, label="Sector")
    area = forms.CharField(max_length=120, required=False, label="Town or district (optional)")
    other_names = forms.CharField(
        required=False,
        max_length=2000,
        label="Other names (optional)",
        help_text="Branches or trading names, one per line. Referrals naming any of them count "
        "as coming from this organisation.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PartnerContactForm(GovUKForm):
    name = forms.CharField(
        max_length=150, label="Name", error_messages={"required": "Enter a name"}
    )
    job_title = forms.CharField(max_length=120, required=False, label="Job title (optional)")
    phone = forms.CharField(max_length=40, required=False, label="Phone number (optional)")
    email = forms.EmailField(max_length=254, required=False, label="Email address (optional)")

    def clean_phone(self) -> str:
        raw = str(self.cleaned_data.get("phone", "")).strip()
        if raw and not is_possible_phone(raw):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001")
        return raw


class ContactPointForm(GovUKForm):
    advocate = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Advocate",
        error_messages={"required": "Select an advocate"},
    )
    area = forms.CharField(max_length=120, label="Area covered")

    def __init__(self, *args: Any, advocates: models.QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["advocate"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = advocates
