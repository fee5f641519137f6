"""Check the stored audit chain end to end, optionally against an anchor kept elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from harbour.audit.chain import Anchor, Break, check_against_anchor, verify
from harbour.audit.log import anchor_key, chain_key, hashed_fields
from harbour.audit.models import AuditEvent, AuditHead


def _rows() -> Iterator[tuple[int, str, str, dict[str, Any]]]:
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        yield event.seq, event.prev_hash, event.hash, hashed_fields(event)


def verify_chain(anchor: Anchor | None = None) -> tuple[int, Break | None]:
    head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    checked, broken = verify(_rows(), head, chain_key())
    if broken is None and head is None and checked:
        # record() always keeps a head row; rows without one mean it was deleted, perhaps to hide
        # rows removed from the end.
        return checked, Break(checked, f"the chain head is missing after row #{checked}")
    if broken is None and anchor is not None:
        at_anchor = AuditEvent.objects.filter(seq=anchor.seq).values_list("hash", flat=True).first()
        broken = check_against_anchor(checked, head, at_anchor, anchor)
    return checked, broken


def chain_head() -> tuple[int, str] | None:
    """The latest row number and hash: note it elsewhere to detect the end being cut off later."""
    return AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()


def make_anchor() -> dict[str, Any]:
    """The signed head (sequence, hash, time) for the operator to keep outside the database."""
    head = chain_head() or (0, "0" * 64)
    anchor = Anchor(seq=head[0], hash=head[1], at=timezone.now().isoformat(timespec="seconds"))
    return anchor.signed(anchor_key())
