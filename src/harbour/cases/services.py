"""Named state changes for cases. Views and other apps call these, never raw saves.

Each function checks the rules that must hold whoever calls it (a form, the API, a script), writes
the change and its audit row in one transaction, and raises a ``CaseRuleError`` subclass with a
message fit to show staff when a rule refuses it.

Why unscoped: every function here acts on a record its caller already holds, reached through an
access helper that asked the policy; the rule checks and writes must see the whole case (a record
another user added, a row the caller may not list), so they read through ``unscoped`` and never
return more than the caller was granted.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.cases.models import (
    BreakGlassGrant,
    Case,
    Channel,
    Client,
    ContactLogEntry,
    ContactPreference,
    OnwardReferral,
    OutcomeMeasures,
    PlaceKnown,
    SafetyPlan,
    SafetyPlanVersion,
    SupportAction,
    Suspect,
    SuspectIdentifier,
)
from harbour.core import policy, safetimes
from harbour.core.fields import blind_index
from harbour.core.identifiers import (
    normalise_email,
    normalise_vehicle_reg,
    possible_phone,
)
from harbour.justice.models import Order
from harbour.justice.rules import ENDED
from harbour.risk.models import MaracReferral


class CaseRuleError(ValueError):
    """A rule refused the change; the message is safe to show to staff."""


class UnsafeChannel(CaseRuleError):
    pass


class OutsideSafeTimes(CaseRuleError):
    """An outbound contact outside the client's safe times, with no reason given."""


class UnsafeMeetingPlace(CaseRuleError):
    """A face-to-face meeting at an address the suspect knows, without the client's agreement."""


class MeetingPlaceNeeded(CaseRuleError):
    """An outbound face-to-face meeting logged without saying where, or whether it is known."""


class ConsentRequired(CaseRuleError):
    pass


class ClosureError(CaseRuleError):
    pass


def open_case(
    *,
    organisation: Organisation,
    client_fields: dict[str, Any],
    by: User | None,
    allocated_to: User | None = None,
    existing_client: Client | None = None,
    source: str = "",
) -> Case:
    """Create (or reuse) the client and open a case for them, audited in the same transaction."""
    with transaction.atomic():
        client = existing_client
        if client is None:
            client = Client(organisation=organisation, **client_fields)
            client.save()
        case = Case.unscoped.create(
            organisation=organisation, client=client, allocated_to=allocated_to
        )
        record(actor=by, verb=AuditVerb.CASE_OPENED, obj=case, payload={"source": source})
    return case


