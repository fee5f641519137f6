"""Loading instrument files and recording assessments and MARAC referrals.

Why unscoped: every function here acts on a record its caller already holds, reached through an
access helper that asked the policy; the rule checks and writes must see the whole case (a record
another user added, a row the caller may not list), so they read through ``unscoped`` and never
return more than the caller was granted.
"""

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
from harbour.audit.verbs import AuditVerb
from harbour.cases.models import Case, RiskLevel
from harbour.risk.instrument import (
    Instrument,
    band_order,
    load_instrument,
    score,
    shipped_instruments,
)
from harbour.risk.models import (
    Assessment,
    InstrumentVersion,
    MaracReferral,
    RiskLevelChange,
    forum_for,
)


class RiskRuleError(ValueError):
    """A change of risk level the rules refuse (lowering without a reason, no change at all)."""


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
            verb=AuditVerb.RISK_INSTRUMENT_LOADED,
            obj=stored,
            payload={"slug": instrument.slug, "version": instrument.version},
            username="harbour instruments",
        )
    return stored, True


def ensure_shipped_instruments() -> None:
    """Store the instruments that ship with Harbour, if they are not stored yet. A newer shipped
    version retires the older one for new assessments; assessments made with it keep it."""
    for instrument in shipped_instruments():
        if not InstrumentVersion.objects.filter(
            slug=instrument.slug, version=instrument.version
        ).exists():
            _store_parsed(instrument)
            older = InstrumentVersion.objects.filter(
                slug=instrument.slug, organisation__isnull=True, active=True
            ).exclude(version=instrument.version)
            for version in older:
                if _version_key(version.version) < _version_key(instrument.version):
                    version.active = False
                    version.save(update_fields=["active"])


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
        assessment = Assessment.unscoped.create(
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
            floors=list(result.floors),
            complete=result.complete,
            review_on=review_on,
            assessed_by=by,
        )
        record(
            actor=by,
            verb=AuditVerb.RISK_ASSESSMENT_RECORDED,
            obj=case,
            request=request,
            payload={
                "assessment": str(assessment.public_id),
                "instrument": f"{instrument.slug}@{instrument.version}",
                "band": result.band,
                "overridden": result.overridden,
            },
        )
        level = band_level(instrument, result.band)
        if level >= current_level(case):
            _change_level(
                case,
                level,
                source=RiskLevelChange.Source.ASSESSMENT,
                by=by,
                assessment=assessment,
                request=request,
            )
    return assessment


# --- the level in force ----------------------------------------------------------------------------


def band_level(instrument: Instrument, band_id: str) -> RiskLevel:
    """The level an instrument's band means: by name where it uses standard, medium and high;
    otherwise by position (lowest band standard, highest high, any between medium)."""
    by_name = {"standard": RiskLevel.STANDARD, "medium": RiskLevel.MEDIUM, "high": RiskLevel.HIGH}
    if band_id in by_name and set(instrument.band_ids) <= set(by_name):
        return by_name[band_id]
    rank, top = band_order(instrument, band_id), len(instrument.bands) - 1
    if rank == 0:
        return RiskLevel.STANDARD
    return RiskLevel.HIGH if rank == top else RiskLevel.MEDIUM


def current_level(case: Case) -> RiskLevel:
    """The level in force, read from the database (never from a stale object)."""
    level = Case.unscoped.filter(pk=case.pk).values_list("risk_level", flat=True).get()
    return RiskLevel(level)


def _change_level(
    case: Case,
    level: RiskLevel,
    *,
    source: str,
    by: User | None,
    reason: str = "",
    assessment: Assessment | None = None,
    request: Any = None,
) -> RiskLevelChange:
    # Lock the case row so two changes at once cannot both read the old level.
    locked = Case.unscoped.select_for_update().get(pk=case.pk)
    change = RiskLevelChange.unscoped.create(
        case=locked,
        level=level,
        previous=locked.risk_level,
        source=source,
        assessment=assessment,
        reason=reason,
        decided_by=by,
    )
    Case.unscoped.filter(pk=case.pk).update(risk_level=level)
    case.risk_level = level
    record(
        actor=by,
        verb=AuditVerb.RISK_LEVEL_CHANGED,
        obj=case,
        request=request,
        payload={
            "change": str(change.public_id),
            "from": RiskLevel(locked.risk_level).slug,
            "to": RiskLevel(level).slug,
            "source": source,
        },
    )
    return change


def set_level_from_police(case: Case, police_level: str, *, by: User | None) -> None:
    """The police's grading on the referral is the level in force when the case opens, until an
    assessment says otherwise."""
    levels = {"standard": RiskLevel.STANDARD, "medium": RiskLevel.MEDIUM, "high": RiskLevel.HIGH}
    if police_level in levels:
        _change_level(case, levels[police_level], source=RiskLevelChange.Source.POLICE, by=by)


def decide_level(
    case: Case, level: RiskLevel, *, reason: str, by: User, request: Any = None
) -> RiskLevelChange:
    """A deliberate change of the level in force by the advocate or manager: the only way it
    ever goes down, and never without a reason."""
    with transaction.atomic():
        current = current_level(case)
        if level == current:
            raise RiskRuleError(f"The level in force is already {RiskLevel(level).label.lower()}")
        if level == RiskLevel.NOT_ASSESSED:
            raise RiskRuleError("Choose standard, medium or high")
        if not reason.strip():
            raise RiskRuleError("Enter why the level in force is changing")
        return _change_level(
            case,
            level,
            source=RiskLevelChange.Source.DECISION,
            by=by,
            reason=reason.strip(),
            request=request,
        )


def lower_assessment_than_in_force(case: Case) -> Assessment | None:
    """The latest assessment, when its band is below the level in force (the page says so)."""
    latest = Assessment.unscoped.filter(case=case).select_related("instrument_version").first()
    if latest is None:
        return None
    level = band_level(latest.instrument_version.instrument, latest.band)
    return latest if level < current_level(case) else None


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
        referral = MaracReferral.unscoped.create(
            case=case,
            forum=forum_for(case),
            assessment=assessment,
            reason=reason,
            referred_on=referred_on,
            created_by=by,
        )
        record(
            actor=by,
            verb=AuditVerb.RISK_MARAC_REFERRED,
            obj=case,
            request=request,
            payload={"marac": str(referral.public_id), "forum": referral.forum},
        )
    return referral
