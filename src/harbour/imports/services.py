"""Evidence imports: check the file, store it as an exhibit, read it in the background, and add
the suspect's messages to the diary; every state change audited in its own transaction.

The state machine (docs/evidence-import.md)::

    start_import: [checks] -> exhibit stored -> QUEUED (stage scan)
    work_on (scan):   QUEUED -> SCANNING -> CHOOSING            (participants proposed)
    choose_participants:        CHOOSING -> QUEUED (stage import)
    work_on (import): QUEUED -> RUNNING -> (checkpoint every BATCH records) -> DONE
    any failure:      -> FAILED, with the reason; staged messages and flags deleted
    recover_stale:    SCANNING/RUNNING whose worker died -> QUEUED (resumed from the checkpoint)

Messages and flags are written in batches, each batch in one transaction with the checkpoint, so a
worker killed at any moment leaves either a whole batch or none; until the import is DONE nothing
it wrote is shown anywhere, and a failed import's rows are deleted.

Why unscoped: the import runs in a background worker with no signed-in user; the job names its case
and the advocate who started it, whose access was checked when it was queued, so its reads and
writes go through ``unscoped`` and touch only that case.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import hmac
import json
import logging
import operator
import os
import secrets
import socket
import tempfile
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from harbour.accounts.models import User
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.cases.models import Case, Suspect, SuspectIdentifier
from harbour.cases.services import identifier_index
from harbour.core import crypto
from harbour.core.crypto import keyring
from harbour.core.fields import EncryptedTextField
from harbour.core.identifiers import normalise_email, normalise_name, normalise_phone
from harbour.evidence import services as evidence
from harbour.evidence.models import EvidenceItem, Incident, IncidentVersion
from harbour.imports.flagging import Conversation, Hit, RuleSet, default_ruleset
from harbour.imports.models import EvidenceImport, ImportedEntry, ImportedMessage, MessageFlag
from harbour_parsers import DEFAULT_LIMITS, Direction, Kind, ParseError, Record, parse
from harbour_parsers.detect import detect_format
from harbour_parsers.safezip import SafeZip, is_zip

log = logging.getLogger("harbour.imports")

# Records per checkpoint (one transaction). Every message's fingerprint goes into a unique index
# whose order is random, so each commit rewrites most of that index's pages: fewer, larger batches
# write far less (20,000 rows hold about 8 MB in memory).
BATCH = 20000
# SQLite page cache (KiB) while an import writes: the fingerprint index of a large export (about
# 14 MB for 200,000 messages) stays in memory instead of being read back for every batch.
IMPORT_CACHE_KIB = 32768
HEAD = 65536
OWNER = ""  # the participant key for "sent from this phone" (SMS and call backups)
CHANNELS = {
    "whatsapp": "WhatsApp",
    "sms-backup": "text messages and calls",
    "mbox": "email",
    "eml": "email",
    "telegram": "Telegram",
    "meta": "Facebook or Instagram",
}
TEXT_KINDS = {Kind.MESSAGE.value, Kind.EDITED.value, Kind.MEDIA.value}
MISSED_CALLS = ("missed", "rejected", "blocked", "voicemail")
Progress = Callable[[EvidenceImport], None]


class ImportRefused(evidence.EvidenceRuleError):
    """The file is refused before anything is stored; the message says why."""


class ImportLost(RuntimeError):
    """Another worker took this import over (this one was thought dead): stop quietly."""


# --- checks before anything is stored -------------------------------------------------------------


def check_mb() -> int:
    return int(getattr(settings, "HARBOUR_IMPORT_CHECK_MB", 32))


def preflight(
    handle: IO[bytes], size: int, *, limit: int | None = None, survey: Survey | None = None
) -> str:
    """The export's format, or ``ImportRefused`` with the reason. Nothing is stored.

    Always: the size limit, the type from the content, a zip's member list (bombs, paths escaping
    the archive, links), XML declaring entities (billion laughs, external entities) and a
    truncated end. Files up to ``HARBOUR_IMPORT_CHECK_MB`` are also parsed in full, so any fault
    the parser finds refuses them here; larger ones fail cleanly in the background instead.
    """
    limit = limit if limit is not None else evidence.max_upload_bytes()
    if size > limit:
        raise ImportRefused(
            f"The file is larger than {limit // (1024 * 1024)} MB, Harbour's limit."
        )
    if size == 0:
        raise ImportRefused("The file is empty.")
    handle.seek(0)
    head = handle.read(HEAD)
    fmt = detect_format(head)
    if fmt is None:
        raise ImportRefused(
            "Harbour cannot read this type of file as an export. It reads WhatsApp (.txt or .zip), "
            "SMS Backup & Restore (.xml), email (.mbox or .eml), Telegram (result.json) and "
            "Facebook or Instagram (message_1.json) exports."
        )
    handle.seek(max(0, size - 4096))
    tail = handle.read().rstrip(b"\x00 \t\r\n")
    try:
        if is_zip(head):
            handle.seek(0)
            archive = SafeZip(handle, DEFAULT_LIMITS)
            for info in archive.infos:
                if info.file_size > 1024 * 1024 and info.file_size > (
                    DEFAULT_LIMITS.max_zip_ratio * max(info.compress_size, 1)
                ):
                    raise ParseError(
                        "refused: compression ratio above the limit (a zip bomb?)",
                        path=info.filename,
                    )
            archive.close()
        elif fmt == "sms-backup":
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise ParseError("refused: the XML declares a document type or entities")
            if not (tail.endswith(b"</smses>") or tail.endswith(b"</calls>")):
                raise ParseError("the XML ends before its closing tag (the file is truncated)")
        elif fmt in ("telegram", "meta") and not tail.endswith(b"}"):
            raise ParseError("the JSON ends before its closing brace (the file is truncated)")
        if size <= check_mb() * 1024 * 1024:
            handle.seek(0)
            result = parse(handle, fmt)
            if survey is None:
                for _record in result:
                    pass
            else:
                for rec in result:
                    survey.add(rec)
                survey.finish(result.report)
    except ParseError as exc:
        raise ImportRefused(f"The file cannot be imported: {exc}") from exc
    finally:
        handle.seek(0)
    return fmt


def start_import(case: Case, upload: Any, *, by: User, request: Any = None) -> EvidenceImport:
    """Check the file, store it as an exhibit (hashed), and queue the scan."""
    survey = Survey()
    fmt = preflight(
        upload.file if hasattr(upload, "file") else upload, int(upload.size), survey=survey
    )
    sha = _sha256_of(upload)
    held = (
        EvidenceImport.unscoped.filter(case=case, exhibit__sha256=sha)
        .exclude(status=EvidenceImport.Status.FAILED)
        .select_related("exhibit")
        .first()
    )
    if held is not None:
        raise ImportRefused(
            f"This file is already on the case as exhibit {held.exhibit.ref} and was imported "
            "from it: nothing was added."
        )
    # The exhibit and its import commit together: a process killed in between leaves neither
    # (only an unreferenced sealed file), so running the import again starts cleanly.
    with transaction.atomic():
        item = evidence.store_evidence(
            case,
            upload,
            kind=EvidenceItem.Kind.EXPORT,
            description="Export for import",
            by=by,
            request=request,
        )
        job = EvidenceImport.unscoped.create(case=case, exhibit=item, format=fmt, created_by=by)
        record(
            actor=by,
            verb=AuditVerb.IMPORT_STARTED,
            obj=case,
            request=request,
            payload={"import": str(job.public_id), "exhibit": item.ref, "sha256": item.sha256},
        )
        if survey.report:  # read in full by the checks: who is in it is known already
            _surveyed(job, survey)
        else:  # too big to read in the request: the scan runs in the background
            transaction.on_commit(lambda: enqueue(job))
    return job


def _sha256_of(upload: Any) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1 << 20), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def enqueue(job: EvidenceImport, *, delay: float = 0) -> None:
    from harbour.imports.tasks import run_evidence_import  # tasks imports this module: a cycle

    task = run_evidence_import
    if delay:
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    result = task.enqueue(job.pk)
    EvidenceImport.unscoped.filter(pk=job.pk).update(task_id=str(result.id)[:64])


# --- the worker's side ------------------------------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def work_on(
    import_id: int, *, progress: Progress | None = None, stop_after: int | None = None
) -> str:
    """Run whatever stage the import is at. Returns the status it ends in.

    ``stop_after`` (tests) stops after that many batches, as a killed worker would.
    """
    claimed = _claim(import_id)
    if claimed is None:
        return "not queued"
    job = claimed
    try:
        if job.stage == EvidenceImport.Stage.SCAN:
            scan(job)
        else:
            if not run(job, progress=progress, stop_after=stop_after):
                return job.status
            finish(job)
    except ImportLost:
        log.warning("import %s was taken over by another worker", job.pk)
        return "lost"
    except ParseError as exc:
        fail(job, f"The file could not be read: {exc}")
    except Exception as exc:
        log.exception("import %s failed", job.pk)
        fail(
            job,
            f"Harbour could not finish the import ({type(exc).__name__}). Try again; if it "
            "fails again, tell your administrator.",
        )
    if progress is not None:
        progress(job)
    return job.status


def _claim(import_id: int) -> EvidenceImport | None:
    with transaction.atomic():
        job = (
            EvidenceImport.unscoped.select_for_update()
            .select_related("case", "exhibit")
            .filter(pk=import_id)
            .first()
        )
        if job is None or job.status != EvidenceImport.Status.QUEUED:
            return None
        if job.stage == EvidenceImport.Stage.IMPORT and _busy_case(job):
            transaction.on_commit(lambda: enqueue(job, delay=5))  # one import per case at a time
            return None
        job.status = (
            EvidenceImport.Status.SCANNING
            if job.stage == EvidenceImport.Stage.SCAN
            else EvidenceImport.Status.RUNNING
        )
        job.worker = worker_name()
        job.heartbeat_at = timezone.now()
        job.attempts += 1
        job.save(update_fields=["status", "worker", "heartbeat_at", "attempts"])
    return job


def _busy_case(job: EvidenceImport) -> bool:
    return (
        EvidenceImport.unscoped.filter(case_id=job.case_id, status=EvidenceImport.Status.RUNNING)
        .exclude(pk=job.pk)
        .exists()
    )


def _still_mine(job: EvidenceImport, **changes: Any) -> None:
    """Inside a transaction: lock the import row, check this worker still holds it, save changes."""
    current = EvidenceImport.unscoped.select_for_update().filter(pk=job.pk).first()
    if current is None or current.worker != job.worker or current.status != job.status:
        raise ImportLost(str(job.pk))
    changes["heartbeat_at"] = timezone.now()
    for key, value in changes.items():
        setattr(job, key, value)
    EvidenceImport.unscoped.filter(pk=job.pk).update(**changes)


class _Original:
    """The exhibit decrypted into a temporary file for the parser (memory up to 64 MB, then disk),
    removed when closed."""

    def __init__(self, item: EvidenceItem) -> None:
        self.file: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024)  # noqa: SIM115
        for chunk in evidence.read_original(item):
            self.file.write(chunk)
        self.file.seek(0)

    def __enter__(self) -> IO[bytes]:
        return self.file

    def __exit__(self, *exc: object) -> None:
        self.file.close()


def _records(job: EvidenceImport, handle: IO[bytes]) -> Iterator[Record]:
    return iter(parse(handle, job.format, **(job.options or {})))


_SYSTEM, _CALL, _OUTGOING = Kind.SYSTEM, Kind.CALL, Direction.OUTGOING  # looked up once


def participant_key(rec: Record) -> str | None:
    if rec.kind is _SYSTEM:
        return None
    if rec.sender:
        return rec.sender
    if rec.direction is _OUTGOING:
        return OWNER
    return None


class Survey:
    """Who is in an export and how much, counted while the file is read once (by the checks
    before storing, or by the background scan for files too big to check in the request)."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {}
        self.first: dict[str, datetime.datetime] = {}
        self.last: dict[str, datetime.datetime] = {}
        self.total = 0
        self.report: dict[str, Any] = {}

    def add(self, rec: Record) -> None:
        self.total += 1
        key = participant_key(rec)
        if key is None:
            return
        tally = self.counts.get(key)
        if tally is None:
            tally = self.counts[key] = Counter()
        tally["calls" if rec.kind is _CALL else "messages"] += 1
        if rec.timestamp is not None:
            stamp = rec.timestamp
            if key not in self.first or stamp < self.first[key]:
                self.first[key] = stamp
            if key not in self.last or stamp > self.last[key]:
                self.last[key] = stamp

    def finish(self, report: Any) -> None:
        self.report = {
            "format": report.format,
            "decisions": report.decisions,
            "evidence": report.evidence[:20],
            "flags": report.flags[:50],
            "flag_count": len(report.flags),
        }

    def people(self) -> list[dict[str, Any]]:
        return [
            {
                "name": key,
                "label": key or "The phone's owner (sent from this phone)",
                "messages": tally["messages"],
                "calls": tally["calls"],
                "first": self.first[key].replace(tzinfo=None).isoformat()
                if key in self.first
                else "",
                "last": self.last[key].replace(tzinfo=None).isoformat() if key in self.last else "",
            }
            for key, tally in sorted(self.counts.items(), key=lambda kv: -sum(kv[1].values()))
        ]


