"""Organisations, their service areas, and the staff who sign in."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from harbour.audit.log import record
from harbour.core.fields import EncryptedCharField


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PROVIDER = "provider", "Advocacy provider"
        POLICE_FORCE = "police_force", "Police force"
        COMMISSIONER = "commissioner", "Commissioner's office"
        PERPETRATOR_PROGRAMME = "perpetrator_programme", "Perpetrator programme"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    area_name = models.CharField(
        max_length=120, blank=True, help_text="The county or area the organisation serves."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class ServiceArea(models.Model):
    """A postcode district (outward code, e.g. ``DE1`` or ``ME14``) a provider covers."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="service_areas"
    )
    postcode_district = models.CharField(max_length=4, unique=True)
    label = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["postcode_district"]

    def __str__(self) -> str:
        return self.postcode_district

    def clean(self) -> None:
        if self.organisation_id and self.organisation.kind != Organisation.Kind.PROVIDER:
            raise ValidationError("Only advocacy providers have service areas.")


class Role(models.TextChoices):
    ADVOCATE = "advocate", "Advocate"
    MANAGER = "manager", "Manager"
    POLICE_COORDINATOR = "police_coordinator", "Police stalking coordinator"
    COMMISSIONER = "commissioner", "Commissioner's office"
    TRAINER = "trainer", "Trainer"
    PROGRAMME_PRACTITIONER = "programme_practitioner", "Programme practitioner"
    ADMIN = "admin", "Administrator"


#: Which roles each kind of organisation may hold.
ROLES_FOR_KIND: dict[str, frozenset[str]] = {
    Organisation.Kind.PROVIDER: frozenset({Role.ADVOCATE, Role.MANAGER, Role.TRAINER, Role.ADMIN}),
    Organisation.Kind.POLICE_FORCE: frozenset({Role.POLICE_COORDINATOR, Role.ADMIN}),
    Organisation.Kind.COMMISSIONER: frozenset({Role.COMMISSIONER, Role.ADMIN}),
    Organisation.Kind.PERPETRATOR_PROGRAMME: frozenset(
        {Role.PROGRAMME_PRACTITIONER, Role.MANAGER, Role.ADMIN}
    ),
}


class HarbourUserManager(UserManager["User"]):
    use_in_migrations = True


class User(AbstractUser):
    """A member of staff. Names are encrypted; usernames are role-like handles, not identities."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    full_name = EncryptedCharField(max_length=150, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[HarbourUserManager] = HarbourUserManager()

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.get_full_name()

    def clean(self) -> None:
        super().clean()
        organisation = self.organisation if self.organisation_id else None
        if organisation is not None and self.role:
            allowed = ROLES_FOR_KIND[organisation.kind]
            if self.role not in allowed:
                raise ValidationError(
                    {"role": f"A {organisation.get_kind_display().lower()} cannot hold this role."}
                )

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""

    def disable(self, *, by: User | None) -> None:
        """Disable the account and end every session it has, at once."""
        with transaction.atomic():
            self.is_active = False
            self.disabled_at = timezone.now()
            self.save(update_fields=["is_active", "disabled_at"])
            ended = end_sessions_for(self)
            record(
                actor=by,
                verb="user.disabled",
                obj=self,
                payload={"sessions_ended": ended},
            )

    def enable(self, *, by: User | None) -> None:
        with transaction.atomic():
            self.is_active = True
            self.disabled_at = None
            self.save(update_fields=["is_active", "disabled_at"])
            record(actor=by, verb="user.enabled", obj=self)


class LoginSession(models.Model):
    """Which server-side sessions belong to which user, so they can be ended together."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"session of {self.user_id}"


def end_sessions_for(user: User) -> int:
    keys = list(user.login_sessions.values_list("session_key", flat=True))
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    user.login_sessions.all().delete()
    return deleted
