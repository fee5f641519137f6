"""Produce an evidence bundle: the PDF (WeasyPrint) and the ZIP with originals and manifests.

The ZIP is built in a temporary file, exhibits streamed into it from their encrypted originals (each
hash checked again on the way: a stored file that no longer matches its upload hash stops the
bundle), then the whole ZIP is sealed into evidence storage. Nothing is held whole in memory except
the PDF.

Why unscoped: a bundle is produced for a case whose access and consent ``evidence.services``
checked before it called this module.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from harbour.accounts.models import User
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.cases.models import Case
from harbour.evidence import manifest, pattern, pdfparts
from harbour.evidence.models import Bundle, EvidenceItem, IncidentVersion
from harbour.evidence.services import (
    EvidenceRuleError,
    current_versions,
    evidence_storage,
    facts,
    read_original,
    record_custody,
    seal_to_storage,
)
from harbour.imports.flagging import default_ruleset
from harbour.imports.services import confirmed_flags

PDF_TEMPLATE = "evidence/bundle_pdf.html"
CHRONOLOGY_CHUNK = 40  # rows per table: short tables lay out fast and never split a row


@dataclass
class PatternView:
    """Everything the pattern page and the PDF show, computed once."""

    facts: list[pattern.Fact]
    summary: pattern.Summary
    signals: list[pattern.Signal]
    prompts: list[pattern.Prompt]
    by_behaviour: pattern.Matrix
    by_suspect: pattern.Matrix
    behaviour_svg: str
    suspect_svg: str


def pattern_view(versions: list[IncidentVersion], *, as_of: datetime.date) -> PatternView:
    found = facts(versions)
    by_behaviour = pattern.weekly_by_behaviour(found)
    by_suspect = pattern.weekly_by_suspect(found)
    return PatternView(
        facts=found,
        summary=pattern.course_of_conduct(found),
        signals=pattern.escalation_signals(found, as_of=as_of),
        prompts=pattern.four_prompts(found),
        by_behaviour=by_behaviour,
        by_suspect=by_suspect,
        behaviour_svg=pattern.matrix_svg(
            by_behaviour, title="Acts per week by behaviour", svg_id="chart-behaviour"
        ),
        suspect_svg=pattern.matrix_svg(
            by_suspect, title="Acts per week by suspect", svg_id="chart-suspect"
        ),
    )


def _local(value: datetime.datetime) -> str:
    return f"{timezone.localtime(value):%-d %b %Y %H:%M}"


def chronology_rows(
    versions: list[IncidentVersion], items: list[EvidenceItem]
) -> list[dict[str, Any]]:
    exhibits: dict[int, list[str]] = {}
    for item in items:
        if item.incident_id:
            exhibits.setdefault(item.incident_id, []).append(item.ref)
    rows = []
    for v in versions:
        rows.append(
            {
                "ref": v.incident.ref,
                "when": v.when_text(),
                "logged": _local(v.incident.logged_at),
                "count": v.count,
                "behaviours": "; ".join(v.behaviour_labels()),
                "suspect": v.suspect.display_name if v.suspect else "",
                "where": v.location,
                "what": v.what_happened,
                "witnesses": v.witnesses,
                "effects": "; ".join(v.effect_labels()),
                "breach": "yes" if v.breach else "",
                "police": (v.police_reference or "reported") if v.reported_to_police else "",
                "exhibits": ", ".join(exhibits.get(v.incident_id, [])),
                "version": v.number,
                "corrected": _local(v.saved_at) if v.number > 1 else "",
                "reason": v.correction_reason if v.number > 1 else "",
                "reporter": v.get_reporter_display(),
            }
        )
        row = rows[-1]
        row["summary"] = (
            f"{v.count} \u00d7 {row['behaviours']}"
            + (f" by {row['suspect']}" if row["suspect"] else "")
            + (f", {row['where']}" if row["where"] else "")
            + "."
        )
        notes = [row["effects"]] if row["effects"] else []
        if v.breach:
            notes.append("breach of an order")
        if row["police"]:
            notes.append(f"Police: {row['police']}")
        if row["exhibits"]:
            notes.append(f"Exhibits: {row['exhibits']}")
        row["notes"] = "; ".join(notes)
    return rows


CSV_COLUMNS = (
    ("ref", "Entry"),
    ("when", "When it happened"),
    ("logged", "Logged in Harbour"),
    ("count", "Times"),
    ("behaviours", "Behaviours"),
    ("suspect", "Suspect"),
    ("where", "Where"),
    ("what", "What happened"),
    ("witnesses", "Witnesses"),
    ("effects", "Effect on the client"),
    ("breach", "Breach"),
    ("police", "Police reference"),
    ("exhibits", "Exhibits"),
    ("version", "Version"),
    ("corrected", "Corrected at"),
    ("reason", "Reason for correction"),
)


def chronology_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([label for _k, label in CSV_COLUMNS])
    for row in rows:
        writer.writerow([row[k] for k, _l in CSV_COLUMNS])
    return out.getvalue().encode("utf-8")


FLAG_COLUMNS = (
    "Sent",
    "Flag",
    "Message",
    "Words that raised it",
    "Rule",
    "Exhibit",
    "Where in it",
    "Diary entry",
    "Confirmed by",
    "Confirmed at",
)


def flagged_rows(case: Case) -> list[dict[str, Any]]:
    """The suspect's messages whose flags the advocate confirmed (never unreviewed or dismissed)."""

    labels = default_ruleset().flags
    return [
        {
            "sent": _local(f.message.sent_at) if f.message.sent_at else "",
            "flag": labels[f.flag].label if f.flag in labels else f.flag,
            "text": f.message.text,
            "words": f.words,
            "rule": f"{f.rule}: {f.why}",
            "exhibit": f.source.exhibit.ref,
            "where": f.message.position,
            "entry": entry.ref if (entry := getattr(f.message, "entry", None)) else "",
            "by": f.decided_by.get_full_name() or f.decided_by.username if f.decided_by else "",
            "at": _local(f.decided_at) if f.decided_at else "",
        }
        for f in confirmed_flags(case)
    ]


