from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

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
    role = forms.ChoiceField(
        choices=[],
        widget=forms.RadioSelect,
        help_text="An advocate or manager account waits for a manager's approval before it "
        "can open cases.",
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


class RoleForm(GovUKForm):
    role = forms.ChoiceField(
        choices=[],
        widget=forms.RadioSelect,
        help_text="Advocate and manager need a manager's approval before they take effect.",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = ROLES_FOR_KIND[organisation.kind]
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(r.value, r.label) for r in Role if r.value in allowed]


class DecisionForm(GovUKForm):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])


class PasswordChangeForm(GovUKForm):
    """NCSC guidance: a long password, not one of the commonly used ones, no composition rules.
    The rules are Django's validators (AUTH_PASSWORD_VALIDATORS)."""

    current_password = forms.CharField(
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        max_length=256,
        help_text="At least 12 characters. Three or four random words work well. "
        "Do not use a password you use anywhere else.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirm_password = forms.CharField(
        label="New password again",
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_current_password(self) -> str:
        current = self.cleaned_data["current_password"]
        if not self.user.check_password(current):
            raise forms.ValidationError("Your current password is not right.")
        return current

    def clean_new_password(self) -> str:
        new = self.cleaned_data["new_password"]
        password_validation.validate_password(new, self.user)
        return new

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        new, again = cleaned.get("new_password"), cleaned.get("confirm_password")
        if new and again is not None and new != again:
            self.add_error("confirm_password", "The two new passwords are different.")
        if new and cleaned.get("current_password") == new:
            self.add_error("new_password", "Choose a password different from your current one.")
        return cleaned
