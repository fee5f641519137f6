"""Public forms: self-referral, family and friends, professional referral, "Is this stalking?"."""

from __future__ import annotations

from typing import Any

from django import forms

from harbour.core.forms import GovUKForm
from harbour.referrals.forms import (
    CONSENT_FIELDS,
    CONTACT_FIELDS,
    FAMILY_RELATIONSHIPS,
    NAME_FIELDS,
    PROFESSIONS,
    RELATIONSHIP,
    REPORTED,
    PersonFields,
    Sections,
    is_possible_phone,
)
from harbour.referrals.models import HOW_LONG

WHAT_IS_HAPPENING_HINT = (
    "Tell us in your own words. It can help to think about whether their attention is fixed on "
    "you, whether it feels obsessive, whether it is unwanted and whether it keeps happening."
)


def _radios(choices: list[tuple[str, str]], label: str, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, label=label, **kwargs)


def _you(form: forms.Form) -> None:
    """PersonFields speak about "them"; on the person's own form they speak to "you"."""
    form.fields["given_name"].label = "Your first name"
    form.fields["family_name"].label = "Your last name (optional)"
    form.fields["safe_channels"].label = "Which ways is it safe for us to contact you?"
    form.fields["safe_times"].label = "When is it safe to contact you? (optional)"
    form.fields[
        "code_word"
    ].help_text = "A word we will say so you know it is us. Do not use a password."
    form.fields["postcode"].label = "Your postcode"


