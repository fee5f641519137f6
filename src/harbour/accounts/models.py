"""Organisations, their service areas, and the staff who sign in."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core.fields import EncryptedCharField
from harbour.core.sessions import stored_key


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
    panel_name = models.CharField(
        "Name of the area's stalking panel",
        max_length=120,
        blank=True,
        help_text="What this provider's area calls its multi-agency stalking panel or stalking "
        "clinic, as it should read in a sentence (for example: the Kent stalking clinic). Blank "
        "uses the deployment's default.",
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


TEMPORARY_PASSWORD_LIFETIME = timedelta(hours=24)


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


#: Roles that see case content. Giving one to an account needs a provider manager's approval.
CASEWORKER_ROLES = frozenset({Role.ADVOCATE, Role.MANAGER})


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
    #: The password in use was set by someone else (an administrator's one-time temporary password,
    #: or a second-factor reset): the person must choose their own before doing anything else.
    must_change_password = models.BooleanField(default=False)
    #: A temporary password stops working at this time if it has not been changed.
    temporary_password_expires_at = models.DateTimeField(null=True, blank=True)

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
        return Role(self.role).label if self.role else "No role yet"

    @property
    def temporary_password_expired(self) -> bool:
        expires = self.temporary_password_expires_at
        return expires is not None and expires <= timezone.now()

    def set_temporary_password(self) -> str:
        """A one-time password for the administrator to pass on; it works for 24 hours and must be
        replaced by the person's own at first sign-in, so nobody else knows the password in use."""
        temporary = "-".join(secrets.token_hex(3) for _ in range(4))
        self.set_password(temporary)
        self.must_change_password = True
        self.temporary_password_expires_at = timezone.now() + TEMPORARY_PASSWORD_LIFETIME
        return temporary

    def disable(self, *, by: User | None) -> None:
        """Disable the account and end every session it has, at once."""
        with transaction.atomic():
            self.is_active = False
            self.disabled_at = timezone.now()
            self.save(update_fields=["is_active", "disabled_at"])
            ended = end_sessions_for(self)
            record(
                actor=by,
                verb=AuditVerb.USER_DISABLED,
                obj=self,
                payload={"sessions_ended": ended},
            )

    def enable(self, *, by: User | None) -> None:
        with transaction.atomic():
            self.is_active = True
            self.disabled_at = None
            self.save(update_fields=["is_active", "disabled_at"])
            record(actor=by, verb=AuditVerb.USER_ENABLED, obj=self)


class LoginSession(models.Model):
    """Which server-side sessions belong to which user, so they can be ended together.

    ``session_key`` is the keyed hash the session table stores (``core.sessions.stored_key``),
    never the key in the browser's cookie."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"session of {self.user_id}"

    @staticmethod
    def stored(session_key: str | None) -> str:
        return stored_key(session_key or "")


def end_sessions_for(user: User) -> int:
    keys = list(user.login_sessions.values_list("session_key", flat=True))
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    user.login_sessions.all().delete()
    return deleted


class RoleRequest(models.Model):
    """An administrator's request to give an account a caseworker role; a provider manager of the
    same organisation (not the requester, not the person) approves it before it takes effect."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=32, choices=Role.choices)
    previous_role = models.CharField(max_length=32, blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"role request {self.pk} ({self.status})"

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    def decide(self, *, by: User, approve: bool) -> None:
        with transaction.atomic():
            self.status = self.Status.APPROVED if approve else self.Status.DECLINED
            self.decided_by = by
            self.decided_at = timezone.now()
            self.save(update_fields=["status", "decided_by", "decided_at"])
            if approve:
                target = User.objects.select_for_update().get(pk=self.user_id)
                target.role = self.role
                target.save(update_fields=["role"])
                end_sessions_for(target)
                AccountNotice.objects.create(
                    user=target, by=by, change=f"Your role is now {self.role_label}."
                )
            record(
                actor=by,
                verb=AuditVerb.USER_ROLE_APPROVED if approve else "user.role_declined",
                obj=self.user,
                payload={"role": self.role, "requested_by": self.requested_by_id},
            )


class AccountNotice(models.Model):
    """A change someone else made to a person's account, shown to them at their next sign-in."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    by_operator = models.BooleanField(default=False)
    change = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"notice {self.pk}"

    @property
    def by_label(self) -> str:
        if self.by is None:
            return "a platform operator" if self.by_operator else "Harbour"
        if self.by.is_superuser:
            return f"the platform operator {self.by.username}"
        return f"{self.by.get_full_name()} ({self.by.role_label.lower()})"
