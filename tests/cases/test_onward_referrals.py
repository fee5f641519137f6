"""Onward referrals need the client's consent, checked and recorded; only a manager overrides."""

from __future__ import annotations

import pytest

from harbour.cases import services
from harbour.cases.models import OnwardReferral

REFERRAL = {"kind": "counselling", "to_organisation": "Northshire Talking Therapies"}


def test_referral_with_consent_records_who_and_when(as_user, case_a, cast, url):
    response = as_user("alice").post(url("onward-referrals/new/"), {**REFERRAL, "consent": "given"})
    assert response.status_code == 302
    referral = OnwardReferral.unscoped.get(case=case_a)
    assert referral.consent == "given"
    assert referral.consent_recorded_by == cast["alice"]
    assert referral.consent_recorded_at is not None


def test_an_advocate_cannot_refer_without_consent(as_user, case_a, url):
    response = as_user("alice").post(
        url("onward-referrals/new/"), {**REFERRAL, "consent": "not_given", "override_reason": "x"}
    )
    assert response.status_code == 200
    assert "Only a manager can refer without consent" in response.content.decode()
    assert not OnwardReferral.unscoped.filter(case=case_a).exists()


def test_a_manager_overrides_only_with_a_reason(case_a, cast):
    with pytest.raises(services.ConsentRequired):
        services.make_onward_referral(
            case_a, by=cast["mia"], kind="marac", to_organisation="MARAC", consent="not_given"
        )
    referral = services.make_onward_referral(
        case_a,
        by=cast["mia"],
        kind="marac",
        to_organisation="MARAC",
        consent="not_given",
        override_reason="Threat to life",
    )
    assert referral.override_reason == "Threat to life"


def test_following_up_a_referral_updates_its_status(as_user, case_a, cast, url):
    from tests.cases.conftest import form_state

    referral = services.make_onward_referral(
        case_a, by=cast["alice"], kind="housing", to_organisation="Council", consent="given"
    )
    path = url(f"onward-referrals/{referral.public_id}/")
    state = form_state(as_user("alice").get(path).content.decode())
    response = as_user("alice").post(path, {**state, "status": "accepted", "details": "Seen"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.consent) == ("accepted", "given")
    assert as_user("bob").get(path).status_code == 404
