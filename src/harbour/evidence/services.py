"""Named state changes for the diary, evidence files and consent; each writes its audit row in the
same transaction. Views call these, never raw saves.

Custody: every view, download, export and share of an evidence item is an audit event on that item
(object type ``evidence.evidenceitem``), and ``custody_for`` lists them on the item's page.

Why unscoped: every function here acts on a record its caller already holds, reached through an
access helper that asked the policy; the rule checks and writes must see the whole case (a record
another user added, a row the caller may not list), so they read through ``unscoped`` and never
return more than the caller was granted.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from harbour.accounts.models import Organisation, User
from harbour.audit.log import record
from harbour.audit.models import AuditEvent
from harbour.audit.verbs import AuditVerb
from harbour.cases.models import Case, Suspect
from harbour.core import policy
from harbour.core.crypto import keyring
from harbour.evidence import sealedfile
from harbour.evidence.filetypes import HEAD, FileType, detect
from harbour.evidence.models import (
    Bundle,
    BundleShare,
    EvidenceItem,
    Incident,
    IncidentVersion,
    PoliceSharingConsent,
)
from harbour.evidence.pattern import Fact


class EvidenceRuleError(ValueError):
    """A rule refused the change; the message is safe to show to staff."""


class ConsentRequired(EvidenceRuleError):
    pass


class StaleCorrection(EvidenceRuleError):
    pass


def evidence_storage() -> Storage:
    return storages["evidence"]


# --- consent to share with police ----------------------------------------------------------------


def current_consent(case: Case) -> PoliceSharingConsent | None:
    return (
        PoliceSharingConsent.unscoped.filter(case=case)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")
        .first()
    )


def record_police_consent(
    case: Case,
    *,
    state: str,
    how: str,
    decided_on: datetime.date,
    note: str = "",
    by: User,
    request: Any = None,
) -> PoliceSharingConsent:
    """Add the client's latest decision; earlier decisions stay as its history."""
    with transaction.atomic():
        consent = PoliceSharingConsent.unscoped.create(
            case=case, state=state, how=how, decided_on=decided_on, note=note, recorded_by=by
        )
        record(
            actor=by,
            verb=AuditVerb.EVIDENCE_POLICE_CONSENT_RECORDED,
            obj=case,
            request=request,
            payload={"state": state, "how": how, "record": str(consent.public_id)},
        )
    return consent


# --- the diary -----------------------------------------------------------------------------------

VERSION_FIELDS = (
    "precision",
    "occurred_at",
    "occurred_until",
    "time_known",
    "count",
    "reporter",
    "behaviours",
    "suspect",
    "location",
    "what_happened",
    "witnesses",
    "effects",
    "effect_notes",
    "breach",
    "reported_to_police",
    "police_reference",
)


def _check_content(case: Case, data: dict[str, Any]) -> None:
    if not data.get("behaviours"):
        raise EvidenceRuleError("Choose at least one behaviour the incident shows.")
    if int(data.get("count") or 0) < 1:
        raise EvidenceRuleError("How many times must be 1 or more.")
    suspect = data.get("suspect")
    if suspect is not None and suspect.case_id != case.pk:
        raise EvidenceRuleError("Choose a suspect recorded on this case.")
    until = data.get("occurred_until")
    if until is not None and until < data["occurred_at"]:
        raise EvidenceRuleError("The end of the period must be after its start.")


def log_incident(
    case: Case, *, by: User, data: dict[str, Any], request: Any = None, source: str = "full"
) -> Incident:
    """A new diary entry. ``logged_at`` is now, set here and never again."""
    _check_content(case, data)
    with transaction.atomic():
        # Lock the case row so two entries logged at once get different numbers.
        Case.unscoped.select_for_update().filter(pk=case.pk).first()
        number = (Incident.unscoped.filter(case=case).aggregate(n=Max("number"))["n"] or 0) + 1
        incident = Incident.unscoped.create(case=case, number=number, logged_by=by)
        IncidentVersion.unscoped.create(
            incident=incident, number=1, saved_by=by, **{k: data.get(k) for k in _present(data)}
        )
        record(
            actor=by,
            verb=AuditVerb.EVIDENCE_INCIDENT_LOGGED,
            obj=case,
            request=request,
            payload={
                "incident": str(incident.public_id),
                "behaviours": list(data["behaviours"]),
                "count": int(data.get("count") or 1),
                "entry": source,
            },
        )
    return incident