def flagged_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FLAG_COLUMNS)
    for row in rows:
        writer.writerow(row.values())
    return out.getvalue().encode("utf-8")


def _hash_groups(digest: str) -> str:
    return " ".join(digest[i : i + 8] for i in range(0, len(digest), 8))


def render_pdf(context: dict[str, Any]) -> tuple[bytes, int]:
    """The bundle PDF (tagged, PDF/UA-1) and its page count.

    A long chronology is drawn in two halves at once, one per core, and joined
    (``harbour.evidence.pdfparts`` says how and why); a short one in one go.
    """
    chunks = context["chunks"]
    entries = sum(len(chunk) for chunk in chunks)
    if (
        entries < settings.HARBOUR_BUNDLE_TWO_PROCESSES_FROM
        or len(chunks) < 2
        or (os.cpu_count() or 1) < 2
    ):
        html = render_to_string(PDF_TEMPLATE, {**context, "part": "whole", "page_numbers": True})
        return pdfparts.render_tagged(html)
    half = len(chunks) // 2
    first, second = (
        render_to_string(PDF_TEMPLATE, {**context, "part": part, "chunks": rows})
        for part, rows in (("first", chunks[:half]), ("second", chunks[half:]))
    )
    (first_pdf, first_pages), (second_pdf, second_pages) = pdfparts.render_halves(first, second)
    joined = pdfparts.join(first_pdf, second_pdf)
    pages = first_pages + second_pages
    stamps = pdfparts.render_untagged(
        render_to_string("evidence/bundle_page_numbers.html", {"pages": range(pages)})
    )
    pdfparts.stamp_page_numbers(joined, stamps)
    return pdfparts.to_bytes(joined), pages