def scan(job: EvidenceImport) -> None:
    """Read the whole file once: who is in it, how much, and who Harbour proposes as who."""
    survey = Survey()
    with _Original(job.exhibit) as handle:
        result = parse(handle, job.format, **(job.options or {}))
        for rec in result:
            survey.add(rec)
            if survey.total % BATCH == 0:
                with transaction.atomic():
                    _still_mine(job, done=survey.total)
        survey.finish(result.report)
    with transaction.atomic():
        _still_mine(job)
        _surveyed(job, survey)


def _surveyed(job: EvidenceImport, survey: Survey) -> None:
    """Inside a transaction: the participants proposed and the import waiting for a choice."""
    people = survey.people()
    propose(job.case, people)
    changes = {
        "status": EvidenceImport.Status.CHOOSING,
        "stage": EvidenceImport.Stage.IMPORT,
        "total": survey.total,
        "done": 0,
        "participants": json.dumps(people),
        "report": json.dumps(survey.report),
    }
    EvidenceImport.unscoped.filter(pk=job.pk).update(**changes)
    for key, value in changes.items():
        setattr(job, key, value)
    record(
        actor=None,
        verb=AuditVerb.IMPORT_SCANNED,
        obj=job.case,
        payload={
            "import": str(job.public_id),
            "records": survey.total,
            "participants": len(people),
        },
    )


