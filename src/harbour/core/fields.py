"""Model fields that keep identifying data encrypted in the database.

``EncryptedTextField`` / ``EncryptedCharField`` / ``EncryptedDateField`` encrypt on the way in and
decrypt on the way out; the only lookup they allow is ``isnull``, because comparing ciphertexts means
nothing. Exact-match searches go through a ``BlindIndexField`` filled by the model from a normalised
value (see ``harbour.core.identifiers``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import IsNull

from harbour.core import plaintexts
from harbour.core.crypto import keyring, open_value


class _EncryptedMixin:
    """Shared encrypt/decrypt plumbing; ``context`` binds ciphertext to table and column."""

    name: str
    column: str
    model: type[models.Model]

    @property
    def crypto_context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def to_stored(self, value: str) -> str:
        plaintexts.remember(value)
        return keyring().encrypt(value, self.crypto_context)

    def from_stored(self, value: str) -> str:
        opened = open_value(value, self.crypto_context)
        plaintexts.remember(opened)
        return opened

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.crypto_context} is encrypted: filter on its blind index, not {lookup_name!r}"
            )
        return IsNull

    def get_transform(self, name: str) -> Any:
        raise FieldError(f"{self.crypto_context} is encrypted and has no transforms")


class EncryptedTextField(_EncryptedMixin, models.TextField[Any, Any]):
    """Free text (notes, addresses, names). Empty string stays empty so forms behave."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return self.to_stored(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return self.from_stored(value)


class EncryptedCharField(EncryptedTextField):
    """A short encrypted value; ``max_length`` applies to the plaintext, in forms only."""

    def __init__(self, *args: Any, max_length: int = 200, **kwargs: Any) -> None:
        self.plaintext_max_length = max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["max_length"] = self.plaintext_max_length
        return name, path, args, kwargs

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        defaults: dict[str, Any] = {
            "max_length": self.plaintext_max_length,
            "widget": forms.TextInput,
            **kwargs,
        }
        # Django's TextField.formfield takes keywords only (the stubs show the base signature).
        if form_class is not None:
            defaults["form_class"] = form_class
        if choices_form_class is not None:
            defaults["choices_form_class"] = choices_form_class
        return super().formfield(**defaults)


class EncryptedDateField(_EncryptedMixin, models.TextField[Any, Any]):
    """A date (e.g. date of birth) stored as encrypted ISO text."""

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            value = value.isoformat()
        else:
            value = datetime.date.fromisoformat(str(value)).isoformat()
        return self.to_stored(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None
        return datetime.date.fromisoformat(self.from_stored(value))

    def to_python(self, value: Any) -> Any:
        if value is None or value == "" or isinstance(value, datetime.date):
            return value or None
        return datetime.date.fromisoformat(str(value))

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return forms.DateField(required=not self.blank, **kwargs)


class BlindIndexField(models.CharField[Any, Any]):
    """Hex HMAC of a normalised value, for exact-match lookups (duplicates, identifiers)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)


def blind_index(kind: str, normalised: str | None) -> str:
    """Blind index for a normalised value; empty for no value, so blanks never match each other."""
    if not normalised:
        return ""
    return keyring().blind_index(kind, normalised)


def encrypted_fields_except(model: type[models.Model], *shown: str) -> list[str]:
    """The names of ``model``'s encrypted fields other than ``shown``: what a list that shows only
    those should ``defer``, so that a page of rows does not decrypt values nobody reads (each
    encrypted value is decrypted as its row loads; issue #8). A deferred field that is read after
    all costs a query per row, which the query-count pins of every list would catch."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, _EncryptedMixin) and field.name not in shown
    ]