class SelfReferralForm(Sections, GovUKForm, PersonFields):
    section_spec = (
        (
            "What is happening",
            (
                "what_is_happening",
                "how_long",
                "suspect_relationship",
                "reported_to_police",
                "crime_reference",
            ),
        ),
        ("About you", ("given_name", "family_name", "date_of_birth")),
        ("Contacting you safely", CONTACT_FIELDS),
        ("Your agreement", ("consent_to_contact", "consent_to_share_with_police")),
    )

    what_is_happening = forms.CharField(
        label="What is happening?",
        help_text=WHAT_IS_HAPPENING_HINT,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Tell us what is happening"},
    )
    how_long = _radios(
        HOW_LONG,
        "How long has it been going on?",
        error_messages={"required": "Select how long it has been going on"},
    )
    suspect_relationship = _radios(
        RELATIONSHIP,
        "Who is the person to you?",
        error_messages={"required": "Select who the person is to you"},
    )
    reported_to_police = _radios(
        REPORTED,
        "Have you told the police?",
        help_text="You can get support whether or not you have.",
        error_messages={"required": "Select whether you have told the police"},
    )
    crime_reference = forms.CharField(
        max_length=40, required=False, label="Crime reference number (optional)"
    )
    consent_to_contact = forms.BooleanField(
        label="I agree to the service contacting me in the ways I have said are safe",
        error_messages={"required": "You need to agree to be contacted so we can help you"},
    )
    consent_to_share_with_police = forms.BooleanField(
        required=False,
        label="I agree that the service may share information with the police",
        help_text="You can say no and still get support. You can change your mind later.",
    )

    field_order = [
        "what_is_happening",
        "how_long",
        "suspect_relationship",
        "reported_to_police",
        "crime_reference",
        *NAME_FIELDS,
        *CONTACT_FIELDS,
        *CONSENT_FIELDS,
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _you(self)


class FamilyFriendForm(Sections, GovUKForm, PersonFields):
    """Advice for someone worried about another person. The person contacted is the one asking."""

    section_spec = (
        ("The person you are worried about", ("referrer_role", "what_is_happening")),
        ("About you", ("given_name", "family_name")),
        ("Contacting you safely", CONTACT_FIELDS),
        ("Your agreement", ("consent_to_contact",)),
    )

    referrer_role = _radios(
        FAMILY_RELATIONSHIPS,
        "Who are you to the person being stalked?",
        error_messages={"required": "Select who you are to them"},
    )
    what_is_happening = forms.CharField(
        label="What is happening to them?",
        help_text="Tell us what you know. Do not include anything they would not want shared.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Tell us what is happening"},
    )
    consent_to_contact = forms.BooleanField(
        label="I agree to the service contacting me in the ways I have said are safe",
        error_messages={"required": "You need to agree to be contacted so we can give advice"},
    )

    field_order = [
        "referrer_role",
        "what_is_happening",
        "given_name",
        "family_name",
        *CONTACT_FIELDS,
        "consent_to_contact",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _you(self)
        del self.fields["date_of_birth"]


class ProfessionalReferralForm(Sections, GovUKForm, PersonFields):
    section_spec = (
        (
            "About you",
            (
                "referrer_name",
                "referrer_role",
                "referrer_organisation",
                "referrer_phone",
                "referrer_email",
            ),
        ),
        (
            "The person you are referring",
            ("what_is_happening", "given_name", "family_name", "date_of_birth"),
        ),
        ("Contacting them safely", CONTACT_FIELDS),
        ("Their agreement", ("consent_to_contact", "consent_to_share_with_police")),
    )

    referrer_name = forms.CharField(max_length=150, label="Your name")
    referrer_role = _radios(
        PROFESSIONS,
        "What is your work?",
        error_messages={"required": "Select what your work is"},
    )
    referrer_organisation = forms.CharField(
        max_length=200, required=False, label="Your organisation or business (optional)"
    )
    referrer_phone = forms.CharField(max_length=40, required=False, label="Your phone number")
    referrer_email = forms.EmailField(max_length=254, required=False, label="Your email address")
    what_is_happening = forms.CharField(
        label="What is happening to the person?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Tell us what is happening"},
    )
    consent_to_contact = forms.BooleanField(
        label="The person has agreed to this referral and to the service contacting them",
        error_messages={
            "required": "The person must agree to the referral before you send it. "
            "If they have not, give them the National Stalking Helpline number instead."
        },
    )
    consent_to_share_with_police = forms.BooleanField(
        required=False,
        label="The person agrees that the service may share information with the police",
    )

    field_order = [
        "referrer_name",
        "referrer_role",
        "referrer_organisation",
        "referrer_phone",
        "referrer_email",
        "what_is_happening",
        *NAME_FIELDS,
        *CONTACT_FIELDS,
        *CONSENT_FIELDS,
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_name"].label = "The person's first name"
        self.fields["family_name"].label = "The person's last name (optional)"
        self.fields["postcode"].label = "The person's postcode"

    def clean_referrer_phone(self) -> str:
        raw = self.cleaned_data.get("referrer_phone", "").strip()
        if raw and not is_possible_phone(raw):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001")
        return str(raw)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        given = cleaned.get("referrer_phone") or cleaned.get("referrer_email")
        invalid = "referrer_phone" in self.errors or "referrer_email" in self.errors
        if not given and not invalid:
            self.add_error("referrer_phone", "Enter a phone number or email address for you")
        return cleaned


YES_NO = [("yes", "Yes"), ("no", "No")]


class SelfCheckForm(GovUKForm):
    """Four short questions in our own words, built around FOUR."""

    fixated = _radios(
        YES_NO,
        "Does the person seem fixed on you, as if you are at the centre of their attention?",
        error_messages={"required": "Answer whether the person seems fixed on you"},
    )
    obsessive = _radios(
        YES_NO,
        "Does their behaviour feel obsessive, as if they cannot let it go?",
        error_messages={"required": "Answer whether their behaviour feels obsessive"},
    )
    unwanted = _radios(
        YES_NO,
        "Have you made it clear, or would you like to make it clear, that you do not want it?",
        error_messages={"required": "Answer whether the contact is unwanted"},
    )
    repeated = _radios(
        YES_NO,
        "Has it happened more than once?",
        error_messages={"required": "Answer whether it has happened more than once"},
    )
    frightened = _radios(
        YES_NO,
        "Does it make you feel frightened, alarmed or distressed?",
        error_messages={"required": "Answer whether it makes you feel frightened"},
    )


def self_check_result(answers: dict[str, str]) -> dict[str, Any]:
    """Explain the answers. Pure: no storage, nothing about the person is kept."""
    yes = {k for k, v in answers.items() if v == "yes"}
    reasons = []
    if "fixated" in yes:
        reasons.append("their attention seems fixed on you")
    if "obsessive" in yes:
        reasons.append("it feels obsessive")
    if "unwanted" in yes:
        reasons.append("it is unwanted")
    if "repeated" in yes:
        reasons.append("it has happened more than once")
    likely = {"unwanted", "repeated"} <= yes and bool({"fixated", "obsessive"} & yes)
    return {"likely": likely, "reasons": reasons, "frightened": "frightened" in yes}