def _identifier_indexes(name: str) -> list[tuple[str, str]]:
    """Blind indexes a participant's name might have as a suspect identifier."""

    found = []
    for kind in (SuspectIdentifier.Kind.PHONE, SuspectIdentifier.Kind.EMAIL):
        candidates = [name]
        if "<" in name and name.endswith(">"):
            candidates.append(name[name.rindex("<") + 1 : -1])
        for value in candidates:
            normal = (
                normalise_phone(value)
                if kind == SuspectIdentifier.Kind.PHONE
                else normalise_email(value)
            )
            if normal and (kind != SuspectIdentifier.Kind.EMAIL or "@" in value):
                index = identifier_index(kind, value)
                if index:
                    found.append((kind.value, index))
    handle = name.strip()
    if handle.startswith("@") and " " not in handle:
        index = identifier_index(SuspectIdentifier.Kind.HANDLE, handle)
        if index:
            found.append((SuspectIdentifier.Kind.HANDLE.value, index))
    return found


def propose(case: Case, people: list[dict[str, Any]]) -> None:
    """Mark the participant Harbour proposes as the suspect (an identifier of a suspect on the case
    matches by blind index, or a recorded name matches) and as the client (the only other one)."""
    suspects = list(Suspect.unscoped.filter(case=case))
    by_id = {s.pk: s for s in suspects}
    identifiers = {
        (i.kind, i.index): i.suspect_id
        for i in SuspectIdentifier.unscoped.filter(suspect__case=case).only(
            "kind", "index", "suspect"
        )
    }
    names = {
        normalise_name(line): s.pk
        for s in suspects
        for line in f"{s.names}\n{s.aliases}".splitlines()
        if normalise_name(line)
    }
    for person in people:
        person["proposed"], person["why"], person["suspect"] = "", "", None
        for kind, index in _identifier_indexes(person["name"]):
            if (kind, index) in identifiers:
                person.update(
                    proposed="suspect",
                    suspect=identifiers[(kind, index)],
                    why=f"matches a {SuspectIdentifier.Kind(kind).label.lower()} recorded for the suspect",
                )
                break
        else:
            sid = names.get(normalise_name(person["name"]))
            if sid is not None and person["name"]:
                person.update(
                    proposed="suspect", suspect=sid, why="matches a name recorded for the suspect"
                )
    proposed = [p for p in people if p["proposed"] == "suspect"]
    others = [p for p in people if p["proposed"] != "suspect"]
    if len(proposed) == 1 and len(others) == 1:
        others[0].update(proposed="client", why="the only other participant")
    for p in people:
        if p.get("suspect") not in by_id:
            p["suspect"] = None


