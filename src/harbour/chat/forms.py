"""Forms for live chat: the visitor's, the adviser's, and the referral a chat becomes."""

from __future__ import annotations

from typing import Any

from django import forms

from harbour.chat.models import SafeguardingConcern, SavedReply
from harbour.chat.services import MAX_MESSAGE
from harbour.core.forms import GovUKForm
from harbour.referrals.forms import (
    CONTACT_FIELDS,
    NAME_FIELDS,
    RELATIONSHIP,
    PersonFields,
    Sections,
    _radios,
)
from harbour.referrals.models import HOW_LONG


class StartForm(GovUKForm):
    alias = forms.CharField(
        max_length=60,
        required=False,
        label="What would you like us to call you? (optional)",
        help_text="A first name or any name you choose. You do not have to give your real name.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class VisitorMessageForm(GovUKForm):
    text = forms.CharField(
        max_length=MAX_MESSAGE,
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        error_messages={"required": "Type a message"},
    )


class AdviserMessageForm(GovUKForm):
    text = forms.CharField(
        max_length=MAX_MESSAGE,
        required=False,
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
    )
    reply = forms.ModelChoiceField(
        queryset=SavedReply.objects.none(),
        required=False,
        label="Add a saved reply (optional)",
        empty_label="No saved reply",
    )

    def __init__(self, *args: Any, replies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if replies is not None:
            self.fields["reply"].queryset = replies  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("text") or "").strip() and not cleaned.get("reply"):
            self.add_error("text", "Type a message or choose a saved reply")
        return cleaned


class ConcernForm(GovUKForm):
    kind = forms.ChoiceField(
        choices=SafeguardingConcern.Kind.choices,
        widget=forms.RadioSelect,
        label="What is the concern about?",
        error_messages={"required": "Select what the concern is about"},
    )
    note = forms.CharField(
        max_length=5000,
        label="What did you learn, and what have you done?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe the concern"},
    )


class ChatReferralForm(Sections, GovUKForm, PersonFields):
    """What the adviser learned in the chat, to make a referral without the visitor retyping it."""

    section_spec = (
        ("What is happening", ("what_is_happening", "how_long", "suspect_relationship")),
        ("About them", NAME_FIELDS),
        ("Contacting them safely", CONTACT_FIELDS),
        ("Sharing", ("consent_to_share_with_police",)),
    )

    what_is_happening = forms.CharField(
        label="Summary of what is happening",
        help_text="The whole chat is attached to the referral as well.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Summarise what is happening"},
    )
    how_long = _radios(HOW_LONG, "How long has it been going on?", required=False)
    suspect_relationship = _radios(RELATIONSHIP, "Who is the person to them?", required=False)
    consent_to_share_with_police = forms.BooleanField(
        required=False,
        label="They agreed in the chat that the service may share information with the police",
    )
