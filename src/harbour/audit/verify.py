"""Check the stored audit chain end to end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from harbour.audit.chain import Break, verify
from harbour.audit.log import hashed_fields
from harbour.audit.models import AuditEvent, AuditHead


def _rows() -> Iterator[tuple[int, str, str, dict[str, Any]]]:
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        yield event.seq, event.prev_hash, event.hash, hashed_fields(event)


def verify_chain() -> tuple[int, Break | None]:
    head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    checked, broken = verify(_rows(), head)
    if broken is None and head is None and checked:
        # record() always keeps a head row; rows without one mean it was deleted, perhaps to hide
        # rows removed from the end.
        return checked, Break(checked, f"the chain head is missing after row #{checked}")
    return checked, broken


def chain_head() -> tuple[int, str] | None:
    """The latest row number and hash: note it elsewhere to detect the end being cut off later."""
    return AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