def choose_participants(
    job: EvidenceImport, *, suspect: int, client: int | None, by: User, request: Any = None
) -> None:
    """The advocate's choice (indexes into the participant list); queues the import proper."""
    people = job.participant_list()
    if job.status != EvidenceImport.Status.CHOOSING:
        raise evidence.EvidenceRuleError("This import is not waiting for a choice.")
    if not 0 <= suspect < len(people) or (client is not None and not 0 <= client < len(people)):
        raise evidence.EvidenceRuleError("Choose from the people in the file.")
    if client == suspect:
        raise evidence.EvidenceRuleError("The suspect and the client must be different people.")
    with transaction.atomic():
        locked = EvidenceImport.unscoped.select_for_update().get(pk=job.pk)
        if locked.status != EvidenceImport.Status.CHOOSING:
            raise evidence.EvidenceRuleError("Someone has already chosen for this import.")
        suspect_id = people[suspect].get("suspect")
        if suspect_id is None:
            first = Suspect.unscoped.filter(case=job.case).order_by("created_at").first()
            suspect_id = first.pk if first else None
        options_key = {"suspect": suspect, "client": client}
        locked.roles = options_key
        locked.suspect_name = people[suspect]["name"]
        locked.client_name = people[client]["name"] if client is not None else ""
        locked.suspect_id = suspect_id
        locked.status = EvidenceImport.Status.QUEUED
        locked.stage = EvidenceImport.Stage.IMPORT
        locked.done = 0
        locked.save(
            update_fields=[
                "roles",
                "suspect_name",
                "client_name",
                "suspect",
                "status",
                "stage",
                "done",
            ]
        )
        record(
            actor=by,
            verb=AuditVerb.IMPORT_PARTICIPANTS_CHOSEN,
            obj=job.case,
            request=request,
            payload={"import": str(job.public_id), **options_key},
        )
        transaction.on_commit(lambda: enqueue(locked))
    job.refresh_from_db()


@dataclass
class _Roles:
    keys: dict[str | None, int]
    suspect: str
    client: str | None

    def of(self, rec: Record) -> tuple[str, int]:
        key = participant_key(rec)
        index = self.keys.get(key, -1)
        if key is None:
            return ImportedMessage.Party.SYSTEM, -1
        if key == self.suspect:
            return ImportedMessage.Party.SUSPECT, index
        if key == self.client or (self.client is None and rec.direction == Direction.OUTGOING):
            return ImportedMessage.Party.CLIENT, index
        return ImportedMessage.Party.OTHER, index


def _local(rec: Record, zone: zoneinfo.ZoneInfo) -> datetime.datetime | None:
    return None if rec.timestamp is None else _local_time(rec.timestamp, zone)


def _ruleset() -> RuleSet:
    return default_ruleset(getattr(settings, "HARBOUR_FLAG_RULES_DIR", "") or None)