def open_caseload_counts(manager: User) -> dict[int, int]:
    """Open cases per advocate in the manager's organisation: the numbers, never the cases."""
    rows = (
        Case.objects.for_user(manager)
        .filter(status=Case.Status.OPEN, allocated_to__isnull=False)
        .values_list("allocated_to")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


# --- safe contact ------------------------------------------------------------------------------


def stale_after_days() -> int:
    return int(getattr(settings, "HARBOUR_SAFE_CONTACT_STALE_DAYS", 30))


def preferences_need_confirming(prefs: Iterable[ContactPreference]) -> bool:
    """True when there are no preferences, or any was last confirmed too long ago (or never)."""
    prefs = list(prefs)
    if not prefs:
        return True
    limit = timezone.localdate() - datetime.timedelta(days=stale_after_days())
    return any(p.last_confirmed_on is None or p.last_confirmed_on < limit for p in prefs)


def confirm_contact_preferences(case: Case, *, by: User, request: Any = None) -> int:
    """The client has just confirmed that every recorded preference is still right."""
    with transaction.atomic():
        count = ContactPreference.unscoped.filter(case=case).update(
            last_confirmed_on=timezone.localdate()
        )
        record(
            actor=by,
            verb=AuditVerb.CASE_CONTACT_PREFERENCES_CONFIRMED,
            obj=case,
            request=request,
            payload={"count": count},
        )
    return count


def channels_used(method: str, voicemail_left: bool = False) -> list[str]:
    """The safe-contact channels an outbound contact by ``method`` uses."""
    mapping: dict[str, list[Channel]] = {
        ContactLogEntry.Method.PHONE: [Channel.CALL],
        ContactLogEntry.Method.TEXT: [Channel.TEXT],
        ContactLogEntry.Method.EMAIL: [Channel.EMAIL],
        ContactLogEntry.Method.LETTER: [Channel.POST],
        ContactLogEntry.Method.VIDEO: [Channel.VIDEO],
        ContactLogEntry.Method.LIVE_CHAT: [Channel.LIVE_CHAT],
        ContactLogEntry.Method.FACE_TO_FACE: [Channel.MEETING],
    }
    channels = list(mapping.get(method, []))
    if voicemail_left:
        channels.append(Channel.VOICEMAIL)
    return [str(c) for c in channels]


def unsafe_channels(case: Case, method: str, voicemail_left: bool = False) -> list[str]:
    wanted = channels_used(method, voicemail_left)
    if not wanted:
        return []
    unsafe = ContactPreference.unscoped.filter(case=case, channel__in=wanted, safe=False)
    return sorted(p.get_channel_display() for p in unsafe)


def outside_safe_times(
    case: Case, method: str, voicemail_left: bool, when: datetime.datetime
) -> list[str]:
    """The safe times a contact at ``when`` falls outside, per channel it uses ([] if none)."""
    used = channels_used(method, voicemail_left)
    local = timezone.localtime(when)
    outside = []
    for pref in ContactPreference.unscoped.filter(case=case, channel__in=used):
        try:
            windows = safetimes.parse(pref.safe_times)
        except safetimes.SafeTimesError:
            continue  # written before safe times were structured: shown, not enforced
        if not safetimes.allows(windows, local):
            described = ", ".join(w.describe() for w in windows)
            outside.append(f"{pref.get_channel_display().lower()}: {described}")
    return outside


def meeting_place_problem(case: Case, place: str, known_to_suspect: str) -> str:
    """Why an outbound face-to-face meeting at ``place`` may not go ahead ("" if it may).

    A meeting at an address the suspect knows, or may know, needs the client's recorded agreement
    on the face-to-face preference: "not sure" counts as known, because guessing wrong is the
    dangerous way round.
    """
    if not place.strip() or known_to_suspect not in PlaceKnown.values:
        return "Say where you met and whether the suspect knows that address."
    if known_to_suspect == PlaceKnown.NO:
        return ""
    agreed = ContactPreference.unscoped.filter(
        case=case, channel=Channel.MEETING, safe=True, known_address_ok=True
    ).exists()
    if agreed:
        return ""
    return (
        "This meeting was not logged: the suspect knows, or may know, this address and the "
        "client has not agreed to meet at an address the suspect knows. Meet somewhere safe, or "
        "record the client's agreement in the face-to-face preference first."
    )


def record_contact(
    case: Case,
    *,
    by: User,
    method: str,
    direction: str,
    at: datetime.datetime | None = None,
    duration_minutes: int | None = None,
    note: str = "",
    voicemail_left: bool = False,
    outside_reason: str = "",
    place: str = "",
    place_known_to_suspect: str = "",
    request: Any = None,
) -> ContactLogEntry:
    """Log a contact. An outbound contact on a channel marked unsafe is always refused; one
    outside the client's safe times for that channel needs a reason; an outbound face-to-face
    meeting says where it was and is refused at an address the suspect knows unless the client
    agreed (:func:`meeting_place_problem`).

    The refusal is audited (in its own transaction, so it survives the refusal) and the check is
    made again inside the saving transaction, so a preference changed in between still counts.
    """
    outbound = direction == ContactLogEntry.Direction.OUTBOUND
    meeting = outbound and method == ContactLogEntry.Method.FACE_TO_FACE
    if meeting and not place.strip():
        raise MeetingPlaceNeeded("Say where you met and whether the suspect knows that address.")
    if meeting and place_known_to_suspect not in PlaceKnown.values:
        raise MeetingPlaceNeeded("Select whether the suspect knows the address of the meeting.")
    if meeting and meeting_place_problem(case, place, place_known_to_suspect):
        record(
            actor=by,
            verb=AuditVerb.CASE_CONTACT_REFUSED_UNSAFE,
            obj=case,
            request=request,
            payload={"method": method, "place_known_to_suspect": place_known_to_suspect},
        )
    if outbound and unsafe_channels(case, method, voicemail_left):
        record(
            actor=by,
            verb=AuditVerb.CASE_CONTACT_REFUSED_UNSAFE,
            obj=case,
            request=request,
            payload={"method": method, "channels": channels_used(method, voicemail_left)},
        )
    with transaction.atomic():
        refused = unsafe_channels(case, method, voicemail_left) if outbound else []
        if refused:
            raise UnsafeChannel(
                "This contact was not logged: the client has said "
                + " and ".join(refused).lower()
                + " is not safe. Check the safe-contact preferences."
            )
        problem = meeting_place_problem(case, place, place_known_to_suspect) if meeting else ""
        if problem:
            raise UnsafeMeetingPlace(problem)
        when = at or timezone.now()
        outside = outside_safe_times(case, method, voicemail_left, when) if outbound else []
        if outside and not outside_reason.strip():
            raise OutsideSafeTimes(
                f"{timezone.localtime(when):%A %H:%M} is outside the client's safe times ("
                + "; ".join(outside)
                + "). Say why you contacted them then, or log it at a safe time."
            )
        entry = ContactLogEntry.unscoped.create(
            case=case,
            created_by=by,
            method=method,
            direction=direction,
            at=when,
            duration_minutes=duration_minutes,
            note=note,
            voicemail_left=voicemail_left,
            outside_safe_times_reason=outside_reason.strip() if outside else "",
            place=place.strip() if method == ContactLogEntry.Method.FACE_TO_FACE else "",
            place_known_to_suspect=(
                place_known_to_suspect if method == ContactLogEntry.Method.FACE_TO_FACE else ""
            ),
        )
        record(
            actor=by,
            verb=AuditVerb.CASE_CONTACT_LOGGED,
            obj=case,
            request=request,
            payload={"entry": str(entry.public_id), "method": method, "direction": direction},
        )
    return entry


# --- suspects ------------------------------------------------------------------------------------


def normalise_handle(raw: str | None) -> str:
    """A social media handle for matching: trimmed, lower case, without a leading @."""
    if not raw:
        return ""
    return raw.strip().lstrip("@").strip().lower()


def _never_matched(value: str) -> str | None:
    return None


_NORMALISERS: dict[str, Callable[[str], str | None]] = {
    SuspectIdentifier.Kind.PHONE: lambda v: possible_phone(v),
    # Every withheld call looks the same: recorded, never matched across cases.
    SuspectIdentifier.Kind.WITHHELD: _never_matched,
    SuspectIdentifier.Kind.EMAIL: lambda v: normalise_email(v) or None,
    SuspectIdentifier.Kind.HANDLE: lambda v: normalise_handle(v) or None,
    SuspectIdentifier.Kind.VEHICLE: lambda v: normalise_vehicle_reg(v),
}


def identifier_index(kind: str, value: str) -> str:
    """The blind index for a suspect identifier; empty when the value cannot be normalised."""
    return blind_index(f"suspect_{kind}", _NORMALISERS[SuspectIdentifier.Kind(kind)](value))


def set_suspect_identifiers(suspect: Suspect, identifiers: Mapping[str, Iterable[str]]) -> int:
    """Replace a suspect's identifiers (kind -> raw values). Call inside the saving transaction."""
    SuspectIdentifier.unscoped.filter(suspect=suspect).delete()
    rows = []
    seen: set[tuple[str, str]] = set()
    for kind, values in identifiers.items():
        for raw in values:
            value = raw.strip()
            if not value:
                continue
            index = identifier_index(kind, value)
            key = (kind, index or value)
            if key in seen:
                continue
            seen.add(key)
            rows.append(SuspectIdentifier(suspect=suspect, kind=kind, value=value, index=index))
    SuspectIdentifier.unscoped.bulk_create(rows)
    return len(rows)


def suspect_identifier_values(suspect: Suspect, kind: str) -> list[str]:
    """One kind of identifier of a suspect the caller already holds (its access helper gave it)."""
    rows = SuspectIdentifier.unscoped.filter(suspect=suspect, kind=kind)
    return sorted(row.value for row in rows)


# --- support plan, safety plan, referrals --------------------------------------------------------


def complete_action(action: SupportAction, *, by: User, request: Any = None) -> None:
    with transaction.atomic():
        SupportAction.unscoped.filter(pk=action.pk).update(
            status=SupportAction.Status.DONE,
            completed_at=timezone.now(),
            version=action.version + 1,
        )
        record(
            actor=by,
            verb=AuditVerb.CASE_ACTION_COMPLETED,
            obj=action.case,
            request=request,
            payload={"action": str(action.public_id)},
        )


def snapshot_safety_plan(plan: SafetyPlan, *, by: User) -> SafetyPlanVersion:
    """Append the plan as it now stands to its history (call in the saving transaction)."""

    plan.updated_by = by
    plan.updated_at = timezone.now()
    SafetyPlan.unscoped.filter(pk=plan.pk).update(updated_by=by, updated_at=plan.updated_at)
    return SafetyPlanVersion.unscoped.create(
        plan=plan, number=plan.version, content=json.dumps(plan.snapshot()), saved_by=by
    )


def make_onward_referral(
    case: Case,
    *,
    by: User,
    kind: str,
    to_organisation: str,
    details: str = "",
    consent: str,
    override_reason: str = "",
    request: Any = None,
) -> OnwardReferral:
    """Record an onward referral. Without the client's consent only a manager, with a reason.

    A referral to the police also needs the case's consent record to say the client agreed to
    share with police (the latest decision, which they may have withdrawn since)."""
    if (
        kind == OnwardReferral.Kind.POLICE
        and consent == OnwardReferral.Consent.GIVEN
        and not policy.police_sharing_consent_given(case)
    ):
        raise ConsentRequired(
            "The case's consent record does not show the client agreeing to share with "
            "police (or they have withdrawn it). Record their decision first, or a manager "
            "refers without consent, with a reason."
        )
    if consent != OnwardReferral.Consent.GIVEN:
        if not policy.can_refer_without_consent(by):
            raise ConsentRequired(
                "The client has not consented. Only a manager can refer without consent."
            )
        if not override_reason.strip():
            raise ConsentRequired("Give the reason for referring without the client's consent.")
    with transaction.atomic():
        referral = OnwardReferral.unscoped.create(
            case=case,
            created_by=by,
            kind=kind,
            to_organisation=to_organisation,
            details=details,
            consent=consent,
            consent_recorded_at=timezone.now(),
            consent_recorded_by=by,
            override_reason=override_reason.strip() if consent != "given" else "",
        )
        record(
            actor=by,
            verb=AuditVerb.CASE_ONWARD_REFERRAL_MADE,
            obj=case,
            request=request,
            payload={"referral": str(referral.public_id), "kind": kind, "consent": consent},
        )
    return referral


def record_outcomes(
    case: Case, *, stage: str, values: Mapping[str, int], by: User, request: Any = None
) -> OutcomeMeasures:
    with transaction.atomic():
        measures = OutcomeMeasures.unscoped.create(
            case=case,
            stage=stage,
            created_by=by,
            **{k: values[k] for k, _ in OutcomeMeasures.MEASURES},
        )
        record(
            actor=by,
            verb=f"case.{stage}_measures_recorded",
            obj=case,
            request=request,
            payload={"measures": str(measures.public_id)},
        )
    return measures


# --- closure -------------------------------------------------------------------------------------


def open_items(case: Case) -> list[str]:
    """What is still open on a case, in words, for whoever closes it and the manager signing off:
    actions, multi-agency referrals not yet heard, onward referrals not finished, orders in force.
    Read for a case the caller may already see, hence ``unscoped``."""

    items = [
        f"Action: {action.description}"
        + (f" (due {action.due_on:%-d %b %Y})" if action.due_on else "")
        for action in SupportAction.unscoped.filter(case=case, status=SupportAction.Status.OPEN)
    ]
    items += [
        f"{referral.forum_name[0].upper()}{referral.forum_name[1:]} referral of "
        f"{referral.referred_on:%-d %b %Y}: {referral.get_status_display().lower()}"
        for referral in MaracReferral.unscoped.filter(
            case=case, status__in=[MaracReferral.Status.REFERRED, MaracReferral.Status.LISTED]
        ).select_related("case__organisation")
    ]
    items += [
        f"Onward referral to {onward.to_organisation}: {onward.get_status_display().lower()}"
        for onward in OnwardReferral.unscoped.filter(
            case=case, status__in=[OnwardReferral.Status.MADE, OnwardReferral.Status.ACCEPTED]
        )
    ]
    items += [
        f"{order.get_kind_display()}: {order.get_status_display().lower()}"
        for order in Order.unscoped.filter(case=case).exclude(status__in=[s.value for s in ENDED])
    ]
    return items


def request_closure(
    case: Case,
    *,
    by: User,
    reason: str,
    note: str = "",
    exit_measures: Mapping[str, int] | None = None,
    open_items_note: str = "",
    request: Any = None,
) -> None:
    """The advocate proposes closing the case; a manager then signs it off (or sends it back).
    Anything still open must be acknowledged, with what happens to it, in ``open_items_note``."""
    if case.status != Case.Status.OPEN:
        raise ClosureError("Only an open case can be put forward for closure.")
    still_open = open_items(case)
    if still_open and not open_items_note.strip():
        raise ClosureError(
            f"{len(still_open)} thing{'s are' if len(still_open) > 1 else ' is'} still open on "
            "this case. Say what happens to each after closing, or finish them first."
        )
    with transaction.atomic():
        claimed = Case.unscoped.filter(pk=case.pk, version=case.version).update(
            status=Case.Status.AWAITING_SIGN_OFF,
            closure_reason=reason,
            closure_requested_by=by,
            closure_requested_at=timezone.now(),
            closure_note=note,
            closure_open_items=("\n".join(still_open) + "\n\n" + open_items_note.strip())
            if still_open
            else "",
            version=case.version + 1,
        )
        if not claimed:
            raise ClosureError("Someone else changed this case; reload it and try again.")
        if exit_measures:
            record_outcomes(case, stage="exit", values=exit_measures, by=by, request=request)
        record(
            actor=by,
            verb=AuditVerb.CASE_CLOSURE_REQUESTED,
            obj=case,
            request=request,
            payload={"reason": reason},
        )
    case.refresh_from_db()


def sign_off_closure(case: Case, *, by: User, request: Any = None) -> None:
    if not policy.can_sign_off_closure(by, case):
        raise ClosureError("Only a manager can sign off a closure.")
    if case.status != Case.Status.AWAITING_SIGN_OFF:
        raise ClosureError("This case is not waiting for closure sign-off.")
    with transaction.atomic():
        Case.unscoped.filter(pk=case.pk).update(
            status=Case.Status.CLOSED,
            closed_at=timezone.now(),
            closure_signed_off_by=by,
            version=case.version + 1,
        )
        record(actor=by, verb=AuditVerb.CASE_CLOSED, obj=case, request=request, payload={})
    case.refresh_from_db()


def return_closure(case: Case, *, by: User, request: Any = None) -> None:
    """A manager sends a proposed closure back to the advocate: the case is open again."""
    if not policy.can_sign_off_closure(by, case) or case.status != Case.Status.AWAITING_SIGN_OFF:
        raise ClosureError("This case is not waiting for closure sign-off.")
    with transaction.atomic():
        Case.unscoped.filter(pk=case.pk).update(status=Case.Status.OPEN, version=case.version + 1)
        record(
            actor=by, verb=AuditVerb.CASE_CLOSURE_RETURNED, obj=case, request=request, payload={}
        )
    case.refresh_from_db()


def reopen_case(case: Case, *, by: User, reason: str, request: Any = None) -> None:
    if case.status != Case.Status.CLOSED:
        raise ClosureError("Only a closed case can be reopened.")
    if not reason.strip():
        raise ClosureError("Give the reason for reopening the case.")
    with transaction.atomic():
        Case.unscoped.filter(pk=case.pk).update(
            status=Case.Status.OPEN,
            closed_at=None,
            reopened_at=timezone.now(),
            closure_signed_off_by=None,
            reopen_reason=reason.strip(),
            version=case.version + 1,
        )
        record(actor=by, verb=AuditVerb.CASE_REOPENED, obj=case, request=request, payload={})
    case.refresh_from_db()


# --- break-glass access ---------------------------------------------------------------------------

BREAK_GLASS_REFUSED = (
    "There is no case with that reference that you can open this way. Check the reference, or ask "
    "your manager. Restricted cases cannot be opened in an emergency."
)


class BreakGlassRefused(CaseRuleError):
    pass


def break_glass_hours() -> int:
    return int(settings.HARBOUR_BREAK_GLASS_HOURS)


def break_glass(*, reference: str, reason: str, by: User) -> tuple[Case, BreakGlassGrant | None]:
    """Open a colleague's (unrestricted) case of the advocate's own organisation for a few hours.

    The same refusal is given whether the reference is unknown, belongs to another organisation or
    is restricted. Returns the case and the grant (None when the case was already visible).
    """
    reason = reason.strip()
    if by.organisation_id is None:
        raise BreakGlassRefused(BREAK_GLASS_REFUSED)
    if len(reason) < 10:
        raise BreakGlassRefused("Say why you need this case now, in a sentence.")
    case = (
        Case.objects.system("break-glass lookup by reference")
        .filter(
            organisation_id=by.organisation_id,
            reference=reference.strip().upper(),
            restricted=False,
        )
        .first()
    )
    if case is None:
        record(actor=by, verb=AuditVerb.CASE_BREAK_GLASS_REFUSED, payload={"reason_given": True})
        raise BreakGlassRefused(BREAK_GLASS_REFUSED)
    if Case.objects.for_user(by).filter(pk=case.pk).exists():
        return case, None
    with transaction.atomic():
        grant = BreakGlassGrant.unscoped.create(
            case=case,
            user=by,
            reason=reason,
            expires_at=timezone.now() + datetime.timedelta(hours=break_glass_hours()),
        )
        record(
            actor=by,
            verb=AuditVerb.CASE_BREAK_GLASS,
            obj=case,
            payload={"grant": str(grant.public_id), "hours": break_glass_hours()},
        )
    return case, grant


def review_break_glass(grant: BreakGlassGrant, *, by: User, note: str) -> None:
    with transaction.atomic():
        grant.reviewed_by = by
        grant.reviewed_at = timezone.now()
        grant.review_note = note.strip()
        grant.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
        record(
            actor=by,
            verb=AuditVerb.CASE_BREAK_GLASS_REVIEWED,
            obj=grant.case,
            payload={"grant": str(grant.public_id)},
        )
