"""Clients (the people Harbour supports) and their cases.

Every identifying field is encrypted; exact-match lookups use the blind indexes. Both models use a
scoped default manager, so any query must say who is asking.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any, ClassVar

from django.db import models, transaction
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.core.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedTextField,
    blind_index,
)
from harbour.core.identifiers import normalise_email, normalise_name, normalise_phone
from harbour.core.scoping import ScopedManager

_REFERENCE_ALPHABET = "23456789BCDFGHJKLMNPQRSTVWXYZ"


def new_reference() -> str:
    """A short, non-identifying, hard-to-guess case reference such as ``HB-7KQ3XD``."""
    return "HB-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


class Client(models.Model):
    """A victim supported by a provider. Identifying fields are encrypted at rest."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    given_name = EncryptedCharField(max_length=100)
    family_name = EncryptedCharField(max_length=100, blank=True)
    preferred_name = EncryptedCharField(max_length=100, blank=True)
    date_of_birth = EncryptedDateField(null=True, blank=True)
    address = EncryptedTextField(blank=True)
    postcode = EncryptedCharField(max_length=10, blank=True)
    phone = EncryptedCharField(max_length=40, blank=True)
    email = EncryptedCharField(max_length=254, blank=True)
    phone_index = BlindIndexField()
    email_index = BlindIndexField()
    name_dob_index = BlindIndexField()
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ScopedManager[Client]] = ScopedManager()
    objects_base = models.Manager()

    class Meta:
        base_manager_name = "objects_base"

    def __str__(self) -> str:
        return f"client {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_indexes()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "phone_index",
                "email_index",
                "name_dob_index",
            }
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.preferred_name or f"{self.given_name} {self.family_name}".strip()

    def refresh_indexes(self) -> None:
        self.phone_index = blind_index("phone", normalise_phone(self.phone or ""))
        self.email_index = blind_index("email", normalise_email(self.email or "") or None)
        if self.date_of_birth and self.given_name:
            key = f"{normalise_name(f'{self.given_name} {self.family_name}')}|{self.date_of_birth}"
            self.name_dob_index = blind_index("name_dob", key)
        else:
            self.name_dob_index = ""


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    allocated_to = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    restricted = models.BooleanField(
        default=False, help_text="Visible only to the named users (e.g. the suspect works here)."
    )
    named_users = models.ManyToManyField(User, blank=True, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects: ClassVar[ScopedManager[Case]] = ScopedManager()
    objects_base = models.Manager()

    class Meta:
        base_manager_name = "objects_base"
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_id(self) -> str:
        return str(self.public_id)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def allocate(self, to: User | None, *, by: User) -> None:
        from harbour.audit.log import record

        with transaction.atomic():
            previous = self.allocated_to_id
            self.allocated_to = to
            self.version += 1
            self.save(update_fields=["allocated_to", "version"])
            record(
                actor=by,
                verb="case.allocated",
                obj=self,
                payload={"from_user": previous, "to_user": to.pk if to else None},
            )