def run(
    job: EvidenceImport, *, progress: Progress | None = None, stop_after: int | None = None
) -> bool:
    """Write the messages and flags in batches from the checkpoint on; False if stopped early."""
    people = job.participant_list()
    client = job.roles.get("client")
    roles = _Roles(
        keys={p["name"]: i for i, p in enumerate(people)},
        suspect=people[job.roles["suspect"]]["name"],
        client=people[client]["name"] if client is not None else None,
    )
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    ring = keyring()
    conversation = Conversation(_ruleset())
    skip = job.done
    messages: list[tuple[Any, ...]] = []
    hits: list[tuple[int, Hit]] = []
    seal_text = _Sealer(ring, _context("text"))
    seal_member = _Sealer(ring, _context("member"))
    index_key = ring.index_key
    stored = _Stamps(zone)
    last_stamp: datetime.datetime | None = None
    stamp_text = ""
    stored_time = stored_day = None
    day: datetime.date | None = None
    batches = 0
    seen: dict[str, int] = {}  # a plain dict: Counter's __missing__ is Python code
    seen_get = seen.get
    seq = 0
    case_id, job_id, fmt = job.case_id, job.pk, job.format
    # the first import on a case holds nothing to compare with (one import runs per case at a time)
    fresh_case = (
        not ImportedMessage.unscoped.filter(case_id=case_id).exclude(source_id=job_id).exists()
    )
    # Looked up once, not per record: enum members and their values (an Enum's attribute access
    # and hash are Python code in 3.11), and each sender's party (a chat has a handful).
    kinds = {kind: kind.value for kind in Kind}
    message_kind, system_kind, outgoing = Kind.MESSAGE, Kind.SYSTEM, Direction.OUTGOING
    suspect_party = ImportedMessage.Party.SUSPECT.value
    client_party = ImportedMessage.Party.CLIENT.value
    parties: dict[tuple[bool, str | None, bool], tuple[str, int]] = {}
    text_kinds = TEXT_KINDS
    digest = hmac.digest
    with _Original(job.exhibit) as handle, _import_cache():
        for seq, rec in enumerate(_records(job, handle), start=1):
            rec_kind = rec.kind
            who = (rec_kind is system_kind, rec.sender, rec.direction is outgoing)
            found = parties.get(who)
            if found is None:
                party_choice, index = roles.of(rec)
                found = parties[who] = (str(party_choice), index)
            party, index = found
            stamp = rec.timestamp
            if stamp != last_stamp:  # the same minute's records share the work
                last_stamp = stamp
                stored_time, day, stored_day = stored(stamp)
                stamp_text = stamp.isoformat() if stamp is not None else ""
                seen.clear()  # identical messages at one time are told apart by their order
            kind = "message" if rec_kind is message_kind else kinds[rec_kind]
            call = rec.call
            text = rec.text
            basis = "\x00".join(
                (
                    fmt,
                    stamp_text,
                    rec.sender or "",
                    "|".join(rec.recipients) if rec.recipients else "",
                    kind,
                    text,
                    f"{call.type.value}/{call.duration_seconds}" if call else "",
                )
            )
            count = seen[basis] = seen_get(basis, 0) + 1
            if party == client_party and text:
                conversation.client(text, functools.partial(_where, rec, zone))
            flaggable = party == suspect_party and (kind in text_kinds or call is not None)
            if seq <= skip:
                if flaggable:
                    conversation.suspect(text if not call else "", day)
                continue
            # the same HMAC as Keyring.blind_index, in one call to OpenSSL
            fingerprint = digest(
                index_key, f"import_message\x00{basis}\x00{count}".encode(), "sha256"
            ).hex()[:32]
            messages.append(
                (
                    case_id,
                    job_id,
                    fingerprint,
                    seq,
                    kind,
                    party,
                    index,
                    stored_time,
                    stored_day,
                    seal_text(text) if text else "",
                    rec.line,
                    rec.offset,
                    seal_member(rec.path) if rec.path else "",
                    call.type.value if call else "",
                    call.duration_seconds if call else None,
                    min(len(rec.attachments), 32767),
                )
            )
            if flaggable:
                for hit in conversation.suspect(text if not call else "", day):
                    hits.append((len(messages) - 1, hit))
            if len(messages) >= BATCH:
                _flush(job, messages, hits, seq, compare=not fresh_case)
                messages, hits = [], []
                batches += 1
                if progress is not None:
                    progress(job)
                log.info("import %s checkpoint %s of %s", job.pk, seq, job.total)
                if stop_after is not None and batches >= stop_after:
                    return False
    _flush(job, messages, hits, seq, compare=not fresh_case)
    return True


class _Sealer:
    """``Keyring.encrypt`` for many values under one context, with one AES-GCM object instead of
    one per value; the same format (every value is read back through its field in the tests)."""

    NONCES = 4096  # nonces drawn from the operating system's CSPRNG in one read, not one each

    def __init__(self, ring: Any, context: str) -> None:
        self._aes = AESGCM(ring.data_keys[ring.active])
        self._prefix = f"{crypto.PREFIX}:{ring.active}:"
        self._context = context.encode("utf-8")
        self._pool = b""
        self._at = 0

    def __call__(self, text: str) -> str:
        at = self._at
        if at == len(self._pool):  # each value still gets its own fresh random 96-bit nonce
            self._pool = secrets.token_bytes(12 * self.NONCES)
            at = 0
        nonce = self._pool[at : at + 12]
        self._at = at + 12
        sealed = self._aes.encrypt(nonce, text.encode("utf-8"), self._context)
        return self._prefix + (nonce + sealed).hex()


