"""The messages of an import go in with PostgreSQL's COPY there and the portable INSERT elsewhere:
both store exactly the same rows, and a batch the database refuses leaves nothing behind.

On PostgreSQL (``scripts/with-postgres``) the import's default is COPY, compared here with the
portable INSERT forced on the same database; on SQLite both runs take the INSERT.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from harbour.accounts.models import User
from harbour.audit.models import AuditEvent
from harbour.cases.models import Case
from harbour.cases.services import open_case
from harbour.evidence.models import Incident
from harbour.imports import services
from harbour.imports.models import EvidenceImport, ImportedMessage, MessageFlag
from tests.imports.conftest import CLIENT, SUSPECT, chat, drive, upload, whatsapp, zipped

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "parsers" / "fixtures"

# Every kind of value a message row holds: flags, emoji, lines that run on, media in a zip
# (member names), deleted and system lines, the same text twice in one minute.
CHAT = whatsapp(
    [
        ("09:00", SUSPECT, "I saw you at the station today \U0001f440"),
        ("09:01", SUSPECT, "Nice dress today"),
        ("09:01", SUSPECT, "Nice dress today"),
        ("09:02", CLIENT, "Please stop contacting me"),
        ("09:03", SUSPECT, "You can't ignore me forever\nI'll be waiting outside"),
        ("09:04", SUSPECT, "IMG-20260301-WA0001.jpg (file attached)"),
        ("09:05", SUSPECT, "This message was deleted"),
        ("09:06", CLIENT, "<Media omitted>"),
        ("09:07", SUSPECT, "I'll kill you if you go to the police"),
        ("09:08", SUSPECT, "Caf\u00e9 at 8? \u00bfS\u00ed? \u4f60\u597d"),
    ]
)
EXPORTS = {
    "whatsapp zip": (zipped(CHAT), "chat.zip"),
    "sms messages": ((FIXTURES / "sms_backup_messages.xml").read_bytes(), "sms.xml"),
    "calls": ((FIXTURES / "sms_backup_calls.xml").read_bytes(), "calls.xml"),
    "email": ((FIXTURES / "email_message.eml").read_bytes(), "message.eml"),
    "telegram": ((FIXTURES / "telegram_single_chat.json").read_bytes(), "result.json"),
}
COLUMNS = [
    "seq",
    "fingerprint",
    "kind",
    "party",
    "participant",
    "sent_at",
    "day",
    "text",
    "line",
    "offset",
    "member",
    "call_type",
    "call_seconds",
    "attachments",
]


def _another_case(cast: dict[str, User]) -> Case:
    return open_case(
        organisation=cast["alice"].organisation,
        client_fields={"given_name": "Marigold", "family_name": "Thistlewood"},
        by=cast["mia"],
        allocated_to=cast["alice"],
        source="test",
    )


def _import(case: Case, data: bytes, name: str, by: User) -> EvidenceImport:
    """Start, scan and run an import; the suspect is the participant with most messages (the
    named suspect in a chat), the client the next."""
    job = drive(services.start_import(case, upload(data, name), by=by))
    names = [p["name"] for p in job.participant_list()]
    suspect = names.index(SUSPECT) if SUSPECT in names else 0
    client = names.index(CLIENT) if CLIENT in names else (1 if suspect == 0 else 0)
    services.choose_participants(
        job, suspect=suspect, client=client if len(names) > 1 else None, by=by
    )
    job = drive(job)
    assert job.status == EvidenceImport.Status.DONE, job.failure
    return job


def _stored(job: EvidenceImport) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    """Every message of the import as its fields read it back (text and member decrypted), and
    its flags."""
    messages = list(ImportedMessage.unscoped.filter(source=job).order_by("seq").values(*COLUMNS))
    flags = list(
        MessageFlag.unscoped.filter(source=job)
        .order_by("message__seq", "flag")
        .values_list("message__seq", "message__fingerprint", "flag", "rule", "words", "why")
    )
    return messages, flags


@pytest.mark.parametrize("export", list(EXPORTS))
def test_the_databases_bulk_write_stores_exactly_what_the_portable_insert_stores(
    export: str, case_a: Case, cast: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert services._copies() == (connection.vendor == "postgresql")
    monkeypatch.setattr(services, "BATCH", 4)  # several batches, each its own COPY
    data, name = EXPORTS[export]
    bulk = _stored(_import(case_a, data, name, cast["alice"]))
    monkeypatch.setattr(services, "_copies", lambda: False)
    portable = _stored(_import(_another_case(cast), data, name, cast["alice"]))
    assert bulk == portable
    messages, flags = bulk
    assert messages and all(m["fingerprint"] for m in messages)
    if export == "whatsapp zip":
        assert {f[2] for f in flags} >= {"threat_to_kill", "monitoring"}
        texts = [m["text"] for m in messages]
        assert "I saw you at the station today \U0001f440" in texts
        assert "Caf\u00e9 at 8? \u00bfS\u00ed? \u4f60\u597d" in texts
        assert {m["member"] for m in messages} == {"WhatsApp Chat with Orin Vale.txt"}
    if export == "calls":
        assert any(m["call_seconds"] for m in messages)


def _refuse(rows: list[tuple[Any, ...]], how: str, first: list[tuple[Any, ...]]) -> None:
    row = list(rows[-1])
    if how == "a negative sequence number":
        row[3] = -1  # the column's check constraint refuses it
    else:
        row[2] = first[0][2]  # a fingerprint the first batch stored: the unique index refuses it
    rows[-1] = tuple(row)


@pytest.mark.parametrize("how", ["a negative sequence number", "a fingerprint already stored"])
def test_a_batch_the_database_refuses_part_way_fails_the_import_and_leaves_nothing(
    how: str, case_a: Case, cast: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "BATCH", 5)
    job = drive(services.start_import(case_a, upload(chat(days=4)), by=cast["alice"]))
    people = [p["name"] for p in job.participant_list()]
    services.choose_participants(
        job, suspect=people.index(SUSPECT), client=people.index(CLIENT), by=cast["alice"]
    )
    insert = services._insert
    batches: list[list[tuple[Any, ...]]] = []
    held_before: list[int] = []

    def refuse_the_second_batch(rows: list[tuple[Any, ...]]) -> None:
        batches.append(rows)
        held_before.append(ImportedMessage.unscoped.filter(source=job).count())
        if len(batches) == 2:
            _refuse(rows, how, batches[0])
        insert(rows)

    monkeypatch.setattr(services, "_insert", refuse_the_second_batch)
    job = drive(job)
    assert held_before == [0, 5]  # the first batch was stored and committed
    assert job.status == EvidenceImport.Status.FAILED
    assert "could not finish" in job.failure
    assert not ImportedMessage.unscoped.filter(case=case_a).exists()
    assert not MessageFlag.unscoped.filter(case=case_a).exists()
    assert not Incident.unscoped.filter(case=case_a).exists()
    assert (job.added, job.flags) == (0, 0)
    assert AuditEvent.objects.filter(object_id=str(case_a.public_id), verb="import.failed").exists()