def _present(data: dict[str, Any]) -> list[str]:
    return [k for k in VERSION_FIELDS if k in data and data[k] is not None]


def correct_incident(
    incident: Incident,
    *,
    by: User,
    data: dict[str, Any],
    reason: str,
    based_on: int,
    request: Any = None,
) -> IncidentVersion:
    """Add a corrected version; the earlier ones stay exactly as they were."""
    if not reason.strip():
        raise EvidenceRuleError("Say why the entry is being corrected.")
    _check_content(incident.case, data)
    with transaction.atomic():
        locked = Incident.unscoped.select_for_update().get(pk=incident.pk)
        if locked.current_version != based_on:
            raise StaleCorrection(
                f"Someone corrected this entry since you opened it (now version "
                f"{locked.current_version}). Read their correction before adding yours."
            )
        number = locked.current_version + 1
        version = IncidentVersion.unscoped.create(
            incident=locked,
            number=number,
            saved_by=by,
            correction_reason=reason,
            **{k: data.get(k) for k in _present(data)},
        )
        locked.current_version = number
        locked.save(update_fields=["current_version"])
        incident.current_version = number
        changed = changed_fields(current_version_of(incident, number - 1), version)
        record(
            actor=by,
            verb=AuditVerb.EVIDENCE_INCIDENT_CORRECTED,
            obj=incident,
            request=request,
            payload={"version": number, "fields": changed},
        )
    return version


def current_version_of(incident: Incident, number: int | None = None) -> IncidentVersion:
    version: IncidentVersion = IncidentVersion.unscoped.select_related("suspect").get(
        incident=incident, number=number or incident.current_version
    )
    return version


def changed_fields(old: IncidentVersion, new: IncidentVersion) -> list[str]:
    before, after = old.snapshot(), new.snapshot()
    return [k for k in after if before.get(k) != after.get(k)]


def current_versions(case: Case) -> list[IncidentVersion]:
    """The version in force of every incident on the case, in the order things happened."""

    versions = list(
        IncidentVersion.unscoped.filter(incident__case=case, number=F("incident__current_version"))
        .select_related("incident", "suspect", "incident__logged_by")
        .order_by("occurred_at", "incident__number")
    )
    return versions


def facts(versions: list[IncidentVersion]) -> list[Fact]:
    return [
        Fact(
            ref=v.incident.ref,
            start=timezone.localtime(v.occurred_at).replace(tzinfo=None),
            behaviours=tuple(v.behaviours),
            count=v.count,
            suspect=v.suspect.display_name if v.suspect else "",
            effects=tuple(v.effects),
            breach=v.breach,
            reported_to_police=v.reported_to_police,
        )
        for v in versions
    ]


def suspects_of(case: Case) -> list[Suspect]:
    return list(Suspect.unscoped.filter(case=case).order_by("created_at"))


# --- evidence files ------------------------------------------------------------------------------


def max_upload_bytes() -> int:
    return int(settings.HARBOUR_EVIDENCE_MAX_MB) * 1024 * 1024


def _file_context(public_id: uuid.UUID, what: str = "original") -> str:
    return f"evidence.{what}:{public_id}"


class _HashingReader:
    def __init__(self, source: IO[bytes], limit: int) -> None:
        self.source = source
        self.hash = hashlib.sha256()
        self.size = 0
        self.limit = limit

    def read(self, n: int = -1) -> bytes:
        data = self.source.read(n)
        self.hash.update(data)
        self.size += len(data)
        if self.size > self.limit:
            raise EvidenceRuleError(
                f"The file is larger than {self.limit // (1024 * 1024)} MB, Harbour's limit."
            )
        return data


def seal_to_storage(source: IO[bytes], name: str, context: str, limit: int) -> _HashingReader:
    ring = keyring()
    reader = _HashingReader(source, limit)
    with tempfile.TemporaryFile() as sealed:
        sealedfile.seal_stream(
            reader,  # type: ignore[arg-type]  # reads like a file: read(n) is all it needs
            sealed,
            key=ring.data_keys[ring.active],
            version=ring.active,
            context=context,
        )
        sealed.seek(0)
        saved = evidence_storage().save(name, File(sealed, name=name))
    if saved != name:  # storage never renames a fresh uuid path; if it did, reading would break
        evidence_storage().delete(saved)
        raise EvidenceRuleError("The file store refused the file name.")
    return reader