class _Stamps:
    """What a record's time is stored as: (the stored time, the local day, the stored day).

    A wall-clock time without a zone is the service's own (``zone``). On SQLite (connection in
    UTC) a day whose UTC offset is the same at every hour is converted by subtracting that offset
    (the same result as ``astimezone``, without a zone look-up per record); a day the clocks change
    on, an aware time, or another database goes through the general conversion."""

    def __init__(self, zone: zoneinfo.ZoneInfo) -> None:
        self._zone = zone
        self._adapt = _time_adapter()
        self._adapt_day = connection.ops.adapt_datefield_value
        self._sqlite = self._adapt is _TIME_AS_TEXT
        self._days: dict[datetime.date, tuple[datetime.timedelta | None, Any]] = {}

    def __call__(self, stamp: datetime.datetime | None) -> tuple[Any, datetime.date | None, Any]:
        if stamp is None:
            return None, None, None
        if stamp.tzinfo is None and self._sqlite:
            day = stamp.date()
            known = self._days.get(day)
            if known is None:
                known = self._days[day] = (self._offset(day), self._adapt_day(day))
            offset, stored_day = known
            if offset is not None:
                return str(stamp - offset), day, stored_day
        when = _local_time(stamp, self._zone)
        local_day = when.date()
        return self._adapt(when), local_day, self._adapt_day(local_day)

    def _offset(self, day: datetime.date) -> datetime.timedelta | None:
        """The day's UTC offset if it is the same at every hour of the day (else None)."""
        if len(self._days) > 100_000:
            self._days.clear()
        start = datetime.datetime.combine(day, datetime.time(), tzinfo=self._zone)
        offsets = {start.replace(hour=hour).utcoffset() for hour in range(24)} | {
            start.replace(hour=23, minute=59, second=59).utcoffset()
        }
        return offsets.pop() if len(offsets) == 1 else None


def _local_time(stamp: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    if stamp.tzinfo is None:  # wall-clock time without a zone: the service's own
        return stamp.replace(tzinfo=zone)
    return stamp.astimezone(zone)


def _time_as_text(when: datetime.datetime) -> str:
    """What Django writes for an aware time on SQLite with its connection in UTC: ``str()`` of
    the naive UTC time."""
    return str(when.astimezone(datetime.UTC).replace(tzinfo=None))


_TIME_AS_TEXT = _time_as_text


def _time_adapter() -> Callable[[datetime.datetime], Any]:
    """What the database backend stores for an aware time. On SQLite with its connection in UTC
    (Django's default), the same text Django writes (``str()`` of the naive UTC time), without
    Django's per-call settings look-ups; anywhere else, Django's own adapter."""
    if connection.vendor == "sqlite" and settings.USE_TZ and connection.timezone == datetime.UTC:
        return _TIME_AS_TEXT
    return connection.ops.adapt_datetimefield_value


@contextlib.contextmanager
def _import_cache() -> Iterator[None]:
    """A larger SQLite page cache on this connection while an import writes (see BATCH)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(IMPORT_CACHE_KIB)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _where(rec: Record, zone: zoneinfo.ZoneInfo) -> str:
    parts = [rec.position]
    when = _local(rec, zone)
    if when is not None:
        parts.append(f"{when:%-d %b %Y %H:%M}")
    return ", ".join(parts)


_COLUMNS = (
    "case",
    "source",
    "fingerprint",
    "seq",
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
)


def _context(name: str) -> str:
    field = ImportedMessage._meta.get_field(name)
    assert isinstance(field, EncryptedTextField)
    return field.crypto_context


def _insert_sql() -> str:
    """One portable INSERT (SQLite and PostgreSQL); values are bound, and the encrypted columns
    arrive already encrypted with their own field's context."""
    meta = ImportedMessage._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in _COLUMNS]
    columns = ", ".join(quote(f.column) for f in fields if isinstance(f, models.Field))
    group = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {group}"  # noqa: S608


def _insert(rows: list[tuple[Any, ...]]) -> None:
    """The batch's rows into the messages table: ``COPY`` on PostgreSQL, ``executemany`` of the
    portable INSERT everywhere else. Both store the same values (the tests compare them row by
    row), in the caller's transaction, so a batch either commits whole or not at all.

    ``executemany``: on SQLite it stays in C. On PostgreSQL Django's client-side binding renders
    each row into a statement of its own, which the server parses and plans. Measured over a whole
    200,000-message import on PostgreSQL 15 (benchmarks/imports.py): 12.5 to 14.3 s of the
    server's CPU and 8.7 to 9.5 s of this process's with ``executemany``, 2.7 to 3.5 s and 4.3 to
    5.7 s with ``COPY`` in binary format (in text format the server needed about 10 % more).

    The rows go in fingerprint order: their random fingerprints then fill the unique index's
    pages one after another instead of each row landing on a page of its own. (Row ids follow;
    nothing reads the rows in id order: ``seq`` is the order in the file.)"""
    rows = sorted(rows, key=_by_fingerprint)
    with connection.cursor() as cursor:
        if _copies():
            _copy(cursor.cursor, rows)
        else:
            cursor.executemany(_insert_sql(), rows)


def _copies() -> bool:
    """Whether the rows go in with ``COPY`` (PostgreSQL) rather than the portable INSERT."""
    return connection.vendor == "postgresql"


def _copy(cursor: Any, rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL's ``COPY ... FROM STDIN`` in binary format through psycopg 3: no statement per
    row to parse and plan, values sent in the server's own binary form, rows stored in bulk. The
    same columns and values as the portable INSERT; every constraint, index and foreign key is
    checked as for an INSERT. An error (a refused row, a lost connection) raises here, and the
    caller's transaction rolls the whole batch back."""
    meta = ImportedMessage._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in _COLUMNS]
    columns = ", ".join(quote(f.column) for f in fields if isinstance(f, models.Field))
    # the column types psycopg sends each value as: the fields' own, without a length
    types = [
        str(f.db_type(connection)).split("(", 1)[0] for f in fields if isinstance(f, models.Field)
    ]
    sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN (FORMAT BINARY)"
    with connection.wrap_database_errors, cursor.copy(sql) as copy:
        copy.set_types(types)
        write = copy.write_row
        for row in rows:
            write(row)


_by_fingerprint = operator.itemgetter(2)


