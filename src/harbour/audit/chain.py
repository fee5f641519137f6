"""Pure hash-chain arithmetic for the audit trail (no Django)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def row_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    body = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def verify(
    rows: Iterable[tuple[int, str, str, Mapping[str, Any]]],
    head: tuple[int, str] | None,
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
        if row_hash(prev_hash, fields) != stored_hash:
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
