"""Who covers which postcodes, the imported postcode-to-local-authority table, and who triages the
referrals that nothing covers.

A whole postcode district is still an ``accounts.ServiceArea`` (the district-level rule, as
before); ``CoverageRule`` holds the finer and coarser rules (area, sector, full postcode). Routing
reads both and the longest match wins (docs/routing.md).
"""

from __future__ import annotations

from typing import ClassVar, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from harbour.accounts.models import Organisation
from harbour.core.scoping import ScopedManager
from harbour.coverage.rules import Level


def _provider_only(org: Organisation) -> None:
    if org.kind != Organisation.Kind.PROVIDER:
        raise ValidationError("Only advocacy providers cover postcodes.")


class CoverageRule(models.Model):
    """A postcode area, sector or full postcode a provider covers (districts are ServiceAreas)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="coverage_rules"
    )
    prefix = models.CharField(max_length=8, unique=True)
    level = models.CharField(max_length=10, choices=[(v.value, v.label) for v in Level])
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["prefix"]

    def __str__(self) -> str:
        return self.prefix

    def clean(self) -> None:
        if self.organisation_id:
            _provider_only(self.organisation)


class PostcodeAuthority(models.Model):
    """One row of an imported ONS Postcode Directory: a full postcode and its local authority."""

    postcode = models.CharField(max_length=8, unique=True)
    #: ONS code of the local authority district (``oslaua``/``lad``), e.g. E06000015 for Derby.
    authority = models.CharField(max_length=9, db_index=True)
    #: ONS code of the county (``oscty``) where the file has one (two-tier areas), else blank.
    county = models.CharField(max_length=9, blank=True)

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return f"{self.postcode} {self.authority}"


class AuthorityProvider(models.Model):
    """A local authority (district or county ONS code) and the provider that covers it."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=120, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="authorities"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        if self.organisation_id:
            _provider_only(self.organisation)


class TriageTeam(models.Model):
    """The provider that must act on referrals no rule covers: for a postcode area (``LE``) or,
    with a blank area, for the whole platform. Its managers route each one or record a signpost."""

    area = models.CharField(
        max_length=8, unique=True, blank=True, help_text="Postcode prefix; blank for everywhere."
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="triage_for"
    )

    class Meta:
        ordering = ["area"]

    def __str__(self) -> str:
        return self.area or "everywhere"

    def clean(self) -> None:
        if self.organisation_id:
            _provider_only(self.organisation)


class UnroutedReferral(models.Model):
    """A referral no rule covered on arrival, given to a triage team. It stays open on the same
    first-contact clock until a person routes it to a provider or records a signpost."""

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.CASCADE, related_name="unrouted"
    )
    team = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"

    def __str__(self) -> str:
        return f"unrouted {self.pk}"