def _flush(
    job: EvidenceImport,
    messages: list[tuple[Any, ...]],
    hits: list[tuple[int, Hit]],
    seq: int,
    *,
    compare: bool = True,
) -> None:
    with transaction.atomic():
        _still_mine(job)
        held = (
            set(
                ImportedMessage.unscoped.filter(
                    case_id=job.case_id, fingerprint__in=[m[2] for m in messages]
                ).values_list("fingerprint", flat=True)
            )
            if messages and compare
            else set()
        )
        fresh = [m for m in messages if m[2] not in held]
        if fresh:
            _insert(fresh)
        # the flagged messages' ids, by fingerprint: the unique (case, fingerprint) index finds
        # each at once (by sequence number, the (import, day) index read every row stored so far)
        wanted = {messages[i][2] for i, _hit in hits if messages[i][2] not in held}
        ids = (
            dict(
                ImportedMessage.unscoped.filter(
                    case_id=job.case_id, fingerprint__in=wanted
                ).values_list("fingerprint", "pk")
            )
            if wanted
            else {}
        )
        flags = [
            MessageFlag(
                case_id=job.case_id,
                source_id=job.pk,
                message_id=ids[messages[i][2]],
                flag=hit.flag,
                rule=hit.rule[:80],
                words=hit.words[:500],
                why=hit.why[:300],
            )
            for i, hit in hits
            if messages[i][2] in ids
        ]
        MessageFlag.unscoped.bulk_create(flags, batch_size=1000)
        _still_mine(
            job,
            done=seq,
            added=job.added + len(fresh),
            already_held=job.already_held + len(messages) - len(fresh),
            flags=job.flags + len(flags),
        )


