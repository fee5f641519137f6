"""Forms for referrals: the shared intake fields (person, safe contact, consent), the police referral
(also the API's validator, so the web form and the API agree), and the triage actions."""

from __future__ import annotations

from typing import Any, ClassVar

import phonenumbers
from django import forms

from harbour.accounts.models import Organisation, User
from harbour.cases.models import Relationship
from harbour.core import policy
from harbour.core.forms import GovUKForm
from harbour.core.identifiers import normalise_phone, normalise_postcode, postcode_district
from harbour.core.validators import validate_date_of_birth, validate_not_future
from harbour.referrals.models import Channel, ContactAttempt, Referral
from harbour.referrals.services import INTAKE_FIELDS

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d"]

REPORTED = [("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")]
#: Who the suspect is to the person, in the public pages' own words; the values are the case's
#: ``Relationship`` choices, so an accepted referral carries the answer into the case.
RELATIONSHIP = [
    (Relationship.CURRENT_PARTNER.value, "A current partner"),
    (Relationship.EX_PARTNER.value, "A former partner"),
    (Relationship.FAMILY.value, "A family member"),
    (Relationship.ACQUAINTANCE.value, "A friend or acquaintance"),
    (Relationship.COLLEAGUE.value, "Someone from work or study"),
    (Relationship.NEIGHBOUR.value, "A neighbour"),
    (Relationship.ONLINE_ONLY.value, "Someone known only online"),
    (Relationship.STRANGER.value, "A stranger"),
    (Relationship.UNKNOWN.value, "Not known who it is"),
]
PROFESSIONS = [
    ("gp", "GP or health professional"),
    ("employer", "Employer or HR"),
    ("hair_beauty", "Hairdresser, barber or beautician"),
    ("counsellor", "Counsellor or therapist"),
    ("trainer", "Personal trainer or coach"),
    ("education", "School, college or university"),
    ("housing", "Housing or local council"),
    ("other", "Other"),
]
FAMILY_RELATIONSHIPS = [
    ("parent", "Parent"),
    ("partner", "Partner"),
    ("child", "Son or daughter"),
    ("relative", "Other relative"),
    ("friend", "Friend"),
    ("other", "Other"),
]

#: Each safe channel needs a detail to reach the person by.
CHANNEL_NEEDS = {
    Channel.CALL: "phone",
    Channel.VOICEMAIL: "phone",
    Channel.TEXT: "phone",
    Channel.EMAIL: "email",
    Channel.POST: "address",
}


def is_possible_phone(raw: str) -> bool:
    """A number of a possible length for its country (duplicate matching needs a valid one)."""
    if normalise_phone(raw):
        return True
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(raw, "GB"))
    except phonenumbers.NumberParseException:
        return False


def _radios(choices: list[tuple[str, str]], label: str, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, label=label, **kwargs)


def choice_label(choices: list[tuple[str, str]], value: str) -> str:
    return dict(choices).get(value, value)


class Sections:
    """Render a long form in titled groups: ``{% include "referrals/_sections.html" %}``."""

    section_spec: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def sections(self) -> list[tuple[str, list[Any]]]:
        form: Any = self
        return [
            (title, [form[name] for name in names if name in form.fields])
            for title, names in self.section_spec
        ]


CONTACT_FIELDS = (
    "phone",
    "email",
    "address",
    "postcode",
    "safe_channels",
    "safe_times",
    "withheld_number_ok",
    "code_word",
)
NAME_FIELDS = ("given_name", "family_name", "date_of_birth")
CONSENT_FIELDS = ("consent_to_contact", "consent_to_share_with_police")


