"""Loading instrument files and recording assessments and MARAC referrals."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from django.db import transaction
from django.db.models import Q

from harbour.accounts.models import Organisation, User
from harbour.audit.log import record
from harbour.cases.models import Case
from harbour.risk.instrument import Instrument, load_instrument, score, shipped_instruments
from harbour.risk.models import Assessment, InstrumentVersion, MaracReferral


class InstrumentConflict(ValueError):
    """A file reuses a loaded slug and version with different content."""


def store_instrument(
    text: str | bytes, *, organisation: Organisation | None = None, by: User | None = None
) -> tuple[InstrumentVersion, bool]:
    """Validate and store an instrument file; (stored version, created?). Idempotent per digest."""
    instrument = load_instrument(text)
    source = text.decode("utf-8-sig") if isinstance(text, bytes | bytearray) else text
    with transaction.atomic():
        existing = InstrumentVersion.objects.filter(
            slug=instrument.slug, version=instrument.version
        ).first()
        if existing is not None:
            if existing.digest != instrument.digest:
                raise InstrumentConflict(
                    f"{instrument.slug} {instrument.version} is already loaded with different "
                    "content: give the changed file a new version number"
                )
            return existing, False
        stored = InstrumentVersion.objects.create(
            slug=instrument.slug,
            version=instrument.version,
            name=instrument.name,
            digest=instrument.digest,
            source=source,
            organisation=organisation,
        )
        record(
            actor=by,
            verb="risk.instrument_loaded",
            obj=stored,
            payload={"slug": instrument.slug, "version": instrument.version},
            username="harbour instruments",
        )
    return stored, True


def ensure_shipped_instruments() -> None:
    """Store the instruments that ship with Harbour, if they are not stored yet."""
    for instrument in shipped_instruments():
        if not InstrumentVersion.objects.filter(
            slug=instrument.slug, version=instrument.version
        ).exists():
            _store_parsed(instrument)


def _store_parsed(instrument: Instrument) -> None:
    folder = resources.files("harbour.risk").joinpath("instruments")
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            data = entry.read_bytes()
            if load_instrument(data).key == instrument.key:
                store_instrument(data)
                return


def instruments_for(user: Any) -> list[InstrumentVersion]:
    """Active instrument versions this user's organisation may use, newest version first."""
    ensure_shipped_instruments()
    qs = InstrumentVersion.objects.filter(active=True).filter(
        Q(organisation__isnull=True) | Q(organisation_id=getattr(user, "organisation_id", None))
    )
    return sorted(qs, key=lambda v: (v.name, _version_key(v.version)), reverse=False)


def _version_key(version: str) -> tuple[int, ...]:
    core = version.split("-", 1)[0].split("+", 1)[0]
    return tuple(int(part) for part in core.split("."))


def record_assessment(
    case: Case,
    *,
    instrument_version: InstrumentVersion,
    answers: Mapping[str, Any],
    by: User,
    override_band: str | None = None,
    override_reason: str = "",
    review_on: datetime.date | None = None,
    request: Any = None,
) -> Assessment:
    """Score and store an assessment. Overrides raise, never lower (OverrideError otherwise)."""
    instrument = instrument_version.instrument
    clean = {k: v for k, v in answers.items() if v not in (None, "")}
    result = score(
        instrument,
        clean,
        override_band=override_band or None,
        override_reason=(override_reason or None) if override_band else None,
    )
    with transaction.atomic():
        assessment = Assessment.objects_base.create(
            case=case,
            instrument_version=instrument_version,
            answers_json=json.dumps(clean, sort_keys=True),
            score=result.score,
            computed_band=result.computed_band,
            override_band=result.band if result.overridden else "",
            override_reason=result.override_reason or "",
            band=result.band,
            band_label=instrument.band(result.band).label,
            triggers=list(result.triggers),
            complete=result.complete,
            review_on=review_on,
            assessed_by=by,
        )
        record(
            actor=by,
            verb="risk.assessment_recorded",
            obj=case,
            request=request,
            payload={
                "assessment": str(assessment.public_id),
                "instrument": f"{instrument.slug}@{instrument.version}",
                "band": result.band,
                "overridden": result.overridden,
            },
        )
    return assessment


def refer_to_marac(
    case: Case,
    *,
    by: User,
    reason: str,
    referred_on: datetime.date,
    assessment: Assessment | None = None,
    request: Any = None,
) -> MaracReferral:
    with transaction.atomic():
        referral = MaracReferral.objects_base.create(
            case=case, assessment=assessment, reason=reason, referred_on=referred_on, created_by=by
        )
        record(
            actor=by,
            verb="risk.marac_referred",
            obj=case,
            request=request,
            payload={"marac": str(referral.public_id)},
        )
    return referral
