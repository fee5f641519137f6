"""Named state changes for referrals. Every one is audited in the transaction that makes it.

received -> contact_attempted -> accepted (opens a case) | declined | signposted | unable_to_contact |
merged. A referral no coverage rule covers is never closed by the machine: it stays open, on the
same first-contact clock, with the triage team for its area (``harbour.coverage``), until a person
routes it to a provider or records a signpost.

Why unscoped: every function here acts on a record its caller already holds, reached through an
access helper that asked the policy; the rule checks and writes must see the whole case (a record
another user added, a row the caller may not list), so they read through ``unscoped`` and never
return more than the caller was granted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.cases.models import Case, ContactPreference, Relationship
from harbour.cases.services import open_case
from harbour.core import policy
from harbour.core.identifiers import postcode_district
from harbour.core.precompiled import Precompiled
from harbour.coverage import routing
from harbour.coverage.models import UnroutedReferral
from harbour.evidence.models import PoliceSharingConsent
from harbour.referrals.models import Channel, ContactAttempt, Referral
from harbour.risk.services import set_level_from_police

#: Where a person outside every service area is pointed (by people, and on the confirmation pages).
OUT_OF_AREA_SIGNPOST = "National Stalking Helpline (0808 802 0300)"


class ReferralError(Exception):
    """A state change that the referral's current state does not allow."""


class UnsafeChannel(ReferralError):
    """The person has not marked this channel as safe; nothing is attempted or logged as sent."""


#: The fields a caller may set when a referral arrives (everything else is Harbour's).
INTAKE_FIELDS = frozenset(
    {
        "referrer_name",
        "referrer_role",
        "referrer_organisation",
        "referrer_phone",
        "referrer_email",
        "given_name",
        "family_name",
        "date_of_birth",
        "phone",
        "email",
        "address",
        "postcode",
        "safe_call",
        "safe_voicemail",
        "safe_text",
        "safe_email",
        "safe_post",
        "safe_times",
        "withheld_number_ok",
        "code_word",
        "what_is_happening",
        "how_long",
        "reported_to_police",
        "suspect_relationship",
        "crime_reference",
        "crime_reported_on",
        "recorded_as",
        "officer_in_case",
        "officer_contact",
        "suspect_name",
        "suspect_identifiers",
        "bail_conditions",
        "risk_level",
        "risk_information",
        "consent_to_contact",
        "consent_to_share_with_police",
    }
)


def provider_for_district(district: str | None) -> Organisation | None:
    """The active provider whose coverage rules include ``district`` (an outward code), if any."""
    match = routing.provider_for_postcode(district)
    return match.organisation if match else None


def receive_referral(
    *,
    source: str,
    fields: dict[str, Any],
    kind: str = Referral.Kind.REFERRAL,
    by: User | None = None,
    referring_organisation: Organisation | None = None,
    via: str = "web",
    received_at: datetime | None = None,
    routed_to: Organisation | None = None,
) -> Referral:
    """Store a new referral and route it by postcode district, audited together.

    ``routed_to``: a provider's own channel (its live chat) sends the referral to that provider
    whatever the postcode says."""
    unknown = set(fields) - INTAKE_FIELDS
    if unknown:
        raise ValueError(f"not intake fields: {sorted(unknown)}")
    now = timezone.now()
    with transaction.atomic():
        referral = Referral(
            source=source,
            kind=kind,
            referred_by=by,
            referring_organisation=referring_organisation,
            received_at=received_at or now,
            contact_preferences_confirmed_on=timezone.localdate(),
            **fields,
        )
        referral.postcode_district = postcode_district(referral.postcode) or ""
        referral.save()
        record(
            actor=by,
            username="" if by else f"{via}:{source}",
            verb=AuditVerb.REFERRAL_RECEIVED,
            obj=referral,
            payload={"source": source, "kind": kind, "via": via},
        )
        route_referral(referral, by=by, to=routed_to)
    return referral


