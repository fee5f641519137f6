"""Write audit events. Call ``record`` inside the transaction that makes the change it describes.

Payloads carry identifiers, field names and counts, never the sensitive values themselves.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from harbour.audit.chain import GENESIS, row_hash
from harbour.audit.models import AuditEvent, AuditHead
from harbour.core.client_ip import client_address
from harbour.core.crypto import keyring
from harbour.core.requestlocal import current_ip


def chain_key() -> bytes:
    """The audit chain's HMAC key, derived from the keyring: it is never in the database."""
    return keyring().derived_key("audit-chain")


def anchor_key() -> bytes:
    return keyring().derived_key("audit-anchor")


def hashed_fields(event: Any) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "organisation_id": event.organisation_id,
        "verb": event.verb,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "ip_address": event.ip_address,
        "payload": event.payload,
    }


def record(
    *,
    actor: Any,
    verb: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    payload: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    username: str = "",
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "audit_id", obj.pk))
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead.objects.create(pk=1, seq=0, hash=GENESIS)
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor_id,
            actor_username=getattr(actor, "username", "") if actor_id else username,
            organisation_id=getattr(actor, "organisation_id", None) if actor_id else None,
            verb=verb,
            object_type=object_type,
            object_id=object_id,
            ip_address=_ip(request),
            payload=payload or {},
            prev_hash=head.hash,
        )
        event.hash = row_hash(head.hash, hashed_fields(event), chain_key())
        event.save()
        AuditHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


def _ip(request: HttpRequest | None) -> str | None:
    if request is not None:
        return client_address(request)
    return current_ip()
