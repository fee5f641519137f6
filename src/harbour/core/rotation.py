"""Re-encrypt every encrypted column under the active data key (after ``keys rotate``)."""

from __future__ import annotations

from django.apps import apps
from django.db import connection, models, transaction

from harbour.core.crypto import keyring
from harbour.core.fields import _EncryptedMixin


def encrypted_columns() -> list[tuple[type[models.Model], list[_EncryptedMixin]]]:
    found: list[tuple[type[models.Model], list[_EncryptedMixin]]] = []
    for model in apps.get_models():
        fields: list[_EncryptedMixin] = [
            f for f in model._meta.concrete_fields if isinstance(f, _EncryptedMixin)
        ]
        if fields:
            found.append((model, fields))
    return found


def reencrypt_all(*, dry_run: bool, batch: int = 500) -> dict[str, int]:
    """Decrypt and re-seal values not under the active key; returns counts per model."""
    ring = keyring()
    counts: dict[str, int] = {}
    for model, fields in encrypted_columns():
        table = model._meta.db_table
        pk = model._meta.pk
        assert pk is not None
        columns = [f.column for f in fields]
        quote = connection.ops.quote_name
        column_list = ", ".join(quote(c) for c in [pk.column, *columns])
        select = f"SELECT {column_list} FROM {quote(table)} ORDER BY {quote(pk.column)}"  # noqa: S608
        changed = 0
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(select)  # noqa: S608 - identifiers only, quoted by the backend
                rows = cursor.fetchall()
            for row in rows:
                updates = {}
                for field, value in zip(fields, row[1:], strict=True):
                    if not value:
                        continue
                    if ring.key_version_of(value) == ring.active:
                        continue
                    plain = field.from_stored(value)
                    updates[field.column] = field.to_stored(plain)
                if updates:
                    changed += 1
                    if not dry_run:
                        assignments = ", ".join(f"{quote(c)} = %s" for c in updates)
                        with connection.cursor() as cursor:
                            cursor.execute(
                                f"UPDATE {quote(table)} SET {assignments} "  # noqa: S608
                                f"WHERE {quote(pk.column)} = %s",
                                [*updates.values(), row[0]],
                            )
        counts[model._meta.label] = changed
    return counts
