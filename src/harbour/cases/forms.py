"""Forms for the case workspace. Every edit of an existing record is a ``VersionedForm``."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone

from harbour.cases.models import (
    SAFETY_PLAN_SECTIONS,
    Case,
    Channel,
    Client,
    ContactLogEntry,
    ContactPreference,
    NeedArea,
    NeedsAssessment,
    OnwardReferral,
    OutcomeMeasures,
    PlaceKnown,
    SafetyPlan,
    SupportAction,
    Suspect,
    SuspectIdentifier,
)
from harbour.cases.services import identifier_index, suspect_identifier_values
from harbour.core import policy, safetimes
from harbour.core.forms import GovUKForm
from harbour.core.identifiers import WITHHELD
from harbour.core.versioning import VersionedForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _radios(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        field = cast(forms.ChoiceField, form.fields[name])
        field.widget = forms.RadioSelect()
        field.choices = field.choices  # the setter copies the choices onto the new widget
        field.widget.harbour_kind = "radios"


def staff_choices(case: Case) -> Any:
    return policy.caseworkers_of(case.organisation_id).order_by("full_name", "username")


class CaseDetailsForm(VersionedForm):
    class Meta:
        model = Case
        fields = [
            "preferred_language",
            "relationship_to_suspect",
            "domestic_abuse",
            "historic",
            "historic_began_before",
            "cyber_elements",
            "enhanced_rights",
            "gender",
            "age_band",
            "ethnicity",
            "disability",
        ]
        labels = {
            "preferred_language": "Preferred language",
            "relationship_to_suspect": "Relationship to the suspect",
            "historic_began_before": "If historic: began before",
            "gender": "Gender (optional)",
            "age_band": "Age (optional)",
            "ethnicity": "Ethnicity (optional)",
            "disability": "Disability (optional)",
        }
        help_texts = {
            "historic_began_before": "The date the stalking is known to have begun before.",
            "enhanced_rights": "Under the Victims' Code: the most serious crime (domestic abuse "
            "included), persistently targeted, or vulnerable or intimidated victims.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "preferred_language")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("historic") and not data.get("historic_began_before"):
            self.add_error("historic_began_before", "Enter the date the stalking began before")
        if data.get("historic_began_before") and not data.get("historic"):
            data["historic_began_before"] = None
        return data


class ClientForm(VersionedForm):
    class Meta:
        model = Client
        fields = [
            "given_name",
            "family_name",
            "preferred_name",
            "date_of_birth",
            "phone",
            "email",
            "address",
            "postcode",
        ]

    def __init__(self, *args: Any, reveal_address: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reveal_address:
            self.fields["address"].widget.attrs["rows"] = 3
        else:
            # Masked until the person re-authenticates: neither shown nor changed by this form.
            del self.fields["address"]


class AllocationForm(VersionedForm):
    class Meta:
        model = Case
        fields = ["allocated_to", "restricted", "named_users"]
        labels = {
            "allocated_to": "Advocate",
            "restricted": "Restricted case",
            "named_users": "Staff who may see it while restricted",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = staff_choices(self.instance)
        allocated_to = cast("forms.ModelChoiceField[Any]", self.fields["allocated_to"])
        allocated_to.queryset = policy.advocates_of(self.instance.organisation_id).order_by(
            "full_name", "username"
        )
        allocated_to.empty_label = "Not allocated"
        named = cast("forms.ModelMultipleChoiceField[Any]", self.fields["named_users"])
        named.widget = forms.CheckboxSelectMultiple()
        named.queryset = staff  # the setter gives the new widget its choices
        named.widget.harbour_kind = "checkboxes"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("restricted") and not data.get("named_users"):
            self.add_error("named_users", "Name at least one member of staff who may see it")
        return data


class ContactPreferenceForm(VersionedForm):
    confirmed_today = forms.BooleanField(
        label="The client confirmed this today",
        required=False,
        help_text="Tick only if you checked these with the client today.",
    )

    class Meta:
        model = ContactPreference
        fields = [
            "safe",
            "safe_times",
            "withheld_ok",
            "may_name_service",
            "code_word",
            "safe_places",
            "known_address_ok",
        ]

    def clean_safe_times(self) -> str:
        try:
            return safetimes.canonical(self.cleaned_data.get("safe_times") or "")
        except safetimes.SafeTimesError as exc:
            raise forms.ValidationError(str(exc)) from None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["safe_times"].widget.attrs["rows"] = 2
        if self.instance.channel not in ("call", "voicemail"):
            del self.fields["withheld_ok"]
        if self.instance.channel == Channel.MEETING:
            self.fields["safe_places"].widget.attrs["rows"] = 3
        else:
            del self.fields["safe_places"]
            del self.fields["known_address_ok"]

    def edited_fields(self) -> list[str]:
        return [n for n in super().edited_fields() if n != "confirmed_today"]


class ContactLogForm(GovUKForm):
    method = forms.ChoiceField(choices=ContactLogEntry.Method.choices, label="How")
    direction = forms.ChoiceField(choices=ContactLogEntry.Direction.choices, label="Who started it")
    voicemail_left = forms.BooleanField(label="A voicemail was left", required=False)
    on = forms.DateField(label="Date", widget=DATE)
    at = forms.TimeField(label="Time")
    duration_minutes = forms.IntegerField(
        label="Duration in minutes", required=False, min_value=0, max_value=24 * 60
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    outside_reason = forms.CharField(
        label="If this is outside the client's safe times, why?",
        help_text="For example, the client asked us to call now. Needed only for a contact we "
        "started outside their safe times.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    place = forms.CharField(
        label="Where did you meet?",
        help_text="Face-to-face meetings only.",
        required=False,
        max_length=500,
    )
    place_known_to_suspect = forms.ChoiceField(
        label="Does the suspect know this address?",
        help_text="Face-to-face meetings only. A meeting at an address the suspect knows needs "
        "the client's agreement.",
        choices=PlaceKnown.choices,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        now = timezone.localtime()
        self.fields["on"].initial = now.date()
        self.fields["at"].initial = now.strftime("%H:%M")
        _radios(self, "method", "direction", "place_known_to_suspect")
        self.fields["on"].widget.attrs["class"] = "govuk-input govuk-input--width-10"
        self.fields["duration_minutes"].widget.attrs["class"] = "govuk-input govuk-input--width-4"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        meeting = (
            data.get("method") == ContactLogEntry.Method.FACE_TO_FACE
            and data.get("direction") == ContactLogEntry.Direction.OUTBOUND
        )
        if meeting and not (data.get("place") or "").strip():
            self.add_error("place", "Enter where you met the client")
        if meeting and not data.get("place_known_to_suspect"):
            self.add_error(
                "place_known_to_suspect", "Select whether the suspect knows this address"
            )
        return data

    def when(self) -> Any:
        naive = datetime.datetime.combine(self.cleaned_data["on"], self.cleaned_data["at"])
        return timezone.make_aware(naive)


_IDENTIFIER_FIELDS = {
    "phones": SuspectIdentifier.Kind.PHONE,
    "emails": SuspectIdentifier.Kind.EMAIL,
    "handles": SuspectIdentifier.Kind.HANDLE,
    "vehicles": SuspectIdentifier.Kind.VEHICLE,
}


class SuspectForm(VersionedForm):
    phones = forms.CharField(
        label="Phone numbers",
        required=False,
        widget=forms.Textarea,
        help_text='One per line: UK or international, or "withheld" for a withheld or private '
        "number.",
    )
    emails = forms.CharField(label="Email addresses", required=False, widget=forms.Textarea)
    handles = forms.CharField(
        label="Social media handles",
        required=False,
        widget=forms.Textarea,
        help_text="One per line, with the platform if known, e.g. @name (Instagram).",
    )
    vehicles = forms.CharField(label="Vehicle registrations", required=False, widget=forms.Textarea)

    class Meta:
        model = Suspect
        fields = ["names", "aliases", "relationship", "description"]

    def __init__(
        self, *args: Any, identifiers: dict[str, list[str]] | None = None, **kw: Any
    ) -> None:
        self._identifiers = identifiers or {}
        super().__init__(*args, **kw)
        for name in ("names", "aliases", "description", *_IDENTIFIER_FIELDS):
            self.fields[name].widget.attrs["rows"] = 3
        if not self.is_bound:
            for name, kind in _IDENTIFIER_FIELDS.items():
                self.initial[name] = "\n".join(self._identifiers.get(kind, []))
        self.fields["emails"].help_text = "One per line."
        self.fields["vehicles"].help_text = "One per line."

    def _value(self, obj: Any, name: str) -> Any:
        if name in _IDENTIFIER_FIELDS:
            if obj is self.instance:
                return "\n".join(self._identifiers.get(_IDENTIFIER_FIELDS[name], []))
            return "\n".join(suspect_identifier_values(obj, _IDENTIFIER_FIELDS[name]))
        return super()._value(obj, name)

    def identifiers(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {
            kind: [line for line in self.cleaned_data.get(name, "").splitlines() if line.strip()]
            for name, kind in _IDENTIFIER_FIELDS.items()
        }
        phones = found.pop(SuspectIdentifier.Kind.PHONE, [])
        found[SuspectIdentifier.Kind.PHONE] = [p for p in phones if not WITHHELD.match(p)]
        found[SuspectIdentifier.Kind.WITHHELD] = [p for p in phones if WITHHELD.match(p)]
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, kind in _IDENTIFIER_FIELDS.items():
            if kind not in (SuspectIdentifier.Kind.PHONE, SuspectIdentifier.Kind.VEHICLE):
                continue
            for number, line in enumerate(data.get(name, "").splitlines(), start=1):
                value = line.strip()
                if not value or (kind == "phone" and WITHHELD.match(value)):
                    continue
                if not identifier_index(kind, value):
                    what = (
                        'a phone number (UK or international, or "withheld")'
                        if kind == "phone"
                        else "a vehicle registration"
                    )
                    self.add_error(name, f'Line {number}, "{value}", is not {what}')
        return data


class NeedsForm(VersionedForm):
    class Meta:
        model = NeedsAssessment
        fields = [*(a.value for a in NeedArea), "plan", "review_date"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].widget.attrs["rows"] = 6


class ActionForm(VersionedForm):
    class Meta:
        model = SupportAction
        fields = ["area", "description", "owner", "due_on", "status"]

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["owner"]).queryset = staff_choices(case)
        self.fields["description"].widget.attrs["rows"] = 3
        if self.instance.pk is None:
            del self.fields["status"]


class SafetyPlanForm(VersionedForm):
    class Meta:
        model = SafetyPlan
        fields = [*(key for key, _l, _h in SAFETY_PLAN_SECTIONS), "notes", "review_date"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, _label, _hint in SAFETY_PLAN_SECTIONS:
            self.fields[key].widget.attrs["rows"] = 4


class OnwardReferralForm(GovUKForm):
    kind = forms.ChoiceField(choices=OnwardReferral.Kind.choices, label="Type of referral")
    to_organisation = forms.CharField(label="Referred to", max_length=200)
    details = forms.CharField(
        label="What was shared and why", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    consent = forms.ChoiceField(
        choices=OnwardReferral.Consent.choices,
        label="Consent",
        help_text="Check with the client, in a safe way, before sharing anything about them.",
    )
    override_reason = forms.CharField(
        label="Reason for referring without consent (managers only)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "kind", "consent")


class OnwardReferralUpdateForm(VersionedForm):
    """Follow an onward referral: its status and what has happened (consent is not edited)."""

    class Meta:
        model = OnwardReferral
        fields = ["status", "details"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "status")
        self.fields["details"].widget.attrs["rows"] = 4


class OutcomeForm(GovUKForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in OutcomeMeasures.MEASURES:
            self.fields[key] = forms.TypedChoiceField(
                label=label,
                choices=OutcomeMeasures.Scale.choices,
                coerce=int,
                widget=forms.RadioSelect,
                help_text="1 is not at all, 5 is completely.",
            )
            self.fields[key].widget.harbour_kind = "radios"

    def measures(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key, _ in OutcomeMeasures.MEASURES}


class ClosureForm(OutcomeForm):
    required_messages = {
        "reason": "Select why the case is closing",
    }

    reason = forms.ChoiceField(choices=Case.ClosureReason.choices, label="Why is the case closing?")
    note = forms.CharField(
        label="Closing summary", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    open_items_note = forms.CharField(
        label="What happens to what is still open?",
        help_text="Needed when the list above is not empty: for example, the onward referral to "
        "housing continues without us; the MARAC has been told the case is closing.",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget = forms.RadioSelect(choices=Case.ClosureReason.choices)
        self.fields["reason"].widget.harbour_kind = "radios"
        self.order_fields(["reason", "note", "open_items_note"])


class ReopenForm(GovUKForm):
    required_messages = {
        "reason": "Enter why the case is being reopened",
    }

    reason = forms.CharField(
        label="Why is the case being reopened?", widget=forms.Textarea(attrs={"rows": 3})
    )


class BreakGlassForm(GovUKForm):
    required_messages = {
        "reason": "Enter why you need this case now",
        "reference": "Enter the case reference",
    }

    reference = forms.CharField(
        label="Case reference",
        max_length=12,
        help_text="For example, HB-7KQ3XD.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label="Why do you need this case now?",
        max_length=2000,
        help_text=(
            "For example, the client has called and their advocate is away. Your manager will "
            "review this, and it is recorded who opened the case and when."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BreakGlassReviewForm(GovUKForm):
    note = forms.CharField(
        label="Review note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
