"""Forms for the perpetrator programme and the advocate's question about a suspect."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.core.forms import GovUKForm
from harbour.programmes.models import (
    Participant,
    ProgrammeSession,
    ReferrerUpdate,
    RiskReview,
    SuspectAttendanceConsent,
)

DATE_FORMATS = ["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"]


def _date(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        help_text=kwargs.pop("help_text", "For example, 27 3 2027 or 2027-03-27"),
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
        **kwargs,
    )


class ParticipantForm(GovUKForm):
    given_name = forms.CharField(max_length=100, label="First name")
    family_name = forms.CharField(max_length=100, required=False, label="Last name")
    date_of_birth = _date("Date of birth (optional)", required=False)
    phone = forms.CharField(max_length=40, required=False, label="Phone number (optional)")
    email = forms.EmailField(max_length=254, required=False, label="Email address (optional)")
    route = forms.ChoiceField(
        choices=Participant.Route.choices, widget=forms.RadioSelect, label="Referred by"
    )
    referring_force = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Police force (optional)",
        help_text="The force that referred, or that holds the Stalking Protection Order.",
    )
    order_reference = forms.CharField(
        max_length=60,
        required=False,
        label="Order reference (optional)",
        help_text="For a Stalking Protection Order requirement, the order's reference as the "
        "court or the force gave it.",
    )
    referrer_name = forms.CharField(
        max_length=150, required=False, label="Referrer's name (optional)"
    )
    referrer_contact = forms.CharField(
        max_length=254, required=False, label="Referrer's phone or email (optional)"
    )
    referred_on = _date("Date referred")
    practitioner = forms.ModelChoiceField(queryset=User.objects.none(), label="Practitioner")
    share_attendance_with_victim_services = forms.BooleanField(
        required=False,
        label="Victim services may be told whether this person is attending",
        help_text="Only whether they attend, and only to the advocate of a victim who has asked.",
    )

    def __init__(
        self,
        *args: Any,
        forces: models.QuerySet[Organisation],
        practitioners: models.QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, qs in (("referring_force", forces), ("practitioner", practitioners)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = qs

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("route") == Participant.Route.SPO_REQUIREMENT and not cleaned.get(
            "referring_force"
        ):
            self.add_error("referring_force", "Select the police force that holds the order")
        return cleaned


class StartForm(GovUKForm):
    first_session = _date("Date of the first session")


class SessionForm(GovUKForm):
    planned_on = _date("Date")
    status = forms.ChoiceField(
        choices=ProgrammeSession.Status.choices, widget=forms.RadioSelect, label="What happened"
    )
    notes = forms.CharField(
        required=False,
        max_length=10000,
        label="Session notes",
        help_text="Kept encrypted and seen only by the programme's staff.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class RiskReviewForm(GovUKForm):
    level = forms.ChoiceField(
        choices=RiskReview.Level.choices, widget=forms.RadioSelect, label="Risk level now"
    )
    notes = forms.CharField(
        required=False,
        max_length=10000,
        label="Why",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class EndForm(GovUKForm):
    reason = forms.ChoiceField(
        choices=Participant.EndReason.choices, widget=forms.RadioSelect, label="How it ended"
    )
    ended_on = _date("Date")
    note = forms.CharField(
        required=False,
        max_length=5000,
        label="Notes (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"ended_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ReferrerUpdateForm(GovUKForm):
    kind = forms.ChoiceField(
        choices=ReferrerUpdate.Kind.choices, widget=forms.RadioSelect, label="What kind of update"
    )
    message = forms.CharField(
        max_length=5000,
        label="What the referrer is told",
        help_text="The referrer sees exactly this. Do not include session notes.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what the referrer is told"},
    )


class AttendanceConsentForm(GovUKForm):
    state = forms.ChoiceField(
        choices=SuspectAttendanceConsent.State.choices,
        widget=forms.RadioSelect,
        label="Does the client want to be told whether the suspect is attending a perpetrator "
        "programme?",
        error_messages={"required": "Select what the client wants"},
    )