def open_sealed(name: str, context: str) -> Iterator[bytes]:
    ring = keyring()
    with evidence_storage().open(name, "rb") as handle:
        yield from sealedfile.open_stream(handle, keys=ring.data_keys, context=context)


def store_evidence(
    case: Case,
    upload: Any,
    *,
    kind: str,
    description: str = "",
    incident: Incident | None = None,
    by: User,
    request: Any = None,
) -> EvidenceItem:
    """Store an uploaded file encrypted and unchanged, with its SHA-256 and content-decided type."""
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise EvidenceRuleError(
            f"The file is larger than {settings.HARBOUR_EVIDENCE_MAX_MB} MB, Harbour's limit."
        )
    if not upload.size:
        raise EvidenceRuleError("The file is empty.")
    if incident is not None and incident.case_id != case.pk:
        raise EvidenceRuleError("Choose an incident on this case.")
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    filetype = detect(head)
    if filetype is None:
        raise EvidenceRuleError(
            "Harbour cannot accept this type of file. Upload photos, screenshots, audio, video, "
            "PDF or Office documents, or exports (ZIP, JSON, XML or text)."
        )
    public_id = uuid.uuid4()
    stored_name = f"files/{public_id.hex[:2]}/{public_id}.sealed"
    reader = seal_to_storage(upload, stored_name, _file_context(public_id), limit)
    metadata: dict[str, Any] = {}
    preview_name = ""
    if filetype.is_image:
        upload.seek(0)
        metadata, preview = image_metadata_and_preview(upload)
        if preview is not None:
            preview_name = f"previews/{public_id.hex[:2]}/{public_id}.sealed"
            seal_to_storage(preview, preview_name, _file_context(public_id, "preview"), limit)
    try:
        with transaction.atomic():
            Case.unscoped.select_for_update().filter(pk=case.pk).first()
            number = (
                EvidenceItem.unscoped.filter(case=case).aggregate(n=Max("number"))["n"] or 0
            ) + 1
            item = EvidenceItem.unscoped.create(
                public_id=public_id,
                case=case,
                incident=incident,
                number=number,
                kind=kind,
                original_name=str(getattr(upload, "name", "") or "upload")[:255],
                description=description,
                media_type=filetype.media_type,
                extension=filetype.extension,
                size=reader.size,
                sha256=reader.hash.hexdigest(),
                stored_name=stored_name,
                preview_name=preview_name,
                metadata=json.dumps(metadata) if metadata else "",
                uploaded_by=by,
            )
            record(
                actor=by,
                verb=AuditVerb.EVIDENCE_UPLOADED,
                obj=item,
                request=request,
                payload={
                    "case": str(case.public_id),
                    "sha256": item.sha256,
                    "size": item.size,
                    "media_type": item.media_type,
                    "incident": str(incident.public_id) if incident else "",
                },
            )
    except Exception:
        for name in (stored_name, preview_name):
            if name:
                evidence_storage().delete(name)
        raise
    return item


def filetype_of(item: EvidenceItem) -> FileType:
    return FileType(item.media_type, item.extension, "")


