"""Forms for orders, breaches, the criminal-justice journey and suspect-link emergency access."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from harbour.cases.models import Case, Suspect
from harbour.core import policy
from harbour.core.forms import GovUKForm
from harbour.evidence.models import Incident
from harbour.justice import rules
from harbour.justice.models import (
    MILESTONES,
    ORDER_KINDS,
    OUTCOMES,
    RECORDED_AS,
    Order,
    OrderCondition,
    OrderNotification,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATE_CLASS = "govuk-input govuk-input--width-10"


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE, help_text=help_text)


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget.attrs["class"] = _DATE_CLASS
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs["rows"] = 3


def _radios(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        form.fields[name].widget = forms.RadioSelect(choices=form.fields[name].choices)  # type: ignore[attr-defined]


class _SuspectChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


def _suspects(case: Case, user: Any) -> Any:
    return Suspect.objects.for_user(user).filter(case=case).order_by("created_at")


class _StepFields(GovUKForm):
    on = _date("Date of this step")
    court = forms.CharField(label="Court", required=False, max_length=120)
    reference = forms.CharField(label="Court or police reference", required=False, max_length=60)
    indefinite = forms.BooleanField(
        label="Until further order (no end date)",
        required=False,
        help_text="A full Stalking Protection Order runs for at least 2 years or until further order.",
    )
    expires_on = _date("End date of the order", required=False)
    hearing_on = _date("Next hearing", required=False)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)


class OrderForm(_StepFields):
    kind = forms.ChoiceField(label="Order", choices=ORDER_KINDS)
    other_kind = forms.CharField(label="If another order, which", required=False, max_length=120)
    step = forms.ChoiceField(
        label="Where it has got to",
        choices=[(s.value, rules.STEP_LABELS[s]) for s in rules.allowed_steps("spo", None)],
    )
    suspect = _SuspectChoice(queryset=None, required=False, label="Against")
    force = forms.ModelChoiceField(
        queryset=policy.police_forces(),
        required=False,
        label="Police force",
        help_text="For an SPO, the force that applies; for others, the force to tell about breaches.",
    )
    applicant = forms.ChoiceField(
        label="Who applies", choices=[("", "Not known"), *Order.Applicant.choices], required=False
    )

    field_order = ["kind", "other_kind", "suspect", "force", "applicant", "step"]

    def __init__(self, *args: Any, case: Case, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suspect"].queryset = _suspects(case, user)  # type: ignore[attr-defined]
        self.fields["on"].initial = timezone.localdate()
        _radios(self, "kind", "step")
        _style(self)


class StepForm(_StepFields):
    step = forms.ChoiceField(label="Step")

    field_order = ["step"]

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [  # type: ignore[attr-defined]
            (s.value, rules.STEP_LABELS[s]) for s in rules.allowed_steps(order.kind, order.status)
        ]
        self.fields["on"].initial = timezone.localdate()
        _radios(self, "step")
        _style(self)


class ConditionForm(GovUKForm):
    kind = forms.ChoiceField(label="Condition", choices=OrderCondition.Kind.choices)
    details = forms.CharField(
        label="Details",
        required=False,
        widget=forms.Textarea,
        help_text="For example the streets of an exclusion zone, or which programme.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "kind")
        _style(self)


class NotificationForm(GovUKForm):
    event = forms.ChoiceField(label="What happened", choices=OrderNotification.Event.choices)
    event_on = _date("Date of service or change")
    notified_on = _date(
        "Date the suspect notified police",
        required=False,
        help_text="Leave empty if police have not yet confirmed it. The deadline is 3 days.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(self, "event")
        _style(self)


class NotifiedForm(GovUKForm):
    notified_on = _date("Date the suspect notified police")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class _IncidentChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.ref}, logged {timezone.localtime(obj.logged_at):%-d %b %Y}"


class BreachForm(GovUKForm):
    occurred_on = _date("When it happened")
    incidents = _IncidentChoices(
        queryset=None,
        required=False,
        label="Diary entries that show the breach",
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label="What happened", required=False, widget=forms.Textarea)
    reported_to_police_on = _date(
        "Reported to police on",
        required=False,
        help_text="Leave empty if not yet reported: Harbour adds an action to report it today.",
    )
    police_reference = forms.CharField(label="Police reference", required=False, max_length=60)

    def __init__(self, *args: Any, case: Case, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        incidents = Incident.objects.for_user(user).filter(case=case).order_by("-number")
        self.fields["incidents"].queryset = incidents  # type: ignore[attr-defined]
        _style(self)


class JourneyForm(GovUKForm):
    force = forms.ModelChoiceField(queryset=policy.police_forces(), label="Force reported to")
    reported_on = _date("Date reported to police")
    crime_reference = forms.CharField(label="Crime reference", required=False, max_length=60)
    suspect = _SuspectChoice(queryset=None, required=False, label="Suspect")
    details = forms.CharField(label="Note", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, case: Case, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suspect"].queryset = _suspects(case, user)  # type: ignore[attr-defined]
        _style(self)


class MilestoneForm(GovUKForm):
    kind = forms.ChoiceField(label="Milestone", choices=MILESTONES[1:])
    on = _date("Date", help_text="For a hearing or trial, the date it is listed for.")
    recorded_as = forms.ChoiceField(
        label="Recorded as (for 'crime recorded as')",
        choices=[("", "Not applicable"), *RECORDED_AS],
        required=False,
    )
    offence = forms.CharField(label="Offence charged", required=False, max_length=200)
    outcome = forms.ChoiceField(
        label="Outcome (for 'outcome')", choices=[("", "Not applicable"), *OUTCOMES], required=False
    )
    court = forms.CharField(label="Court", required=False, max_length=120)
    details = forms.CharField(
        label="Details",
        required=False,
        widget=forms.Textarea,
        help_text="Bail conditions, the reason for no further action, the sentence, the measures.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        _radios(self, "kind")
        _style(self)


class DisclosureForm(GovUKForm):
    reason = forms.CharField(
        label="Why do you need to see this suspect's details now?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "For example, the client is at immediate risk and the suspect's other victim may hold "
            "an order against him. The other organisation's manager reviews every use."
        ),
    )


class ReviewForm(GovUKForm):
    note = forms.CharField(
        label="Review note", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
