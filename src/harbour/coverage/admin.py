"""Platform operators manage coverage in Django's admin too (superusers with MFA): every provider's
rules, local authority mappings and triage teams. No case content is registered here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from harbour.core.admin_site import AuditedModelAdmin
from harbour.coverage.models import AuthorityProvider, CoverageRule, TriageTeam
from harbour.coverage.rules import BadPrefix, Level, parse_prefix


class CoverageRuleForm(forms.ModelForm[Any]):
    class Meta:
        model = CoverageRule
        fields = ("prefix", "organisation", "note")

    def clean_prefix(self) -> str:
        try:
            prefix, level = parse_prefix(self.cleaned_data["prefix"])
        except BadPrefix as exc:
            raise forms.ValidationError(str(exc)) from exc
        if level == Level.DISTRICT:
            raise forms.ValidationError(
                "A whole district is a service area: add it on the organisation's page"
            )
        self.instance.level = level.value
        return prefix


@admin.register(CoverageRule)
class CoverageRuleAdmin(AuditedModelAdmin):
    form = CoverageRuleForm
    list_display = ("prefix", "level", "organisation", "note")
    list_filter = ("level", "organisation")
    search_fields = ("prefix",)


@admin.register(AuthorityProvider)
class AuthorityProviderAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "organisation")
    search_fields = ("code", "name")


@admin.register(TriageTeam)
class TriageTeamAdmin(AuditedModelAdmin):
    list_display = ("__str__", "organisation")