def referral_for_api_token(organisation: Organisation, public_id: Any) -> Referral | None:
    """A referral an organisation's API token may read the status of, or None.

    A token acts for an organisation, not a member of staff, so the scoped manager (which needs a
    user) cannot narrow the query: it is unscoped here and narrowed by the policy on the same line.
    """
    return (
        policy.api_referrals_visible_to(
            organisation, Referral.objects.system("API token: referrer reads status")
        )
        .select_related("routed_to")
        .filter(public_id=public_id)
        .first()
    )


def route_referral(
    referral: Referral, *, by: User | None = None, to: Organisation | None = None
) -> Referral:
    """Send the referral to the provider covering its postcode (docs/routing.md), or to ``to``
    (a live chat's own service). When no rule covers it, it goes, still open and on the same
    clock, to the triage team for its area."""
    with transaction.atomic():
        if to is not None:
            referral.routed_to = to
            referral.save(update_fields=["routed_to"])
            record(
                actor=by,
                username="" if by else "harbour routing",
                verb=AuditVerb.REFERRAL_ROUTED,
                obj=referral,
                payload={"to_organisation": to.pk, "matched_by": "the service it came through"},
            )
            return referral
        match = routing.provider_for_postcode(referral.postcode or referral.postcode_district)
        if match is None:
            team = routing.triage_team_for(referral.postcode or referral.postcode_district)
            referral.routed_to = team
            referral.save(update_fields=["routed_to"])
            UnroutedReferral.objects.system("routing: unrouted referral").create(
                referral=referral, team=team
            )
            record(
                actor=by,
                username="" if by else "harbour routing",
                verb=AuditVerb.REFERRAL_UNROUTED,
                obj=referral,
                payload={
                    "district_known": bool(referral.postcode_district),
                    "triage_team": team.pk if team else None,
                },
            )
        else:
            referral.routed_to = match.organisation
            referral.save(update_fields=["routed_to"])
            record(
                actor=by,
                username="" if by else "harbour routing",
                verb=AuditVerb.REFERRAL_ROUTED,
                obj=referral,
                payload={"to_organisation": match.organisation.pk, "matched_by": match.kind},
            )
    return referral


def _require_open(referral: Referral) -> None:
    if not referral.is_open:
        raise ReferralError(f"referral is already {referral.get_status_display().lower()}")


def _lock(referral: Referral) -> Referral:
    """Re-read the row inside the transaction so two people cannot both change it."""
    fresh = Referral.unscoped.select_for_update().get(pk=referral.pk)
    if fresh.status != referral.status or fresh.routed_to_id != referral.routed_to_id:
        raise ReferralError("the referral changed while you were working on it")
    return fresh


def reroute(referral: Referral, *, to: Organisation, by: User, reason: str = "") -> Referral:
    """A manager sends an open referral to another provider; the first-contact clock keeps running."""
    if to.kind != Organisation.Kind.PROVIDER or not to.is_active:
        raise ReferralError("referrals can only be sent to an active advocacy provider")
    with transaction.atomic():
        locked = _lock(referral)
        _require_open(locked)
        if to.pk == locked.routed_to_id:
            raise ReferralError("the referral is already with that provider")
        previous = locked.routed_to_id
        locked.routed_to = to
        locked.save(update_fields=["routed_to"])
        record(
            actor=by,
            verb=AuditVerb.REFERRAL_REROUTED,
            obj=locked,
            payload={
                "from_organisation": previous,
                "to_organisation": to.pk,
                "reason_given": bool(reason),
            },
        )
    referral.refresh_from_db()
    return referral


def _unsafe_message(channel: str) -> str:
    name = dict(Channel.choices).get(channel, channel).lower()
    return f"the person has not said {name} is safe: use only a way they marked as safe"


