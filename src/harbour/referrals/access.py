"""Access helpers for referrals: the first line of every referral view."""

from __future__ import annotations

import uuid

from django.http import HttpRequest

from harbour.accounts.access import denied
from harbour.core import policy
from harbour.referrals.models import Referral


def get_referral_for_triage(request: HttpRequest, public_id: uuid.UUID | str) -> Referral:
    """A referral routed to this user's provider; otherwise an audited 404, whether or not it exists."""
    referral = None
    if policy.can_triage_referrals(request.user):
        referral = (
            Referral.objects.for_user(request.user)
            .select_related("routed_to", "referring_organisation", "case", "merged_into")
            .filter(public_id=public_id)
            .first()
        )
    if referral is None or not policy.can_act_on_referral(request.user, referral):
        raise denied(request, "referrals.referral", str(public_id))
    return referral


def get_referral_for_reroute(request: HttpRequest, public_id: uuid.UUID | str) -> Referral:
    referral = get_referral_for_triage(request, public_id)
    if not policy.can_reroute_referral(request.user, referral):
        raise denied(request, "referrals.referral_reroute", str(public_id))
    return referral


def require_triage(request: HttpRequest) -> None:
    if not policy.can_triage_referrals(request.user):
        raise denied(request, "referrals.queue")


def require_police_coordinator(request: HttpRequest) -> None:
    if not policy.can_view_sent_referrals(request.user):
        raise denied(request, "referrals.sent")


def require_police_referrer(request: HttpRequest) -> None:
    if not policy.can_make_police_referral(request.user):
        raise denied(request, "referrals.police_new")


def require_sources_report(request: HttpRequest) -> None:
    if not policy.can_view_referral_sources(request.user):
        raise denied(request, "referrals.sources")
