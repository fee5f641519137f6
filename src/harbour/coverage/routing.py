"""Which provider covers a postcode, and which triage team acts when none does.

Order of precedence (docs/routing.md):

1. a full postcode found in the imported ONS table whose local authority (or, failing that, its
   county) is mapped to an active provider;
2. otherwise the longest matching rule: full postcode, sector, district (``ServiceArea``), area;
3. otherwise no provider: the referral goes to the triage team for the longest matching area, or
   the platform-wide team (blank area).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harbour.accounts.models import Organisation, ServiceArea
from harbour.core.identifiers import normalise_postcode
from harbour.coverage.models import (
    AuthorityProvider,
    CoverageRule,
    PostcodeAuthority,
    TriageTeam,
    UnroutedReferral,
)
from harbour.coverage.rules import longest_match, parse_prefix, prefixes_of


@dataclass(frozen=True)
class Match:
    organisation: Organisation
    #: How it was found, in words for a person: "postcode table (E06000015)", "rule DE73 5".
    matched_by: str
    #: The same without the prefix or code, safe for the audit trail (a full-postcode rule would
    #: otherwise write the person's postcode there): "postcode table", "sector rule".
    kind: str


def _by_authority(postcode: str | None) -> Match | None:
    full = normalise_postcode(postcode)
    if full is None:
        return None
    row = PostcodeAuthority.objects.filter(postcode=full).first()
    if row is None:
        return None
    codes = [c for c in (row.authority, row.county) if c]
    mapped = {
        m.code: m
        for m in AuthorityProvider.objects.select_related("organisation").filter(
            code__in=codes, organisation__is_active=True
        )
    }
    for code in codes:
        if code in mapped:
            return Match(mapped[code].organisation, f"postcode table ({code})", "postcode table")
    return None


def _by_rule(postcode: str | None) -> Match | None:
    prefixes = prefixes_of(postcode)
    if not prefixes:
        return None
    rules: dict[str, Organisation] = {}
    for area in ServiceArea.objects.select_related("organisation").filter(
        postcode_district__in=prefixes, organisation__is_active=True
    ):
        rules[area.postcode_district] = area.organisation
    for rule in CoverageRule.objects.select_related("organisation").filter(
        prefix__in=prefixes, organisation__is_active=True
    ):
        rules[rule.prefix] = rule.organisation
    found = longest_match(postcode, rules)
    if found is None:
        return None
    prefix, organisation = found
    return Match(organisation, f"rule {prefix}", f"{parse_prefix(prefix)[1].value} rule")


def provider_for_postcode(postcode: str | None) -> Match | None:
    """The active provider covering ``postcode`` (full postcode or outward code), if any."""
    return _by_authority(postcode) or _by_rule(postcode)


def triage_team_for(postcode: str | None) -> Organisation | None:
    """The active provider that must act on an uncovered referral from ``postcode``."""
    teams = {
        t.area: t.organisation
        for t in TriageTeam.objects.select_related("organisation").filter(
            area__in=[*prefixes_of(postcode), ""], organisation__is_active=True
        )
    }
    found = longest_match(postcode, teams)
    if found:
        return found[1]
    return teams.get("")


def is_unrouted(referral: Any) -> bool:
    """Whether no rule covered this referral when it arrived (it went to a triage team)."""
    return (
        UnroutedReferral.objects.system("routing: was this referral unrouted")
        .filter(referral=referral)
        .exists()
    )


HELPLINE = "the National Stalking Helpline, 0808 802 0300"


def referrer_message(referral: Any) -> str:
    """What a member of staff who sent a referral is told about where it went, honestly."""
    if not is_unrouted(referral):
        return f"Referral sent to {referral.routed_to.label}"
    if referral.routed_to is None:
        return (
            "No service in Harbour covers that postcode and no triage team is named, so nobody "
            f"here will contact the victim. The referral is kept. Give them {HELPLINE}."
        )
    return (
        f"No service in Harbour covers that postcode. {referral.routed_to.label} will look at the "
        "referral within the first-contact target and either pass it to a service that can help "
        f"or record where the victim was pointed instead. Give the victim {HELPLINE}, in the "
        "meantime: no contact from a service is promised."
    )