def _describe(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def finish(job: EvidenceImport) -> None:
    """One transaction: the suspect's messages grouped into diary entries (per day, messages and
    calls apart), each message linked to its entry; the import marked done."""
    suspects = ImportedMessage.unscoped.filter(
        source=job, party=ImportedMessage.Party.SUSPECT, day__isnull=False
    )
    call = Kind.CALL.value
    # One row per group (day, calls or not), counted and summed by the database: the messages
    # themselves are never read back (converting tens of thousands of rows was this step's cost).
    groups: dict[tuple[Any, bool], dict[str, Any]] = {
        (row["day"], row["is_call"]): row
        for row in suspects.order_by()
        .annotate(
            is_call=models.Case(
                models.When(kind=call, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )
        .values("day", "is_call")
        .annotate(
            first=Min("sent_at"),
            last=Max("sent_at"),
            count=Count("pk"),
            lines=Count("line", distinct=True),
            low=Min("line"),
            high=Max("line"),
            missed=Count("pk", filter=Q(call_type__in=MISSED_CALLS)),
            seconds=Sum("call_seconds"),
        )
    }
    channel = CHANNELS.get(job.format, job.format)
    email = job.format in ("mbox", "eml")
    with transaction.atomic():
        _still_mine(job)
        Case.unscoped.select_for_update().filter(pk=job.case_id).first()
        number = Incident.unscoped.filter(case_id=job.case_id).aggregate(n=Max("number"))["n"] or 0
        incidents, versions, keys = [], [], []
        for (day, is_call), group in sorted(groups.items()):
            number += 1
            start, end, count = group["first"], group["last"], group["count"]
            where = (
                f"lines {group['low']} to {group['high']}"
                if group["lines"] > 1
                else f"line {group['low']}"
                if group["lines"]
                else "positions listed on this entry"
            )
            if is_call:
                seconds = group["seconds"] or 0
                what = (
                    f"{_describe(count, 'call')} from or with the suspect ({channel}): "
                    f"{group['missed']} missed, rejected or to voicemail; {seconds // 60} min "
                    f"{seconds % 60} s in all. From exhibit {job.exhibit.ref}, {where}."
                )
                behaviours = ["calls"]
            else:
                what = (
                    f"{_describe(count, 'email' if email else 'message')} from the suspect "
                    f"({channel}), {timezone.localtime(start):%H:%M} to {timezone.localtime(end):%H:%M}. "
                    f"From exhibit {job.exhibit.ref}, {where}; each message is listed on this entry."
                )
                behaviours = ["emails_letters" if email else "messages"]
            incident = Incident(case_id=job.case_id, number=number, logged_by_id=job.created_by_id)
            incidents.append(incident)
            keys.append((day, is_call))
            versions.append(
                {
                    "number": 1,
                    "precision": IncidentVersion.Precision.RANGE
                    if count > 1
                    else IncidentVersion.Precision.EXACT,
                    "occurred_at": start,
                    "occurred_until": end if count > 1 else None,
                    "count": count,
                    "reporter": IncidentVersion.Reporter.ADVOCATE,
                    "behaviours": behaviours,
                    "suspect_id": job.suspect_id,
                    "what_happened": what,
                    "saved_by_id": job.created_by_id,
                }
            )
        Incident.unscoped.bulk_create(incidents, batch_size=500)
        IncidentVersion.unscoped.bulk_create(
            [IncidentVersion(incident=i, **v) for i, v in zip(incidents, versions, strict=True)],
            batch_size=500,
        )
        ImportedEntry.unscoped.bulk_create(
            [
                ImportedEntry(
                    case_id=job.case_id, source_id=job.pk, incident=incident, day=day, calls=calls
                )
                for incident, (day, calls) in zip(incidents, keys, strict=True)
            ],
            batch_size=500,
        )
        _still_mine(
            job,
            status=EvidenceImport.Status.DONE,
            entries=len(incidents),
            finished_at=timezone.now(),
            done=job.total or job.done,
        )
        record(
            actor=job.created_by,
            verb=AuditVerb.IMPORT_DONE,
            obj=job.case,
            payload={
                "import": str(job.public_id),
                "added": job.added,
                "already_held": job.already_held,
                "entries": len(incidents),
                "flags": job.flags,
                "first_entry": incidents[0].ref if incidents else "",
                "last_entry": incidents[-1].ref if incidents else "",
            },
        )
    log.info("import %s done: %s added, %s entries", job.pk, job.added, len(incidents))


def fail(job: EvidenceImport, reason: str) -> None:
    """Failed, with the reason; whatever the import had staged is deleted in the same transaction."""
    with transaction.atomic():
        current = EvidenceImport.unscoped.select_for_update().filter(pk=job.pk).first()
        if current is None or current.status == EvidenceImport.Status.DONE:
            return
        MessageFlag.unscoped.filter(source=job).delete()
        ImportedMessage.unscoped.filter(source=job).delete()  # no entries yet: made when done
        changes = {
            "status": EvidenceImport.Status.FAILED,
            "failure": reason,
            "finished_at": timezone.now(),
            "added": 0,
            "already_held": 0,
            "flags": 0,
        }
        EvidenceImport.unscoped.filter(pk=job.pk).update(**changes)
        for key, value in changes.items():
            setattr(job, key, value)
        record(
            actor=None,
            verb=AuditVerb.IMPORT_FAILED,
            obj=job.case,
            payload={"import": str(job.public_id), "stage": job.stage},
        )
    log.warning("import %s failed", job.pk)


def _alive(worker: str) -> bool | None:
    """Whether a worker on this machine is still running (None: on another machine, unknown)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_seconds() -> int:
    return int(getattr(settings, "HARBOUR_IMPORT_STALE_SECONDS", 120))


MAX_ATTEMPTS = 3


def recover_stale(now: datetime.datetime | None = None) -> list[int]:
    """Imports whose worker died (killed, machine lost): queued again from their checkpoint, or
    failed after ``MAX_ATTEMPTS`` tries. Run by every worker before it takes tasks."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=stale_seconds())
    resumed = []
    for job in EvidenceImport.unscoped.filter(
        status__in=[EvidenceImport.Status.SCANNING, EvidenceImport.Status.RUNNING]
    ).select_related("case"):
        alive = _alive(job.worker)
        if alive or (alive is None and job.heartbeat_at and job.heartbeat_at > cutoff):
            continue
        if job.attempts >= MAX_ATTEMPTS:
            fail(job, f"The import stopped {job.attempts} times without finishing.")
            continue
        with transaction.atomic():
            updated = EvidenceImport.unscoped.filter(
                pk=job.pk, status=job.status, worker=job.worker
            ).update(status=EvidenceImport.Status.QUEUED, worker="", resumed=job.resumed + 1)
            if not updated:
                continue
            record(
                actor=None,
                verb=AuditVerb.IMPORT_RESUMED,
                obj=job.case,
                payload={"import": str(job.public_id), "from_record": job.done, "stage": job.stage},
            )
            transaction.on_commit(lambda job=job: enqueue(job))  # type: ignore[misc]
        resumed.append(job.pk)
    return resumed


# --- reading and deciding ---------------------------------------------------------------------------


def decide_flag(flag: MessageFlag, *, confirm: bool, by: User, request: Any = None) -> None:
    with transaction.atomic():
        state = MessageFlag.State.CONFIRMED if confirm else MessageFlag.State.DISMISSED
        MessageFlag.unscoped.filter(pk=flag.pk).update(
            state=state, decided_by=by, decided_at=timezone.now()
        )
        flag.state = state
        record(
            actor=by,
            verb=AuditVerb.IMPORT_FLAG_CONFIRMED if confirm else AuditVerb.IMPORT_FLAG_DISMISSED,
            obj=flag,
            request=request,
            payload={"flag": flag.flag, "rule": flag.rule, "case": str(flag.case.public_id)},
        )


def confirmed_flags(case: Case) -> list[MessageFlag]:
    """What a bundle may carry: confirmed flags of finished imports, in time order."""
    flags = list(
        MessageFlag.unscoped.filter(
            case=case, state=MessageFlag.State.CONFIRMED, source__status=EvidenceImport.Status.DONE
        )
        .select_related("message", "source__exhibit", "decided_by")
        .order_by("message__sent_at", "message__seq")
    )
    attach_entries([f.message for f in flags])
    return flags


def attach_entries(messages: list[ImportedMessage]) -> None:
    """Set ``entry`` (the diary entry's Incident, or None) on each message, in one query."""
    sources = {m.source_id for m in messages}
    entries: dict[tuple[int, Any, bool], Incident] = {
        (e.source_id, e.day, e.calls): e.incident
        for e in ImportedEntry.unscoped.filter(source_id__in=sources).select_related("incident")
    }
    for m in messages:
        m.entry = (  # type: ignore[attr-defined]
            entries.get((m.source_id, m.day, m.kind == Kind.CALL.value))
            if m.party == ImportedMessage.Party.SUSPECT
            else None
        )