def produce_bundle(case: Case, *, by: User, request: Any = None) -> Bundle:
    versions = current_versions(case)
    items = list(
        EvidenceItem.unscoped.filter(case=case)
        .select_related("uploaded_by", "incident")
        .order_by("number")
    )
    if not versions and not items:
        raise EvidenceRuleError("There is nothing to put in a bundle yet: log an incident first.")
    produced_at = timezone.now()
    public_id = uuid.uuid4()
    number = (Bundle.unscoped.filter(case=case).aggregate(n=Max("number"))["n"] or 0) + 1
    ref = f"B{number:02d}"
    view = pattern_view(versions, as_of=timezone.localdate())
    rows = chronology_rows(versions, items)
    flagged = flagged_rows(case)
    stored_name = f"bundles/{public_id.hex[:2]}/{public_id}.sealed"
    producer = by.get_full_name() or by.username
    with tempfile.TemporaryFile() as zip_tmp:
        entries: list[manifest.Entry] = []
        with zipfile.ZipFile(zip_tmp, "w", allowZip64=True) as zf:
            data = chronology_csv(rows)
            zf.writestr(
                zipfile.ZipInfo("chronology.csv", _zip_time(produced_at)),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )
            entries.append(manifest.Entry("chronology.csv", len(data), manifest.sha256_bytes(data)))
            if flagged:
                data = flagged_csv(flagged)
                zf.writestr(
                    zipfile.ZipInfo("flagged-messages.csv", _zip_time(produced_at)),
                    data,
                    compress_type=zipfile.ZIP_DEFLATED,
                )
                entries.append(
                    manifest.Entry("flagged-messages.csv", len(data), manifest.sha256_bytes(data))
                )
            exhibit_paths: dict[int, str] = {}
            for item in items:
                path = f"exhibits/{item.download_name}"
                info = zipfile.ZipInfo(path, _zip_time(item.uploaded_at))
                info.compress_type = zipfile.ZIP_STORED
                with zf.open(info, "w", force_zip64=item.size > 2**31) as out:
                    writer = manifest.HashingWriter(out)
                    for chunk in read_original(item):
                        writer.write(chunk)
                digest = writer.hash.hexdigest()
                if digest != item.sha256 or writer.size != item.size:
                    raise EvidenceRuleError(
                        f"Exhibit {item.ref} no longer matches the hash taken at upload; the "
                        "bundle was not produced. Tell your manager."
                    )
                entries.append(manifest.Entry(path, item.size, digest))
                exhibit_paths[item.pk] = path
            meta = {
                "bundle": str(public_id),
                "case": case.reference,
                "reference": ref,
                "produced_at": produced_at.isoformat(timespec="seconds"),
                "produced_by": producer,
                "organisation": case.organisation.name,
                "incidents": len(versions),
                "exhibits": len(items),
            }
            manifest_json = manifest.manifest_json(entries, meta)
            manifest_sha = manifest.sha256_bytes(manifest_json)
            pdf, pages = render_pdf(
                {
                    "case": case,
                    "client": case.client,
                    "ref": ref,
                    "produced_at": produced_at,
                    "producer": producer,
                    "organisation": case.organisation,
                    "manifest_sha256": manifest_sha,
                    "manifest_groups": _hash_groups(manifest_sha),
                    "view": view,
                    "chunks": [
                        rows[i : i + CHRONOLOGY_CHUNK]
                        for i in range(0, len(rows), CHRONOLOGY_CHUNK)
                    ],
                    "rows": rows,
                    "flagged": flagged,
                    "items": [
                        {"item": item, "path": exhibit_paths[item.pk], "sha": item.sha256}
                        for item in items
                    ],
                }
            )
            pdf_sha = manifest.sha256_bytes(pdf)
            for name, body, method in (
                (manifest.PDF_NAME, pdf, zipfile.ZIP_STORED),
                (manifest.MANIFEST_JSON, manifest_json, zipfile.ZIP_DEFLATED),
                (manifest.MANIFEST_CSV, manifest.manifest_csv(entries), zipfile.ZIP_DEFLATED),
                (manifest.SEAL, manifest.seal_json(manifest_sha, pdf_sha), zipfile.ZIP_DEFLATED),
            ):
                zf.writestr(
                    zipfile.ZipInfo(name, _zip_time(produced_at)), body, compress_type=method
                )
        zip_tmp.seek(0)
        reader = seal_to_storage(zip_tmp, stored_name, f"evidence.bundle:{public_id}", limit=2**62)
    try:
        with transaction.atomic():
            bundle = Bundle.unscoped.create(
                public_id=public_id,
                case=case,
                number=number,
                produced_at=produced_at,
                produced_by=by,
                incidents=len(versions),
                exhibits=len(items),
                manifest_sha256=manifest_sha,
                pdf_sha256=pdf_sha,
                zip_sha256=reader.hash.hexdigest(),
                zip_size=reader.size,
                pdf_pages=pages,
                stored_name=stored_name,
            )
            record(
                actor=by,
                verb=AuditVerb.EVIDENCE_BUNDLE_PRODUCED,
                obj=case,
                request=request,
                payload={
                    "bundle": str(public_id),
                    "manifest_sha256": manifest_sha,
                    "incidents": len(versions),
                    "exhibits": len(items),
                },
            )
            record_custody(
                items,
                verb=AuditVerb.EVIDENCE_EXPORTED,
                by=by,
                request=request,
                payload={"bundle": str(public_id)},
            )
    except Exception as exc:
        evidence_storage().delete(stored_name)
        if isinstance(exc, IntegrityError):
            raise EvidenceRuleError(
                "Someone produced a bundle for this case at the same moment; produce it again."
            ) from None
        raise
    return bundle


def _zip_time(value: datetime.datetime) -> tuple[int, int, int, int, int, int]:
    local = timezone.localtime(value)
    return (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)
