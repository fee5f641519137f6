"""Named changes to coverage, each audited in its own transaction (the page and the CLI share them).

A district rule is stored as an ``accounts.ServiceArea`` (as before this app existed); every other
level as a ``CoverageRule``. One prefix has one provider: taking a prefix another provider holds is
refused, so two services cannot both believe they cover the same street.
"""

from __future__ import annotations

from django.db import transaction

from harbour.accounts.models import Organisation, ServiceArea, User
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.coverage.models import AuthorityProvider, CoverageRule, TriageTeam, UnroutedReferral
from harbour.coverage.routing import triage_team_for
from harbour.coverage.rules import BadPrefix, Level, parse_prefix


class CoverageError(ValueError):
    """A change that cannot be made; the message says why, in words for a person."""


def _require_provider(org: Organisation) -> None:
    if org.kind != Organisation.Kind.PROVIDER or not org.is_active:
        raise CoverageError("Only an active advocacy provider can cover postcodes")


def holder_of(prefix: str) -> Organisation | None:
    area = (
        ServiceArea.objects.select_related("organisation").filter(postcode_district=prefix).first()
    )
    if area:
        return area.organisation
    rule = CoverageRule.objects.select_related("organisation").filter(prefix=prefix).first()
    return rule.organisation if rule else None


def add_rule(
    raw: str,
    organisation: Organisation,
    *,
    by: User | None = None,
    note: str = "",
    username: str = "",
) -> tuple[str, Level]:
    """Say that ``organisation`` covers a postcode area, district, sector or full postcode."""
    try:
        prefix, level = parse_prefix(raw)
    except BadPrefix as exc:
        raise CoverageError(str(exc)) from exc
    _require_provider(organisation)
    with transaction.atomic():
        holder = holder_of(prefix)
        if holder == organisation:
            raise CoverageError(f"{organisation.label} already covers {prefix}")
        if holder is not None:
            raise CoverageError(f"{prefix} is covered by {holder.label}: they must remove it first")
        if level == Level.DISTRICT:
            ServiceArea.objects.create(
                organisation=organisation, postcode_district=prefix, label=note
            )
        else:
            CoverageRule.objects.create(
                organisation=organisation, prefix=prefix, level=level, note=note
            )
        record(
            actor=by,
            username=username,
            verb=AuditVerb.COVERAGE_RULE_ADDED,
            payload={"prefix": prefix, "level": level.value, "organisation": organisation.pk},
        )
    return prefix, level


def name_panel(organisation: Organisation, name: str, *, by: User) -> str:
    """Set what the provider's area calls its multi-agency stalking panel or clinic."""
    _require_provider(organisation)
    with transaction.atomic():
        organisation.panel_name = name.strip()
        organisation.save(update_fields=["panel_name"])
        record(
            actor=by,
            verb=AuditVerb.COVERAGE_PANEL_NAMED,
            payload={"organisation": organisation.pk, "panel_name": organisation.panel_name},
        )
    return organisation.panel_name


def remove_rule(
    raw: str,
    *,
    organisation: Organisation | None = None,
    by: User | None = None,
    username: str = "",
) -> str:
    """Remove a rule; with ``organisation``, only that provider's own rule."""
    try:
        prefix, _level = parse_prefix(raw)
    except BadPrefix as exc:
        raise CoverageError(str(exc)) from exc
    with transaction.atomic():
        holder = holder_of(prefix)
        if holder is None or (organisation is not None and holder != organisation):
            raise CoverageError(f"There is no rule for {prefix} to remove")
        ServiceArea.objects.filter(postcode_district=prefix).delete()
        CoverageRule.objects.filter(prefix=prefix).delete()
        record(
            actor=by,
            username=username,
            verb=AuditVerb.COVERAGE_RULE_REMOVED,
            payload={"prefix": prefix, "organisation": holder.pk},
        )
    return prefix


def map_authority(
    code: str, organisation: Organisation | None, *, name: str = "", username: str = ""
) -> None:
    """Say which provider covers a local authority (ONS code); ``None`` removes the mapping."""
    code = code.strip().upper()
    if len(code) != 9 or not code[0].isalpha() or not code[1:].isdigit():
        raise CoverageError(f"{code!r} is not an ONS local authority code (like E06000015)")
    with transaction.atomic():
        if organisation is None:
            AuthorityProvider.objects.filter(code=code).delete()
        else:
            _require_provider(organisation)
            AuthorityProvider.objects.update_or_create(
                code=code, defaults={"organisation": organisation, "name": name}
            )
        record(
            actor=None,
            username=username,
            verb=AuditVerb.COVERAGE_AUTHORITY_MAPPED,
            payload={"code": code, "organisation": organisation.pk if organisation else None},
        )


def set_triage_team(organisation: Organisation, *, area: str = "", username: str = "") -> str:
    """Name the provider that acts on uncovered referrals in ``area`` (blank: everywhere)."""
    _require_provider(organisation)
    prefix = ""
    if area.strip():
        try:
            prefix, _level = parse_prefix(area)
        except BadPrefix as exc:
            raise CoverageError(str(exc)) from exc
    with transaction.atomic():
        TriageTeam.objects.update_or_create(area=prefix, defaults={"organisation": organisation})
        record(
            actor=None,
            username=username,
            verb=AuditVerb.COVERAGE_TRIAGE_TEAM_SET,
            payload={"area": prefix, "organisation": organisation.pk},
        )
        _give_waiting_referrals_to_their_team(username=username)
    return prefix


def _give_waiting_referrals_to_their_team(*, username: str) -> int:
    """Open referrals that arrived while no triage team covered them go to the team now named."""

    waiting = (
        UnroutedReferral.objects.system("coverage: referrals that reached no triage team")
        .select_related("referral")
        .filter(
            team__isnull=True,
            referral__routed_to__isnull=True,
            referral__status__in=["received", "contact_attempted"],
        )
    )
    given = 0
    for unrouted in waiting:
        referral = unrouted.referral
        team = triage_team_for(referral.postcode or referral.postcode_district)
        if team is None:
            continue
        referral.routed_to = team
        referral.save(update_fields=["routed_to"])
        unrouted.team = team
        unrouted.save(update_fields=["team"])
        record(
            actor=None,
            username=username,
            verb=AuditVerb.REFERRAL_ROUTED,
            obj=referral,
            payload={"to_organisation": team.pk, "matched_by": "triage team named later"},
        )
        given += 1
    return given
