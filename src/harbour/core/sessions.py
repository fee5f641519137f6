"""Database sessions stored as hex, with hex session keys.

Django stores session data as signed base64 and keys as random lower-case letters and digits; both
can spell a short name by chance. Harbour's database must be searchable for a person's name with no
hits at all (the check that proves identifying data is encrypted), so sessions use hex throughout.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def _get_new_session_key(self) -> str:
        while True:
            key = secrets.token_hex(16)
            if not self.exists(key):
                return key

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
