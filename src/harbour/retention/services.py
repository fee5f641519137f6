"""Retention, erasure and subject access: named operations, each audited in its own transaction.

Erasure anonymises rather than deletes rows: every identifying field and every piece of free text
(the encrypted fields) and every blind index is emptied, and the record's evidence files are deleted
from storage. What stays is what the figures are made of (dates, source, status, risk level,
outcomes, counts), so totals a commissioner has already been given stay true, and the audit trail
of who saw the record stays whole (it never held the record's content).

Why unscoped: retention runs as a scheduled job with no user, and erasure and subject access act on
one case whose manager the view or command has already checked; both must reach every row under the
case, whoever added it.
"""

from __future__ import annotations

import datetime
import html
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.files.storage import storages
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone

from harbour.audit.log import record
from harbour.audit.models import AuditEvent
from harbour.audit.verbs import AuditVerb, label_of
from harbour.cases.models import Case, Client
from harbour.chat.models import Chat
from harbour.chat.services import delete_text
from harbour.core.fields import BlindIndexField
from harbour.referrals.models import Referral
from harbour.retention.models import Erasure
from harbour.retention.policy_rules import Rule
from harbour.retention.records import anonymise, rows_about

SYSTEM = "harbour retention"
#: Fields that name a file in the evidence storage (evidence items, previews, bundles).
STORAGE_NAME_FIELDS = ("stored_name", "preview_name")
UNACCEPTED = (
    Referral.Status.DECLINED,
    Referral.Status.SIGNPOSTED,
    Referral.Status.UNABLE_TO_CONTACT,
    Referral.Status.MERGED,
)


class ErasureRefused(Exception):
    """The law or the record's state says it must be kept; the message says why."""


def _not_erased(qs: models.QuerySet[Any], label: str) -> models.QuerySet[Any]:
    return qs.exclude(Exists(Erasure.objects.filter(object_type=label, object_pk=OuterRef("pk"))))


def is_erased(obj: models.Model) -> bool:
    return Erasure.objects.filter(object_type=obj._meta.label_lower, object_pk=obj.pk).exists()


def why_case_must_be_kept(case: Case) -> str | None:
    """The reason a case cannot be erased now, or None. Support still going on is the one reason
    Harbour knows itself; docs/retention.md lists what a manager must check before erasing."""
    if case.status != Case.Status.CLOSED:
        return (
            "The case is not closed. Support is still being given (or closure awaits sign-off): "
            "close the case first."
        )
    if is_erased(case):
        return "The case has already been erased."
    return None


def _storage_names(rows: models.QuerySet[Any]) -> list[str]:
    names = [f for f in STORAGE_NAME_FIELDS if any(x.name == f for x in rows.model._meta.fields)]
    if not names:
        return []
    return [n for values in rows.values_list(*names) for n in values if n]


def _anonymise_tree(root: type[models.Model], pks: list[int], counts: dict[str, int]) -> list[str]:
    files: list[str] = []
    for model, rows in rows_about(root, pks):
        files += _storage_names(rows)
        if n := anonymise(rows):
            counts[model._meta.label_lower] = counts.get(model._meta.label_lower, 0) + n
    return files


def _delete_files_after_commit(files: list[str]) -> None:
    def delete() -> None:
        storage = storages["evidence"]
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete)


def erase_case(
    case: Case,
    *,
    ground: str,
    rule: str = "",
    by: Any = None,
    request: HttpRequest | None = None,
) -> dict[str, int]:
    """Anonymise a closed case and everything held under it; the client too when this was their
    last case not yet erased. Returns rows emptied per model (audited, no content)."""
    with transaction.atomic():
        locked = Case.unscoped.select_for_update().get(pk=case.pk)
        reason = why_case_must_be_kept(locked)
        if reason:
            raise ErasureRefused(reason)
        counts: dict[str, int] = {}
        files = _anonymise_tree(Case, [locked.pk], counts)
        counts["cases.case"] = anonymise(Case.unscoped.filter(pk=locked.pk))
        others = _not_erased(
            Case.unscoped.filter(client_id=locked.client_id).exclude(pk=locked.pk), "cases.case"
        )
        if not others.exists():
            counts["cases.client"] = anonymise(Client.unscoped.filter(pk=locked.client_id))
        Erasure.objects.create(
            object_type="cases.case",
            object_pk=locked.pk,
            object_id=locked.audit_id,
            ground=ground,
            rule=rule,
            erased_by_id=getattr(by, "pk", None),
            counts={**counts, "files": len(files)},
        )
        record(
            actor=by,
            username="" if by else SYSTEM,
            verb=AuditVerb.RECORD_ERASED,
            obj=locked,
            payload={"ground": ground, "rule": rule, "rows": counts, "files": len(files)},
            request=request,
        )
        _delete_files_after_commit(files)
    return counts


