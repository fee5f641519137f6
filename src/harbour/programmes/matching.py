"""Matching a programme participant to a suspect on a case, by blind index only.

The participant's phone number and email address are indexed under the same keys as a suspect's
identifiers on a case (``suspect_phone``, ``suspect_email``). Equal indexes mean the same number or
address; neither side reads the other's record to find out.
"""

from __future__ import annotations

from harbour.cases.services import identifier_index


def participant_indexes(phone: str, email: str) -> tuple[str, str]:
    return (
        identifier_index("phone", phone) if phone else "",
        identifier_index("email", email) if email else "",
    )