class PersonFields(forms.Form):
    """The person Harbour will contact, and how it is safe to do so."""

    given_name = forms.CharField(max_length=100, label="First name")
    family_name = forms.CharField(max_length=100, label="Last name", required=False)
    date_of_birth = forms.DateField(
        required=False,
        input_formats=DATE_FORMATS,
        label="Date of birth (optional)",
        help_text="For example, 27 3 1985",
        validators=[validate_date_of_birth],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(max_length=40, required=False, label="Phone number")
    email = forms.EmailField(max_length=254, required=False, label="Email address")
    address = forms.CharField(
        required=False, max_length=500, label="Address", widget=forms.Textarea(attrs={"rows": 3})
    )
    postcode = forms.CharField(
        max_length=10,
        label="Postcode",
        help_text="The whole postcode, or just the first part (for example DE1). "
        "We use it to find the service that covers the area.",
    )
    safe_channels = forms.MultipleChoiceField(
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Which ways is it safe to contact them?",
        help_text="We will only use the ways you tick. Select all that apply.",
        error_messages={"required": "Select at least one safe way to make contact"},
    )
    safe_times = forms.CharField(
        max_length=200,
        required=False,
        label="When is it safe to contact them? (optional)",
        help_text="For example, weekdays between 10am and 2pm",
    )
    withheld_number_ok = forms.BooleanField(
        required=False, label="It is fine to call from a withheld number"
    )
    code_word = forms.CharField(
        max_length=60,
        required=False,
        label="Code word (optional)",
        help_text="A word we will say so they know it is us. Do not use a password.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "").strip()
        if raw and not is_possible_phone(raw):
            raise forms.ValidationError("Enter a phone number, like 07700 900 982")
        return str(raw)

    def clean_postcode(self) -> str:
        raw = self.cleaned_data.get("postcode", "")
        full = normalise_postcode(raw)
        if full:
            return full
        district = postcode_district(raw)
        if district:
            return district
        raise forms.ValidationError(
            "Enter a real postcode, like DE1 3AB, or the first part, like DE1"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for channel in cleaned.get("safe_channels", []):
            need = CHANNEL_NEEDS[Channel(channel)]
            if not cleaned.get(need) and need not in self.errors:
                label = Channel(channel).label.lower()
                detail = {"phone": "a phone number", "email": "an email address"}.get(
                    need, "an address"
                )
                self.add_error(need, f"You said {label} is safe: enter {detail}")
        return cleaned


def intake_fields(cleaned: dict[str, Any], *, names: tuple[str, ...] = ()) -> dict[str, Any]:
    """Turn cleaned form data into ``receive_referral`` fields."""
    fields = {k: v for k, v in cleaned.items() if k in INTAKE_FIELDS and v is not None}
    channels = set(cleaned.get("safe_channels", []))
    for channel in Channel.values:
        fields[f"safe_{channel}"] = channel in channels
    for name in names:
        fields[name] = cleaned.get(name)
    return fields


class PoliceReferralForm(Sections, GovUKForm, PersonFields):
    """A police referral, from the coordinator's form or the API."""

    section_spec = (
        (
            "The crime",
            (
                "crime_reference",
                "crime_reported_on",
                "recorded_as",
                "officer_in_case",
                "officer_contact",
            ),
        ),
        ("The victim", ("given_name", "family_name", "date_of_birth")),
        ("Contacting the victim safely", CONTACT_FIELDS),
        (
            "The suspect",
            ("suspect_name", "suspect_relationship", "suspect_identifiers", "bail_conditions"),
        ),
        ("Risk", ("risk_level", "risk_information")),
        ("Consent", ("consent_to_contact", "consent_to_share_with_police")),
    )
    required_messages: ClassVar[dict[str, str]] = {
        "crime_reference": "Enter the crime reference",
        "crime_reported_on": "Enter the date the crime was reported to police",
        "recorded_as": "Select what the crime was recorded as",
        "officer_in_case": "Enter the name of the officer in the case",
        "officer_contact": "Enter how the advocate can reach the officer",
        "risk_level": "Select the risk level from the police assessment",
    }

    crime_reference = forms.CharField(max_length=40, label="Crime reference")
    crime_reported_on = forms.DateField(
        label="Date the crime was reported to police",
        help_text="Victims' Code right 4: refer within 2 working days of this date. "
        "For example, 27 3 2026",
        validators=[validate_not_future],
    )
    recorded_as = forms.ChoiceField(
        choices=Referral.RecordedAs.choices, label="Recorded as", widget=forms.RadioSelect
    )
    officer_in_case = forms.CharField(max_length=150, label="Officer in the case")
    officer_contact = forms.CharField(
        max_length=200,
        label="How to reach the officer",
        help_text="Work phone number or email address.",
    )
    suspect_name = forms.CharField(
        max_length=150, required=False, label="Suspect's name (if known)"
    )
    suspect_relationship = forms.ChoiceField(
        choices=Relationship.choices,
        label="Who the suspect is to the victim",
        widget=forms.RadioSelect,
        initial=Relationship.UNKNOWN,
        required=False,
    )
    suspect_identifiers = forms.CharField(
        required=False,
        max_length=4000,
        label="What identifies the suspect",
        help_text="Phone numbers, email addresses, social media handles, vehicle registrations: "
        "one per line.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    bail_conditions = forms.CharField(
        required=False,
        max_length=4000,
        label="Bail conditions or orders in place",
        help_text="For example, no contact with the victim and not to enter a named street.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    risk_level = forms.ChoiceField(
        choices=Referral.RiskLevel.choices,
        label="Risk level from the police assessment",
        widget=forms.RadioSelect,
    )
    risk_information = forms.CharField(
        required=False,
        label="Risk information",
        help_text="What the advocate needs to know to make contact safely.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent_to_contact = forms.BooleanField(
        label="The victim has agreed to be referred and contacted by an advocate",
        error_messages={
            "required": "The victim must agree to be referred before you send a referral"
        },
    )
    consent_to_share_with_police = forms.BooleanField(
        required=False,
        label="The victim agrees that the advocate may share information with the police",
    )

    def clean_suspect_relationship(self) -> str:
        return str(self.cleaned_data.get("suspect_relationship") or Relationship.UNKNOWN)

    field_order = [
        "crime_reference",
        "crime_reported_on",
        "recorded_as",
        "officer_in_case",
        "officer_contact",
        *NAME_FIELDS,
        *CONTACT_FIELDS,
        "suspect_name",
        "suspect_relationship",
        "suspect_identifiers",
        "bail_conditions",
        "risk_level",
        "risk_information",
        *CONSENT_FIELDS,
    ]


# Triage ---------------------------------------------------------------------------------------


class SafeChannelField(forms.ChoiceField):
    """Offers only the channels the person marked safe, but accepts any channel, so that an unsafe
    one (a stale or forged form) reaches ``services.attempt_contact`` and is refused there: audited,
    with a clear message, instead of "Select a valid choice"."""

    def valid_value(self, value: Any) -> bool:
        return value in Channel.values


class ContactAttemptForm(GovUKForm):
    required_messages = {
        "channel": "Select how you tried to make contact",
        "outcome": "Select what happened",
    }

    channel = SafeChannelField(widget=forms.RadioSelect, label="How did you try to make contact?")
    outcome = forms.ChoiceField(
        choices=ContactAttempt.Outcome.choices, widget=forms.RadioSelect, label="What happened?"
    )
    note = forms.CharField(
        required=False, label="Note (optional)", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channel: Any = self.fields["channel"]
        channel.choices = [(c.value, c.label) for c in Channel if referral.is_channel_safe(c.value)]


class AcceptForm(GovUKForm):
    allocate_to = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="Leave unallocated",
        label="Allocate the new case to (optional)",
    )

    def __init__(self, *args: Any, organisation: Organisation | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["allocate_to"].queryset = policy.caseworkers_of(  # type: ignore[attr-defined]
            organisation
        ).order_by("username")


class DeclineForm(GovUKForm):
    required_messages = {
        "reason": "Select why the referral is declined",
    }

    reason = forms.ChoiceField(
        choices=Referral.DeclineReason.choices,
        widget=forms.RadioSelect,
        label="Why is the referral declined?",
        help_text="The referrer sees this reason.",
    )
    note = forms.CharField(
        required=False,
        label="Note for your service (optional)",
        help_text="Only your service sees this.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SignpostForm(GovUKForm):
    required_messages = {
        "to": "Enter where the person was signposted",
    }

    to = forms.CharField(max_length=200, label="Where was the person signposted?")
    note = forms.CharField(
        required=False, label="Note (optional)", widget=forms.Textarea(attrs={"rows": 3})
    )


class UnableToContactForm(GovUKForm):
    note = forms.CharField(
        required=False, label="Note (optional)", widget=forms.Textarea(attrs={"rows": 3})
    )


class RerouteForm(GovUKForm):
    to = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Send the referral to", empty_label=None
    )
    reason = forms.CharField(max_length=200, required=False, label="Reason (optional)")

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind=Organisation.Kind.PROVIDER, is_active=True
        ).exclude(pk=referral.routed_to_id or 0)


class MergeForm(GovUKForm):
    required_messages = {
        "target": "Select which record this is a duplicate of",
    }

    target = forms.ChoiceField(
        widget=forms.RadioSelect, label="Which record is this a duplicate of?"
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target: Any = self.fields["target"]
        target.choices = choices