def attempt_contact(
    referral: Referral, *, channel: str, outcome: str, by: User, note: str = ""
) -> ContactAttempt:
    """Log one attempt to reach the person. A channel they have not marked safe is refused."""
    if not referral.is_channel_safe(channel):
        with transaction.atomic():
            record(
                actor=by,
                verb=AuditVerb.REFERRAL_UNSAFE_CHANNEL_REFUSED,
                obj=referral,
                payload={"channel": channel},
            )
        raise UnsafeChannel(_unsafe_message(channel))
    with transaction.atomic():
        locked = _lock(referral)
        _require_open(locked)
        if not locked.is_channel_safe(channel):
            raise UnsafeChannel(_unsafe_message(channel))
        now = timezone.now()
        attempt = ContactAttempt.unscoped.create(
            referral=locked, channel=channel, outcome=outcome, note=note, at=now, by=by
        )
        first = locked.first_contact_at is None
        if first:
            locked.first_contact_at = now
        locked.status = Referral.Status.CONTACT_ATTEMPTED
        locked.save(update_fields=["first_contact_at", "status"])
        record(
            actor=by,
            verb=AuditVerb.REFERRAL_CONTACT_ATTEMPTED,
            obj=locked,
            payload={
                "channel": channel,
                "outcome": outcome,
                "first": first,
                "within_target": locked.met_contact_target,
            },
        )
    referral.refresh_from_db()
    return attempt


def _close(
    referral: Referral,
    status: str,
    *,
    by: User,
    verb: str,
    payload: dict[str, Any],
    **fields: Any,
) -> Referral:
    with transaction.atomic():
        locked = _lock(referral)
        _require_open(locked)
        locked.status = status
        locked.outcome_at = timezone.now()
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", "outcome_at", *fields])
        record(actor=by, verb=verb, obj=locked, payload=payload)
    referral.refresh_from_db()
    return referral


def accept(referral: Referral, *, by: User, allocate_to: User | None = None) -> Case:
    """Accept the referral and open a case for the person (their details carried over)."""
    if referral.kind == Referral.Kind.ADVICE:
        raise ReferralError(
            "An advice request from family or friends is answered, not opened as a client case "
            "(it would count them as a supported victim): record the advice given instead"
        )
    if referral.kind == Referral.Kind.REFERRAL and not referral.consent_to_contact:
        raise ReferralError("the person has not consented to be contacted")
    with transaction.atomic():
        locked = _lock(referral)
        _require_open(locked)
        case = open_case(
            organisation=locked.routed_to,  # type: ignore[arg-type]
            client_fields={
                "given_name": locked.given_name,
                "family_name": locked.family_name,
                "date_of_birth": locked.date_of_birth,
                "phone": locked.phone,
                "email": locked.email,
                "address": locked.address,
                "postcode": locked.postcode,
            },
            by=by,
            allocated_to=allocate_to,
            source=f"referral:{locked.source}",
        )
        if locked.suspect_relationship in Relationship.values:
            case.relationship_to_suspect = locked.suspect_relationship
            case.domestic_abuse = (
                locked.suspect_relationship in Relationship.domestic_abuse_related()
            )
            case.save(update_fields=["relationship_to_suspect", "domestic_abuse"])
        # The police's grading is the level in force until an assessment says otherwise.
        set_level_from_police(case, locked.risk_level, by=by)
        # The person's safe-contact preferences travel with them into the case.
        ContactPreference.unscoped.bulk_create(
            ContactPreference(
                case=case,
                created_by=by,
                channel=channel,
                safe=locked.is_channel_safe(channel),
                safe_times=locked.safe_times,
                withheld_ok=locked.withheld_number_ok,
                code_word=locked.code_word,
                last_confirmed_on=locked.contact_preferences_confirmed_on,
            )
            for channel in Channel.values
        )
        _close(
            locked,
            Referral.Status.ACCEPTED,
            by=by,
            verb=AuditVerb.REFERRAL_ACCEPTED,
            payload={"case": str(case.public_id)},
            case=case,
        )
    referral.refresh_from_db()
    return case


#: The first referral of a case, compiled once per connection (issue #8: every case page reads it).
_FIRST_REFERRAL = Precompiled(
    lambda case_id: (
        Referral.unscoped.filter(case_id=case_id)
        .select_related("referring_organisation")
        .order_by("received_at", "pk")[:1]
    )
)


