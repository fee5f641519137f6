"""Database sessions stored as hex, under keyed hashes of their keys.

Django stores session data as signed base64 and keys as random lower-case letters and digits; both
can spell a short name by chance. Harbour's database must be searchable for a person's name with no
hits at all (the check that proves identifying data is encrypted), so sessions use hex throughout.

The browser's cookie holds the session key; the database holds only ``stored_key(key)``, an HMAC
under a key derived from the keyring. Someone who can read the database (a stolen backup, a
read-only SQL account) cannot turn a row into a cookie that signs them in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import DatabaseError
from django.utils import timezone

from harbour.core.crypto import keyring
from harbour.core.precompiled import Precompiled

STORED_LENGTH = 40  # django_session.session_key is varchar(40)


def stored_key(session_key: str) -> str:
    """What the database keeps for a session key (also in ``accounts.LoginSession``)."""
    key = keyring().derived_key("session-keys")
    return hmac.new(key, session_key.encode(), hashlib.sha256).hexdigest()[:STORED_LENGTH]


#: The unexpired session stored under a key: read on every request that carries a session cookie,
#: so compiled once per connection (``harbour.core.precompiled``, issue #8).
_LIVE_SESSION = Precompiled(
    lambda stored, now: Session.objects.filter(session_key=stored, expire_date__gt=now)
)

#: How many times a save is tried when the database is momentarily locked.
SAVE_ATTEMPTS = 5


class SessionStore(DatabaseSessionStore):
    def _get_new_session_key(self) -> str:
        while True:
            key = secrets.token_hex(16)
            if not self.exists(key):
                return key

    def _get_session_from_db(self) -> Any:
        if self.session_key is None:
            return None
        found = _LIVE_SESSION(stored_key(self.session_key), timezone.now())
        if not found:
            self._session_key = None
            return None
        return found[0]

    def exists(self, session_key: str) -> bool:
        return bool(self.model.objects.filter(session_key=stored_key(session_key)).exists())

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        return self.model(
            session_key=stored_key(self._get_or_create_session_key()),  # type: ignore[attr-defined]
            session_data=self.encode(data),
            expire_date=self.get_expiry_date(),
        )

    def save(self, must_create: bool = False) -> None:
        """Save, waiting out a moment's lock contention (SQLite under concurrent requests from one
        browser, such as a live event stream and a page load) instead of answering 400. A
        session that was really deleted meanwhile still fails at once."""
        for attempt in range(SAVE_ATTEMPTS):
            try:
                super().save(must_create=must_create)
                return
            except UpdateError:
                if must_create or attempt == SAVE_ATTEMPTS - 1 or not self._still_stored():
                    raise
                time.sleep(0.05 * (attempt + 1))

    def _still_stored(self) -> bool:
        try:
            return self.session_key is not None and self.exists(self.session_key)
        except DatabaseError:
            return True  # locked again: the row is there as far as anyone knows; try once more

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self.model.objects.filter(session_key=stored_key(session_key)).delete()

    def encode(self, session_dict: dict[str, Any]) -> str:
        return super().encode(session_dict).encode("ascii").hex()

    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        if isinstance(session_data, bytes):
            session_data = session_data.decode("ascii", errors="replace")
        try:
            signed = bytes.fromhex(session_data).decode("ascii")
        except (ValueError, UnicodeDecodeError):
            return {}
        return super().decode(signed)
