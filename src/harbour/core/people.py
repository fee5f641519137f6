"""Blind indexes of a person's contact details, shared by every model that records a person.

Clients and referrals must hash phone, email and name + date of birth in exactly the same way, or
duplicate detection between them silently stops matching; so the computation lives here once.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from harbour.core.fields import BlindIndexField, blind_index
from harbour.core.identifiers import normalise_email, normalise_name, normalise_phone

PERSON_INDEX_FIELDS = ("phone_index", "email_index", "name_dob_index")


class PersonIndexes(models.Model):
    """Abstract base: keeps the three blind indexes in step with the encrypted fields on save.

    The concrete model supplies ``given_name``, ``family_name``, ``date_of_birth``, ``phone`` and
    ``email`` (encrypted fields).
    """

    phone_index = BlindIndexField()
    email_index = BlindIndexField()
    name_dob_index = BlindIndexField()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_indexes()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *PERSON_INDEX_FIELDS}
        super().save(*args, **kwargs)

    def refresh_indexes(self) -> None:
        person: Any = self
        self.phone_index = blind_index("phone", normalise_phone(person.phone or ""))
        self.email_index = blind_index("email", normalise_email(person.email or "") or None)
        if person.date_of_birth and person.given_name:
            name = normalise_name(f"{person.given_name} {person.family_name}")
            self.name_dob_index = blind_index("name_dob", f"{name}|{person.date_of_birth}")
        else:
            self.name_dob_index = ""