def source_of(case: Case) -> Referral | None:
    """The referral a case was opened from. Whoever may see the case may see what the referrer
    said (no retyping): the case's own access check has already run, hence ``unscoped``."""
    return next(iter(_FIRST_REFERRAL(case.pk)), None)


def progress_for_referrer(referrals: list[Referral]) -> dict[int, str]:
    """What a referring force may know of each accepted referral's case: whether support goes on or
    has ended, only where the client's consent to share with police is in force (the latest
    decision on the case's consent record). Never any content. Reads the cases the force cannot
    see itself, hence ``unscoped``: it returns only these words."""

    case_ids = [r.case_id for r in referrals if r.case_id]
    if not case_ids:
        return {}
    status = dict(Case.unscoped.filter(pk__in=case_ids).values_list("pk", "status"))
    latest: dict[int, str] = {}
    for case_id, state in (
        PoliceSharingConsent.unscoped.filter(case_id__in=case_ids)
        .order_by("case_id", "-recorded_at", "-pk")
        .values_list("case_id", "state")
    ):
        latest.setdefault(case_id, state)
    progress = {}
    for referral in referrals:
        if not referral.case_id:
            continue
        if latest.get(referral.case_id) != PoliceSharingConsent.State.GIVEN:
            progress[referral.pk] = "Not shared: the victim has not agreed to share with police"
        elif status.get(referral.case_id) == Case.Status.CLOSED:
            progress[referral.pk] = "Support ended"
        else:
            progress[referral.pk] = "Being supported"
    return progress


def decline(referral: Referral, *, reason: str, by: User, note: str = "") -> Referral:
    if reason not in Referral.DeclineReason.values:
        raise ReferralError("choose a reason for declining")
    return _close(
        referral,
        Referral.Status.DECLINED,
        by=by,
        verb=AuditVerb.REFERRAL_DECLINED,
        payload={"reason": reason},
        decline_reason=reason,
        outcome_note=note,
    )


def signpost(referral: Referral, *, to: str, by: User, note: str = "") -> Referral:
    if not to.strip():
        raise ReferralError("say where the person was signposted")
    return _close(
        referral,
        Referral.Status.SIGNPOSTED,
        by=by,
        verb=AuditVerb.REFERRAL_SIGNPOSTED,
        payload={},
        signposted_to=to.strip(),
        outcome_note=note,
    )


def unable_to_contact(referral: Referral, *, by: User, note: str = "") -> Referral:
    """Close after attempts failed. At least one logged attempt is needed first."""
    if (
        not ContactAttempt.objects.system("unable-to-contact check")
        .filter(referral=referral)
        .exists()
    ):
        raise ReferralError("log at least one contact attempt first")
    return _close(
        referral,
        Referral.Status.UNABLE_TO_CONTACT,
        by=by,
        verb=AuditVerb.REFERRAL_UNABLE_TO_CONTACT,
        payload={},
        outcome_note=note,
    )


def merge_as_duplicate(
    referral: Referral,
    *,
    by: User,
    into_referral: Referral | None = None,
    into_case: Case | None = None,
) -> Referral:
    """Close a referral as a duplicate of another referral or of an existing case."""
    if (into_referral is None) == (into_case is None):
        raise ReferralError("merge into exactly one referral or case")
    if into_referral is not None:
        if into_referral.pk == referral.pk:
            raise ReferralError("a referral cannot be merged into itself")
        if into_referral.routed_to_id != referral.routed_to_id:
            raise ReferralError("both referrals must be with the same provider")
        return _close(
            referral,
            Referral.Status.MERGED,
            by=by,
            verb=AuditVerb.REFERRAL_MERGED,
            payload={"into_referral": str(into_referral.public_id)},
            merged_into=into_referral,
        )
    assert into_case is not None
    if into_case.organisation_id != referral.routed_to_id:
        raise ReferralError("the case must belong to the same provider")
    if not into_case.is_open:
        raise ReferralError("a referral can only be merged into an open case")
    return _close(
        referral,
        Referral.Status.MERGED,
        by=by,
        verb=AuditVerb.REFERRAL_MERGED,
        payload={"into_case": str(into_case.public_id)},
        case=into_case,
    )


