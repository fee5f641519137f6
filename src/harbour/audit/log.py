"""Write audit events. Call ``record`` inside the transaction that makes the change it describes.

Payloads carry identifiers, field names and counts, never the sensitive values themselves.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, models, router, transaction
from django.db.models import signals
from django.http import HttpRequest
from django.utils import timezone

from harbour.audit.chain import GENESIS, row_hash
from harbour.audit.models import AuditEvent, AuditHead
from harbour.audit.verbs import AuditVerb
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
    verb: AuditVerb | str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    payload: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    username: str = "",
) -> AuditEvent:
    try:
        verb = AuditVerb(verb)
    except ValueError:
        raise ValueError(f"{verb!r} is not an audit verb: add it to harbour.audit.verbs") from None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "audit_id", obj.pk))
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    using = router.db_for_write(AuditEvent)
    with transaction.atomic(using=using):
        prev_seq, prev_hash = _lock_head(using)
        event = AuditEvent(
            seq=prev_seq + 1,
            at=timezone.now(),
            actor_id=actor_id,
            actor_username=getattr(actor, "username", "") if actor_id else username,
            organisation_id=getattr(actor, "organisation_id", None) if actor_id else None,
            verb=str(verb),
            object_type=object_type,
            object_id=object_id,
            ip_address=_ip(request),
            payload=payload or {},
            prev_hash=prev_hash,
        )
        event.hash = row_hash(prev_hash, hashed_fields(event), chain_key())
        _append(event, using)
    return event


# Writing the chain ------------------------------------------------------------------------------
#
# Every page that shows a case or a list writes one event, so this is on every staff request's
# path (issue #8). It runs its statements written once from the models' own table and column
# names (and each value prepared by its model field, exactly as ``save()`` would), not three
# querysets built and compiled by the ORM again for each event: about 0.6 ms a request on
# PostgreSQL, where the insert and the head's move also share one round trip. ``save()``'s signals
# are still sent (metrics and alerts listen for new events).


def _lock_head(using: str) -> tuple[int, str]:
    """The head's sequence number and hash, its row locked until the transaction ends (the lock
    serialises writers; SQLite's write transactions are serial anyway)."""
    conn = connections[using]
    lock = " FOR UPDATE" if conn.features.has_select_for_update else ""
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {_HEAD} WHERE {_HEAD_ID} = %s{lock}", [1])  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        AuditHead.objects.using(using).create(pk=1, seq=0, hash=GENESIS)
        return 0, GENESIS
    return int(row[0]), str(row[1])


def _append(event: AuditEvent, using: str) -> None:
    """Insert ``event`` and move the head to it, as one statement where the database allows."""
    conn = connections[using]
    signals.pre_save.send(sender=AuditEvent, instance=event, raw=False, using=using)
    values: list[Any] = [f.get_db_prep_save(getattr(event, f.attname), conn) for f in _EVENT_FIELDS]
    head: list[Any] = [event.seq, event.hash, 1]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(_INSERT_AND_MOVE, [*values, *head])
            event.pk = cursor.fetchone()[0]
        else:
            cursor.execute(_INSERT, values)
            event.pk = cursor.fetchone()[0]
            cursor.execute(_MOVE, head)
    event._state.adding = False
    event._state.db = using
    signals.post_save.send(
        sender=AuditEvent, instance=event, created=True, update_fields=None, raw=False, using=using
    )


_EVENT_FIELDS = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]


def _quoted(name: str) -> str:
    """An identifier quoted as both PostgreSQL and SQLite quote one (names from the models)."""
    return '"' + name.replace('"', '""') + '"'


_EVENT = _quoted(AuditEvent._meta.db_table)
_HEAD = _quoted(AuditHead._meta.db_table)
_HEAD_ID = _quoted(AuditHead._meta.pk.column)
_INSERT = (
    f"INSERT INTO {_EVENT} ({', '.join(_quoted(f.column) for f in _EVENT_FIELDS)}) "  # noqa: S608
    f"VALUES ({', '.join(['%s'] * len(_EVENT_FIELDS))}) RETURNING {_quoted(AuditEvent._meta.pk.column)}"
)
_MOVE = f"UPDATE {_HEAD} SET seq = %s, hash = %s WHERE {_HEAD_ID} = %s"  # noqa: S608
_INSERT_AND_MOVE = f"WITH event AS ({_INSERT}) {_MOVE} RETURNING (SELECT * FROM event)"  # noqa: S608


def _ip(request: HttpRequest | None) -> str | None:
    if request is not None:
        return client_address(request)
    return current_ip()