def erase_referral(referral: Referral, *, ground: str, rule: str = "", by: Any = None) -> int:
    """Anonymise a referral that never became a case (and chats that led to it)."""
    with transaction.atomic():
        locked = Referral.unscoped.select_for_update().get(pk=referral.pk)
        if locked.case_id is not None:
            raise ErasureRefused("The referral became a case: erase the case instead.")
        if is_erased(locked):
            raise ErasureRefused("The referral has already been erased.")
        counts: dict[str, int] = {}
        files = _anonymise_tree(Referral, [locked.pk], counts)
        counts["referrals.referral"] = anonymise(Referral.unscoped.filter(pk=locked.pk))
        Erasure.objects.create(
            object_type="referrals.referral",
            object_pk=locked.pk,
            object_id=str(locked.public_id),
            ground=ground,
            rule=rule,
            erased_by_id=getattr(by, "pk", None),
            counts=counts,
        )
        record(
            actor=by,
            username="" if by else SYSTEM,
            verb=AuditVerb.RECORD_ERASED,
            obj=locked,
            object_id=str(locked.public_id),
            payload={"ground": ground, "rule": rule, "rows": counts},
        )
        _delete_files_after_commit(files)
    return sum(counts.values())


# --- retention ---------------------------------------------------------------------------------


def due(rule: Rule, now: datetime.datetime) -> models.QuerySet[Any]:
    """The records ``rule`` says are past their time and not yet dealt with."""
    cutoff = now - rule.keep
    if rule.record == "closed_case":
        return _not_erased(
            Case.unscoped.filter(status=Case.Status.CLOSED, closed_at__lt=cutoff), "cases.case"
        ).order_by("closed_at", "pk")
    if rule.record == "unaccepted_referral":
        return _not_erased(
            Referral.unscoped.filter(
                case__isnull=True, status__in=UNACCEPTED, outcome_at__lt=cutoff
            ),
            "referrals.referral",
        ).order_by("outcome_at", "pk")
    if rule.record == "unconverted_chat":
        return (
            Chat.unscoped.filter(
                status=Chat.Status.ENDED, ended_at__lt=cutoff, text_deleted_at__isnull=True
            )
            .exclude(outcome=Chat.Outcome.CONVERTED)
            .order_by("ended_at", "pk")
        )
    raise ValueError(rule.record)


@dataclass
class RuleRun:
    rule: Rule
    due: int
    done: int = 0
    refused: list[str] = field(default_factory=list)


def apply_rule(rule: Rule, now: datetime.datetime, *, dry_run: bool) -> RuleRun:
    """Deal with every record ``rule`` says is due, each in its own transaction (an interrupted run
    leaves whole records done or untouched; running again finishes the rest)."""
    queryset = due(rule, now)
    run = RuleRun(rule=rule, due=queryset.count())
    if dry_run:
        return run
    name = f"{rule.record} ({rule.keep_text})"
    for obj in queryset.iterator(chunk_size=200):
        try:
            if isinstance(obj, Case):
                erase_case(obj, ground=Erasure.Ground.RETENTION, rule=name)
            elif isinstance(obj, Referral):
                erase_referral(obj, ground=Erasure.Ground.RETENTION, rule=name)
            else:
                delete_text(obj)
        except ErasureRefused as exc:
            run.refused.append(f"{obj}: {exc}")
            continue
        run.done += 1
    return run


# --- subject access ----------------------------------------------------------------------------


def _value(row: models.Model, f: models.Field[Any, Any]) -> Any:
    value = getattr(row, f.attname)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return value if isinstance(value, list | dict) else str(value)


def _rows(rows: models.QuerySet[Any]) -> list[dict[str, Any]]:
    fields = [f for f in rows.model._meta.concrete_fields if not isinstance(f, BlindIndexField)]
    return [{f.verbose_name: _value(row, f) for f in fields} for row in rows]