def _ratio(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return 0.0


def _degrees(dms: Any, ref: Any) -> float | None:
    try:
        d, m, s = (_ratio(x) for x in dms)
    except (TypeError, ValueError):
        return None
    value = d + m / 60 + s / 3600
    return round(-value if str(ref).upper() in ("S", "W") else value, 6)


def image_metadata_and_preview(source: IO[bytes]) -> tuple[dict[str, Any], IO[bytes] | None]:
    """EXIF time, place and device (for staff: it can be evidence) and a preview without any of it."""

    meta: dict[str, Any] = {}
    try:
        with Image.open(source) as img:
            exif = img.getexif()
            base = dict(exif)
            sub = dict(exif.get_ifd(0x8769))
            gps = dict(exif.get_ifd(0x8825))
            taken = sub.get(0x9003) or base.get(0x0132)
            if taken:
                meta["taken_at"] = str(taken).strip("\x00 ")
            device = " ".join(str(base.get(t, "")).strip("\x00 ") for t in (0x010F, 0x0110))
            if device.strip():
                meta["device"] = device.strip()
            if gps.get(2) and gps.get(4):
                lat, lon = _degrees(gps[2], gps.get(1)), _degrees(gps[4], gps.get(3))
                if lat is not None and lon is not None:
                    meta["latitude"], meta["longitude"] = lat, lon
            meta["width"], meta["height"] = img.size
            img.thumbnail((1024, 1024))
            rgb = img.convert("RGB")
            out = io.BytesIO()
            rgb.save(out, "JPEG", quality=80)  # no exif= argument: the preview carries none
            out.seek(0)
            return meta, out
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return meta, None


def read_original(item: EvidenceItem) -> Iterator[bytes]:
    return open_sealed(item.stored_name, _file_context(item.public_id))


def read_preview(item: EvidenceItem) -> Iterator[bytes]:
    return open_sealed(item.preview_name, _file_context(item.public_id, "preview"))


def custody_for(item: EvidenceItem) -> list[dict[str, Any]]:
    """Every audited handling of the item (who, when, what), oldest first."""
    events = list(
        AuditEvent.objects.filter(
            object_type="evidence.evidenceitem", object_id=str(item.public_id)
        ).order_by("seq")
    )
    names = {
        u.pk: u for u in User.objects.filter(pk__in={e.actor_id for e in events if e.actor_id})
    }
    return [
        {
            "at": e.at,
            "who": names.get(e.actor_id) if e.actor_id else None,
            "what": CUSTODY_VERBS.get(e.verb, e.verb),
            "organisation": e.organisation_id,
            "seq": e.seq,
        }
        for e in events
    ]


CUSTODY_VERBS = {
    "evidence.uploaded": "Uploaded (SHA-256 taken)",
    "evidence.item_viewed": "Viewed the record",
    "evidence.preview_viewed": "Viewed the preview",
    "evidence.downloaded": "Downloaded the original",
    "evidence.exported": "Exported in a bundle",
    "evidence.shared": "Shared with police in a bundle",
    "evidence.bundle_downloaded": "Downloaded in a bundle",
}


def record_custody(
    items: list[EvidenceItem], *, verb: str, by: Any, request: Any, payload: dict[str, Any]
) -> None:
    for item in items:
        record(actor=by, verb=verb, obj=item, request=request, payload=payload)


# --- sharing bundles -----------------------------------------------------------------------------


def bundle_items(bundle: Bundle) -> list[EvidenceItem]:
    """The exhibits a bundle holds (those uploaded before it was produced)."""
    return list(
        EvidenceItem.unscoped.filter(
            case=bundle.case, uploaded_at__lte=bundle.produced_at
        ).order_by("number")
    )


def share_bundle(
    bundle: Bundle, organisation: Organisation, *, by: User, request: Any = None
) -> BundleShare:
    """Share with a police force: only with the client's consent to share with police in force."""
    if organisation.kind != Organisation.Kind.POLICE_FORCE or not organisation.is_active:
        raise EvidenceRuleError("Choose a police force.")
    if not policy.police_sharing_consent_given(bundle.case):
        record(
            actor=by,
            verb=AuditVerb.EVIDENCE_BUNDLE_SHARE_REFUSED,
            obj=bundle,
            request=request,
            payload={"reason": "no consent in force", "organisation": organisation.pk},
        )
        raise ConsentRequired(
            "The client has not given consent to share with police (or has withdrawn it). "
            "Record their consent on the bundles page first."
        )
    with transaction.atomic():
        # Checked again inside the transaction: a withdrawal recorded a moment ago wins.
        consent = current_consent(bundle.case)
        if consent is None or consent.state != PoliceSharingConsent.State.GIVEN:
            raise ConsentRequired("The client's consent to share with police was just withdrawn.")
        share = BundleShare.unscoped.create(
            bundle=bundle, organisation=organisation, consent=consent, shared_by=by
        )
        record(
            actor=by,
            verb=AuditVerb.EVIDENCE_BUNDLE_SHARED,
            obj=bundle,
            request=request,
            payload={"organisation": organisation.pk, "consent": str(consent.public_id)},
        )
        record_custody(
            bundle_items(bundle),
            verb=AuditVerb.EVIDENCE_SHARED,
            by=by,
            request=request,
            payload={"bundle": str(bundle.public_id), "organisation": organisation.pk},
        )
    return share


def read_bundle(bundle: Bundle) -> Iterator[bytes]:
    return open_sealed(bundle.stored_name, f"evidence.bundle:{bundle.public_id}")


def choices_of(model: Any, records: Iterable[Any] = ()) -> Any:
    """A queryset of exactly these records, for a form's choices (none by default).

    Unscoped on purpose: the records were returned by the case's access helper already; the form
    only needs them as a queryset to validate a posted choice against.
    """
    return model.unscoped.filter(pk__in=[record.pk for record in records])
