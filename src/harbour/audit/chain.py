"""Pure hash-chain arithmetic for the audit trail (no Django).

Each row's hash is an HMAC-SHA256, keyed with a key derived from the keyring (never in the
database), over the previous row's hash and the row's canonical JSON: someone who can edit the
database cannot recompute the hashes after changing a row. ``legacy_row_hash`` is the unkeyed
SHA-256 of the first release, used once by the migration that re-keys an intact old chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def _message(prev_hash: str, fields: Mapping[str, Any]) -> bytes:
    body = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return f"{prev_hash}\n{body}".encode()


def row_hash(prev_hash: str, fields: Mapping[str, Any], key: bytes) -> str:
    if len(key) < 32:
        raise ValueError("the audit chain key must be at least 32 bytes")
    return hmac.new(key, _message(prev_hash, fields), hashlib.sha256).hexdigest()


def legacy_row_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(_message(prev_hash, fields)).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def verify(
    rows: Iterable[tuple[int, str, str, Mapping[str, Any]]],
    head: tuple[int, str] | None,
    key: bytes,
) -> tuple[int, Break | None]:
    """Walk ``(seq, prev_hash, hash, fields)`` in order; return rows checked and the first break."""
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    for seq, prev_hash, stored_hash, fields in rows:
        if seq != expected_seq:
            return checked, Break(expected_seq, f"row #{expected_seq} is missing (next is #{seq})")
        if prev_hash != expected_prev:
            return checked, Break(seq, f"row #{seq} does not follow row #{seq - 1}")
        if not hmac.compare_digest(row_hash(prev_hash, fields, key), stored_hash):
            return checked, Break(seq, f"row #{seq} was changed after it was written")
        expected_prev = stored_hash
        expected_seq += 1
        checked += 1
    if head is not None:
        head_seq, head_hash = head
        if head_seq != checked:
            return checked, Break(
                checked + 1, f"rows after #{checked} are missing (head #{head_seq})"
            )
        if head_hash != (expected_prev if checked else head_hash):
            return checked, Break(checked, f"row #{checked} does not match the chain head")
    return checked, None


# Anchors: the head, signed, kept by the operator outside the database ----------------------------


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str

    def body(self) -> bytes:
        return json.dumps(
            {"seq": self.seq, "hash": self.hash, "at": self.at},
            sort_keys=True,
            separators=(",", ":"),
        ).encode()

    def signed(self, key: bytes) -> dict[str, Any]:
        signature = hmac.new(key, self.body(), hashlib.sha256).hexdigest()
        return {
            "format": "harbour-audit-anchor/1",
            "seq": self.seq,
            "hash": self.hash,
            "at": self.at,
            "signature": signature,
        }


class AnchorError(ValueError):
    """The anchor file is not one this keyring signed."""


def read_anchor(data: Mapping[str, Any], key: bytes) -> Anchor:
    try:
        anchor = Anchor(seq=int(data["seq"]), hash=str(data["hash"]), at=str(data["at"]))
        signature = str(data["signature"])
    except (KeyError, TypeError, ValueError):
        raise AnchorError("the anchor file is malformed") from None
    expected = hmac.new(key, anchor.body(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise AnchorError("the anchor's signature does not match (edited, or another keyring)")
    return anchor


def check_against_anchor(
    checked: int,
    head: tuple[int, str] | None,
    hash_at_anchor: str | None,
    anchor: Anchor,
) -> Break | None:
    """After a clean walk of ``checked`` rows: is everything the anchor vouched for still there?"""
    if anchor.seq == 0:
        return None
    if checked == 0:
        return Break(1, f"the trail is empty but was anchored at row #{anchor.seq}")
    if checked < anchor.seq:
        return Break(
            checked + 1,
            f"rows after #{checked} are missing: the trail was anchored at row #{anchor.seq}",
        )
    head_seq = head[0] if head is not None else 0
    if head_seq < anchor.seq:
        return Break(anchor.seq, f"the head was rewound to #{head_seq} below the anchor")
    if hash_at_anchor is None or not hmac.compare_digest(hash_at_anchor, anchor.hash):
        return Break(anchor.seq, f"row #{anchor.seq} is not the row that was anchored")
    return None
