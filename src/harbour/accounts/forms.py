from __future__ import annotations

from typing import Any

from django import forms

from harbour.accounts.models import ROLES_FOR_KIND, Organisation, Role, User
from harbour.core.forms import GovUKForm


class SignInForm(GovUKForm):
    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        max_length=256, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(GovUKForm):
    code = forms.CharField(
        label="Security code",
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()


class EnrolForm(CodeForm):
    code = forms.CharField(
        label="Security code from your app",
        max_length=6,
        min_length=6,
        help_text="Enter the 6-digit code your authenticator app shows for Harbour.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-5",
            }
        ),
    )


class ReauthForm(GovUKForm):
    password = forms.CharField(
        max_length=256, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = CodeForm.base_fields["code"]

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()


class NewUserForm(GovUKForm):
    username = forms.SlugField(
        max_length=150,
        help_text="A sign-in handle such as km-advocate-3. Letters, numbers, hyphens.",
    )
    full_name = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=[], widget=forms.RadioSelect)
    password = forms.CharField(
        label="Temporary password",
        min_length=12,
        max_length=256,
        help_text="At least 12 characters. They will set up their authenticator app on first sign-in.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = ROLES_FOR_KIND[organisation.kind]
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(r.value, r.label) for r in Role if r.value in allowed]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].lower()
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError("Choose a different username.")
        return username