# Duplicates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateMatch:
    kind: str  # "case" or "referral"
    target: Case | Referral
    on: tuple[str, ...]  # which identifiers matched: phone, email, name_dob


def _matched_on(other: Any, referral: Referral) -> tuple[str, ...]:
    """Which blind indexes ``other`` (a client or referral) shares with ``referral``."""
    return tuple(
        name
        for name in ("phone", "email", "name_dob")
        if getattr(referral, f"{name}_index")
        and getattr(referral, f"{name}_index") == getattr(other, f"{name}_index")
    )


def _index_filter(referral: Referral, prefix: str = "") -> Q | None:
    query = Q()
    used = False
    for name in ("phone", "email", "name_dob"):
        value = getattr(referral, f"{name}_index")
        if value:
            query |= Q(**{f"{prefix}{name}_index": value})
            used = True
    return query if used else None


def find_duplicates(referral: Referral, *, user: User) -> list[DuplicateMatch]:
    """Cases (open or closed: a returning client) and open referrals this user can see that share a
    blind index with ``referral``. Only open cases and open referrals can be merged into."""
    matches: list[DuplicateMatch] = []
    case_q = _index_filter(referral, "client__")
    if case_q is not None:
        cases = (
            Case.objects.for_user(user)
            .filter(case_q)
            .select_related("client")
            .order_by("-opened_at")[:10]
        )
        matches.extend(DuplicateMatch("case", c, _matched_on(c.client, referral)) for c in cases)
    ref_q = _index_filter(referral)
    if ref_q is not None:
        others = (
            Referral.objects.for_user(user)
            .filter(ref_q, status__in=Referral.OPEN_STATUSES, routed_to_id=referral.routed_to_id)
            .exclude(pk=referral.pk)
            .order_by("received_at")[:10]
        )
        matches.extend(DuplicateMatch("referral", r, _matched_on(r, referral)) for r in others)
    return matches


def duplicate_counts(referrals: list[Referral], *, user: User) -> dict[int, int]:
    """For a page of referrals, how many visible open cases or other open referrals each matches.

    Two queries for the whole page rather than two per referral.
    """
    wanted: dict[str, set[str]] = {"phone": set(), "email": set(), "name_dob": set()}
    for r in referrals:
        for name in wanted:
            value = getattr(r, f"{name}_index")
            if value:
                wanted[name].add(value)
    if not any(wanted.values()):
        return {}
    case_q = Q()
    ref_q = Q()
    for name, values in wanted.items():
        if values:
            case_q |= Q(**{f"client__{name}_index__in": values})
            ref_q |= Q(**{f"{name}_index__in": values})
    client_rows = list(
        Case.objects.for_user(user)
        .filter(case_q)
        .values_list("client__phone_index", "client__email_index", "client__name_dob_index")
    )
    referral_rows = list(
        Referral.objects.for_user(user)
        .filter(ref_q, status__in=Referral.OPEN_STATUSES)
        .values_list("pk", "routed_to_id", "phone_index", "email_index", "name_dob_index")
    )
    # Which rows hold each value: a referral's matches are then the rows under its own values,
    # not a walk over every row for every referral on the page (issue #8).
    cases_with: dict[str, set[int]] = defaultdict(set)
    for n, row in enumerate(client_rows):
        for value in row:
            if value:
                cases_with[value].add(n)
    referrals_with: dict[str, set[tuple[int, int | None]]] = defaultdict(set)
    for pk, routed, *idx in referral_rows:
        for value in idx:
            if value:
                referrals_with[value].add((pk, routed))
    counts: dict[int, int] = {}
    for r in referrals:
        mine = {r.phone_index, r.email_index, r.name_dob_index} - {""}
        cases = set().union(*(cases_with.get(value, set()) for value in mine))
        others = set().union(*(referrals_with.get(value, set()) for value in mine))
        n = len(cases) + sum(1 for pk, routed in others if pk != r.pk and routed == r.routed_to_id)
        if n:
            counts[r.pk] = n
    return counts
