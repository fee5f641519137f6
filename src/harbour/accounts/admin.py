"""Django admin for platform operators (superusers, second factor enforced by middleware).

Only organisations, service areas and staff accounts are registered: case content is never
reachable from the admin. The admin is not a way into a case either: a superuser is never a member
of a provider organisation, and a caseworker role is given through the organisation's own
administrator and a manager's approval (``policy.operator_may_place``). Every change made here is
written to Harbour's audit trail, not only to Django's admin log.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from harbour.accounts.models import AccountNotice, Organisation, ServiceArea, User
from harbour.audit.log import record
from harbour.core import policy
from harbour.core.admin_site import AuditedModelAdmin


class ServiceAreaInline(admin.TabularInline):
    model = ServiceArea
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "area_name", "is_active")
    list_filter = ("kind", "is_active")
    inlines = [ServiceAreaInline]


REFUSED = (
    "A platform operator cannot place this account here: superusers are never members of an "
    "advocacy provider, and advocate and manager roles are given by the organisation's "
    "administrator with a manager's approval."
)


class OperatorUserForm(forms.ModelForm):
    """Refuses any change that would put a superuser in a provider, or give a caseworker role."""

    request: HttpRequest | None = None

    class Meta:
        model = User
        fields = ("username", "organisation", "role", "is_active", "is_superuser")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organisation = cleaned.get("organisation")
        role = cleaned.get("role", "")
        is_superuser = cleaned.get("is_superuser", False)
        instance = self.instance
        before = (
            (instance.organisation_id, instance.role, instance.is_superuser)
            if instance.pk
            else (None, "", False)
        )
        after = (organisation.pk if organisation else None, role, is_superuser)
        if before != after:
            probe = User(is_superuser=bool(is_superuser))
            only_dropping_superuser = (
                instance.pk is not None
                and before[0] == after[0]
                and before[1] == after[1]
                and not is_superuser
            )
            if not only_dropping_superuser and not policy.operator_may_place(
                probe, organisation, role
            ):
                actor = self.request.user if self.request is not None else None
                record(
                    actor=actor,
                    verb="admin.change_refused",
                    obj=instance if instance.pk else None,
                    object_type="accounts.user",
                    request=self.request,
                    payload={
                        "organisation_id": after[0],
                        "role": role,
                        "is_superuser": bool(is_superuser),
                        "self": bool(instance.pk and actor and instance.pk == actor.pk),
                    },
                )
                raise forms.ValidationError(REFUSED)
        return cleaned


@admin.register(User)
class UserAdmin(AuditedModelAdmin):
    list_display = ("username", "organisation", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "organisation")
    fields = ("username", "organisation", "role", "is_active", "is_superuser", "last_login")
    readonly_fields = ("last_login",)
    search_fields = ("username",)
    form = OperatorUserForm

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            AccountNotice.objects.create(
                user=obj,
                by=request.user if isinstance(request.user, User) else None,
                by_operator=True,
                change="A platform operator changed: " + ", ".join(form.changed_data) + ".",
            )
