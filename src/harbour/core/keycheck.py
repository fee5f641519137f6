"""The database's record of which keyring it was written with (``core.KeyCheck``, one row).

Written the first time Harbour runs with a database (after ``migrate``), checked at every start-up
(system check ``harbour.E002``) and by ``harbour keys status``: a wrong keyring fails loudly instead
of sealing new values under keys that cannot open the old ones.
"""

from __future__ import annotations

from pathlib import Path

from django.db import DatabaseError, connection, transaction

from harbour.core import crypto
from harbour.core.models import KeyCheck

MISSING_TABLE = "no key check table yet"


def database_exists() -> bool:
    """Asking must not create an SQLite file (a check before `migrate` would leave one behind)."""
    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        name = str(database["NAME"])
        in_memory = name == ":memory:" or "mode=memory" in name
        return in_memory or Path(name).exists()
    return True


def status() -> tuple[str, str]:
    """(``match`` | ``mismatch`` | ``absent``, detail)."""

    if not database_exists():
        return "absent", "no database yet"
    try:
        row = KeyCheck.objects.filter(pk=1).first()
    except DatabaseError:
        return "absent", MISSING_TABLE
    if row is None:
        return "absent", "no key check value stored yet"
    problem = crypto.keyring_matches(crypto.keyring(), row.sealed, row.index)
    if problem is not None:
        return "mismatch", problem
    return "match", "the keyring opens this database's key check value"


def ensure() -> str:
    """Store the key check value if there is none; return the status afterwards."""

    state, _ = status()
    if state == "absent":
        try:
            with transaction.atomic():
                sealed, index = crypto.key_check_values(crypto.keyring())
                KeyCheck.objects.get_or_create(pk=1, defaults={"sealed": sealed, "index": index})
        except DatabaseError:
            return "absent"
        state, _ = status()
    return state