def held_about(client: Client) -> Iterator[tuple[type[models.Model], models.QuerySet[Any]]]:
    """Every row held about a client: the client, their cases and all under them, their referrals
    and chats (models leading to the client through any chain of foreign keys)."""
    yield Client, Client.unscoped.filter(pk=client.pk)
    yield from rows_about(Client, [client.pk])


def audit_of(held: list[tuple[type[models.Model], models.QuerySet[Any]]]) -> models.QuerySet[Any]:
    """Every audit event about any of these rows (who viewed or changed them, when, from where)."""
    condition = Q()
    for model, rows in held:
        ids = [str(getattr(r, "audit_id", r.pk)) for r in rows.only("pk", *_audit_fields(model))]
        if ids:
            condition |= Q(object_type=model._meta.label_lower, object_id__in=ids)
    if not condition:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(condition).order_by("seq")


def _audit_fields(model: type[models.Model]) -> list[str]:
    return ["public_id"] if any(f.name == "public_id" for f in model._meta.fields) else []


_STYLE = (
    "body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;"
    "margin-bottom:2em}td,th{border:1px solid #999;padding:.3em;text-align:left;"
    "vertical-align:top}th{background:#eee}"
)


def _html_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{html.escape(str(k))}</th>" for k in rows[0])
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in r.values())
        + "</tr>"
        for r in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def write_subject_access_archive(
    case: Case,
    target: IO[bytes],
    *,
    by: Any,
    request: HttpRequest | None = None,
) -> dict[str, int]:
    """Write a ZIP of everything held about this case's client: ``index.html`` (readable),
    ``data.json``, ``audit.html`` / ``audit.json`` (every view and change of their records: who,
    when, what, from where) and each evidence file's original under ``evidence/``."""
    from harbour.evidence.models import EvidenceItem
    from harbour.evidence.services import read_original

    client = Client.unscoped.get(pk=case.client_id)
    held = [(m, q) for m, q in held_about(client)]
    data = {str(m._meta.verbose_name_plural).capitalize(): _rows(q) for m, q in held}
    data = {k: v for k, v in data.items() if v}
    events = [
        {
            "When": e.at.isoformat(),
            "Who": e.actor_username or "(Harbour)",
            "What": label_of(e.verb),
            "Record": f"{e.object_type} {e.object_id}",
            "From address": e.ip_address or "",
        }
        for e in audit_of(held).iterator()
    ]
    counts = {"records": sum(len(v) for v in data.values()), "audit_events": len(events)}
    now = timezone.localtime().strftime("%d %B %Y %H:%M")
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        sections = "".join(
            f"<h2>{html.escape(name)} ({len(rows)})</h2>{_html_table(rows)}"
            for name, rows in data.items()
        )
        archive.writestr(
            "index.html",
            f"<!doctype html><html lang='en'><meta charset='utf-8'><title>Information held"
            f"</title><style>{_STYLE}</style><h1>Information held by the service</h1>"
            f"<p>Produced {now}. Who viewed or changed these records is in "
            f"<a href='audit.html'>audit.html</a>; evidence files are in the evidence "
            f"folder.</p>{sections}</html>",
        )
        archive.writestr("data.json", json.dumps(data, indent=1, default=str))
        archive.writestr(
            "audit.html",
            f"<!doctype html><html lang='en'><meta charset='utf-8'><title>Who viewed or changed "
            f"these records</title><style>{_STYLE}</style><h1>Who viewed or changed these "
            f"records</h1>{_html_table(events)}</html>",
        )
        archive.writestr("audit.json", json.dumps(events, indent=1))
        files = 0
        for model, rows in held:
            if model is not EvidenceItem:
                continue
            for item in rows:
                if not item.stored_name or is_erased_file(item):
                    continue
                with archive.open(f"evidence/{item.download_name}", "w") as out:
                    for chunk in read_original(item):
                        out.write(chunk)
                files += 1
        counts["evidence_files"] = files
        record(
            actor=by,
            username="" if by else SYSTEM,
            verb=AuditVerb.RECORD_SUBJECT_ACCESS_EXPORTED,
            obj=case,
            payload=counts,
            request=request,
        )
    return counts


def is_erased_file(item: Any) -> bool:
    return not storages["evidence"].exists(item.stored_name)
