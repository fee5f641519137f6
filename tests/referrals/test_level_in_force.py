"""Risk never drops silently: the level in force on a case rises with any higher grading, and falls
only by a reasoned decision that the risk history shows. The police grading is where it starts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from harbour.cases import services as case_services
from harbour.cases.models import Case, RiskLevel
from harbour.referrals import services as referrals
from harbour.referrals.models import Referral
from harbour.risk import services
from harbour.risk.models import InstrumentVersion, RiskLevelChange

pytestmark = pytest.mark.django_db

HIGH_ANSWERS = {"threats_to_kill": "yes", "victim_fear": "yes"}  # a critical item: high
LOW_ANSWERS = {"victim_fear": "no"}
TODAY = dt.date(2026, 11, 30)


def shipped() -> InstrumentVersion:
    services.ensure_shipped_instruments()
    return InstrumentVersion.objects.get(slug="harbour-stalking-risk", active=True)


def level(case: Case) -> RiskLevel:
    return services.current_level(case)


def test_the_police_grading_is_the_level_in_force_when_the_case_opens(make_referral, cast):
    referral = make_referral(Referral.Source.POLICE, risk_level="high")
    case = referrals.accept(referral, by=cast["alice"], allocate_to=cast["alice"])
    assert level(case) == RiskLevel.HIGH
    change = RiskLevelChange.unscoped.get(case=case)
    assert change.source == RiskLevelChange.Source.POLICE
    assert change.previous == RiskLevel.NOT_ASSESSED


def test_a_later_lower_assessment_leaves_the_higher_level_in_force(case_a, cast):
    services.record_assessment(
        case_a, instrument_version=shipped(), answers=HIGH_ANSWERS, by=cast["alice"]
    )
    assert level(case_a) == RiskLevel.HIGH
    lower = services.record_assessment(
        case_a, instrument_version=shipped(), answers=LOW_ANSWERS, by=cast["alice"]
    )
    assert lower.band == "standard"
    assert level(case_a) == RiskLevel.HIGH
    assert services.lower_assessment_than_in_force(case_a) == lower
    assert RiskLevelChange.unscoped.filter(case=case_a).count() == 1


def test_a_higher_assessment_raises_the_level_by_itself(make_referral, cast):
    case = referrals.accept(
        make_referral(Referral.Source.POLICE, risk_level="standard"), by=cast["alice"]
    )
    services.record_assessment(
        case, instrument_version=shipped(), answers=HIGH_ANSWERS, by=cast["alice"]
    )
    assert level(case) == RiskLevel.HIGH


def test_lowering_needs_a_reason_and_is_kept_in_the_history(case_a, cast):
    services.record_assessment(
        case_a, instrument_version=shipped(), answers=HIGH_ANSWERS, by=cast["alice"]
    )
    with pytest.raises(services.RiskRuleError, match="Enter why"):
        services.decide_level(case_a, RiskLevel.MEDIUM, reason="  ", by=cast["alice"])
    assert level(case_a) == RiskLevel.HIGH
    services.decide_level(
        case_a, RiskLevel.MEDIUM, reason="Suspect remanded in custody", by=cast["mia"]
    )
    assert level(case_a) == RiskLevel.MEDIUM
    latest = RiskLevelChange.unscoped.filter(case=case_a).first()
    assert latest is not None and latest.lowered and latest.decided_by == cast["mia"]
    assert latest.reason == "Suspect remanded in custody"


def test_a_change_of_level_is_never_edited(case_a, cast):
    change = services.decide_level(case_a, RiskLevel.HIGH, reason="Threat today", by=cast["alice"])
    change.reason = "something else"
    with pytest.raises(PermissionError):
        change.save()


def test_the_case_page_says_when_a_lower_assessment_did_not_lower_the_level(
    case_a, cast, as_user: Any
):
    services.record_assessment(
        case_a, instrument_version=shipped(), answers=HIGH_ANSWERS, by=cast["alice"]
    )
    services.record_assessment(
        case_a, instrument_version=shipped(), answers=LOW_ANSWERS, by=cast["alice"]
    )
    page = as_user("alice").get(f"/cases/{case_a.public_id}/").content.decode()
    assert "Risk level in force" in page
    assert "lower than the level in force" in page
    assert "How the level in force has changed" in page


def test_the_level_page_refuses_a_change_without_a_reason_and_changes_nothing(
    case_a, cast, as_user: Any
):
    client = as_user("alice")
    url = f"/risk/cases/{case_a.public_id}/level/"
    refused = client.post(url, {"level": "1", "reason": ""})
    assert refused.status_code == 200
    assert "Enter why the level in force is changing" in refused.content.decode()
    assert level(case_a) == RiskLevel.NOT_ASSESSED
    done = client.post(url, {"level": "3", "reason": "Threat to kill reported today"})
    assert done.status_code == 302
    assert level(case_a) == RiskLevel.HIGH


def test_an_advice_request_from_family_is_never_opened_as_a_client_case(cast):
    advice = referrals.receive_referral(
        source=Referral.Source.FAMILY_FRIEND,
        kind=Referral.Kind.ADVICE,
        fields={"given_name": "Parent", "postcode": "NS1 2AB", "consent_to_contact": True},
    )
    with pytest.raises(referrals.ReferralError, match="not opened as a client case"):
        referrals.accept(advice, by=cast["alice"])
    assert not Case.unscoped.exists()


# The Victims' Code clock per force, and what the force sees of the case ---------------------------


def test_the_force_sees_victims_code_compliance_by_month(make_referral, as_user: Any):

    from harbour.referrals.reporting import victims_code_by_month

    received = dt.datetime(2026, 5, 27, 9, 0, tzinfo=dt.UTC)  # a Wednesday
    make_referral(
        Referral.Source.POLICE, received_at=received, crime_reported_on=dt.date(2026, 5, 26)
    )
    make_referral(
        Referral.Source.POLICE, received_at=received, crime_reported_on=dt.date(2026, 5, 18)
    )
    make_referral(Referral.Source.POLICE, received_at=received)
    make_referral(Referral.Source.SELF, received_at=received)
    [row] = victims_code_by_month(Referral.unscoped.all())
    assert (row.month, row.referrals, row.within, row.late, row.not_known) == (
        dt.date(2026, 5, 1),
        3,
        1,
        1,
        1,
    )
    assert row.share_within == 50


def test_the_force_sees_whether_support_goes_on_only_with_consent_to_share(
    make_referral, cast, as_user: Any
):
    from harbour.evidence.services import record_police_consent

    case = referrals.accept(make_referral(Referral.Source.POLICE), by=cast["alice"])
    page = as_user("pete").get("/referrals/sent/").content.decode()
    assert "Not shared: the victim has not agreed to share with police" in page
    record_police_consent(case, state="given", how="phone", decided_on=TODAY, by=cast["alice"])
    page = as_user("pete").get("/referrals/sent/").content.decode()
    assert "Being supported" in page
    record_police_consent(case, state="withdrawn", how="phone", decided_on=TODAY, by=cast["alice"])
    page = as_user("pete").get("/referrals/sent/").content.decode()
    assert "Being supported" not in page
    assert case.client.given_name not in page


def test_an_onward_referral_to_police_needs_the_consent_record(case_a, cast):
    from harbour.cases.models import OnwardReferral
    from harbour.cases.services import ConsentRequired, make_onward_referral
    from harbour.evidence.services import record_police_consent

    def refer() -> OnwardReferral:
        return make_onward_referral(
            case_a,
            by=cast["alice"],
            kind=OnwardReferral.Kind.POLICE,
            to_organisation="Northshire Police",
            consent=OnwardReferral.Consent.GIVEN,
        )

    with pytest.raises(ConsentRequired, match="consent record"):
        refer()
    record_police_consent(
        case_a, state="given", how="in_person", decided_on=TODAY, by=cast["alice"]
    )
    assert refer().kind == "police"
    record_police_consent(
        case_a, state="withdrawn", how="phone", decided_on=TODAY, by=cast["alice"]
    )
    with pytest.raises(ConsentRequired, match="withdrawn"):
        refer()


def test_domestic_abuse_stalking_goes_to_marac_and_the_rest_to_the_stalking_panel(
    case_a, cast, settings
):
    from harbour.risk.models import MaracReferral

    settings.HARBOUR_STALKING_PANEL_NAME = "the Northshire stalking clinic"
    case_a.relationship_to_suspect = "stranger"
    case_a.save()
    panel = services.refer_to_marac(
        case_a, by=cast["alice"], reason="Fixated stranger", referred_on=TODAY
    )
    assert panel.forum == MaracReferral.Forum.PANEL
    assert panel.forum_name == "the Northshire stalking clinic"
    case_a.relationship_to_suspect = "ex_partner"
    case_a.save()
    marac = services.refer_to_marac(
        case_a, by=cast["alice"], reason="Ex-partner", referred_on=TODAY
    )
    assert marac.forum == MaracReferral.Forum.MARAC


def test_each_area_names_its_own_stalking_panel_and_the_setting_is_the_fallback(
    case_a, cast, settings, as_user: Any
):
    settings.HARBOUR_STALKING_PANEL_NAME = "the multi-agency stalking panel"
    case_a.relationship_to_suspect = "stranger"
    case_a.save()
    organisation = case_a.organisation
    organisation.panel_name = "the Northshire stalking clinic"
    organisation.save()
    page = as_user("alice").get(f"/cases/{case_a.public_id}/").content.decode()
    assert "Refer to the Northshire stalking clinic" in page
    panel = services.refer_to_marac(
        case_a, by=cast["alice"], reason="Fixated stranger", referred_on=TODAY
    )
    assert panel.forum_name == "the Northshire stalking clinic"
    assert "The Northshire stalking clinic referral" in " ".join(case_services.open_items(case_a))
    # The case page lists the referral under the area's own name (read from the page's case).
    page = as_user("alice").get(f"/cases/{case_a.public_id}/").content.decode()
    assert "The Northshire stalking clinic, referred" in page
    organisation.panel_name = ""
    organisation.save()
    panel.refresh_from_db()
    assert panel.case.organisation.panel_name == ""
    assert panel.forum_name == "the multi-agency stalking panel"


def test_a_manager_sees_on_her_home_page_that_consent_to_share_was_withdrawn(
    case_a, cast, as_user: Any
):
    from django.utils import timezone

    from harbour.evidence.services import record_police_consent

    today = timezone.localdate()
    record_police_consent(case_a, state="given", how="phone", decided_on=today, by=cast["alice"])
    assert case_a.reference not in as_user("mia").get("/home/").content.decode()
    record_police_consent(
        case_a, state="withdrawn", how="phone", decided_on=today, by=cast["alice"]
    )
    home = as_user("mia").get("/home/").content.decode()
    assert "Consent to share with police withdrawn" in home
    assert case_a.reference in home
    assert case_a.reference not in as_user("bea").get("/home/").content.decode()
