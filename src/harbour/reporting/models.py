"""What a commissioner's office reports on, and the figures it enters itself.

None of these rows holds case data or anything about a person: which organisations an office
funds, the areas it reports by (with their population aged 16 to 59), the stalking crimes each
area's force recorded per month (supplied by the force, entered by the office), the survey rate
the office chooses for estimating prevalence, and the columns of its quarterly return.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from harbour.accounts.models import Organisation, User

#: The survey rate the office starts with: the share of people aged 16 to 59 stalked in a year.
#: With West Kent's 280,800 people aged 16 to 59 it gives the 7,300 of seed 002 (2016).
DEFAULT_SURVEY_RATE = Decimal("2.60")


class CommissionedOrganisation(models.Model):
    """An organisation (provider, force or perpetrator programme) a commissioner's office
    reports on: the office's dashboard counts its figures, never anything more."""

    commissioner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "organisation"], name="commissioned_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commissioner_id} reports on {self.organisation_id}"


class ReportingArea(models.Model):
    """An area a commissioner's office reports by: its providers, the force that records its
    crimes, and its population aged 16 to 59 (for the estimated prevalence)."""

    commissioner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    force = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    providers = models.ManyToManyField(Organisation, blank=True, related_name="+")
    population_16_59 = models.PositiveIntegerField("People aged 16 to 59", null=True, blank=True)
    population_year = models.PositiveSmallIntegerField("Population estimate for", null=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["commissioner", "name"], name="area_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class RecordedCrimes(models.Model):
    """Stalking crimes the area's force recorded in a month (the force supplies the count)."""

    area = models.ForeignKey(ReportingArea, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month.")
    stalking_crimes = models.PositiveIntegerField()
    entered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["area", "month"]
        constraints = [
            models.UniqueConstraint(fields=["area", "month"], name="one_count_per_area_month")
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.month:%Y-%m}"


class ReportingSettings(models.Model):
    """One commissioner's office's choices: the survey rate and the quarterly return's columns."""

    commissioner = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    survey_rate_percent = models.DecimalField(
        "Share of people aged 16 to 59 stalked in a year (per cent)",
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_SURVEY_RATE,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    survey_rate_source = models.CharField("Where the rate comes from", max_length=200, blank=True)
    return_columns = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"reporting settings {self.commissioner_id}"
