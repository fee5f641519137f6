"""Training figures against hand counts: sessions and people by sector and area, confidence before
and after, and referrals later received from trained organisations, matched on the organisation the
referrer named (its other names too), counted only after that organisation's first training."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from harbour.referrals.models import Referral
from harbour.referrals.services import receive_referral
from harbour.training import services
from harbour.training.arithmetic import normalise_org_name
from harbour.training.figures import training_figures

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days_ago(n: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=n)


def _session(orgs, cast, *, provider="provider_a", ago, area, partners=(), attendance=None):
    tariq = cast["tariq"] if provider == "provider_a" else cast["bea"]
    session = services.schedule_session(
        orgs[provider],
        by=tariq,
        title="Awareness",
        starts_at=days_ago(ago),
        duration_minutes=120,
        place="their_premises",
        venue="",
        area=area,
        trainer=tariq,
        capacity=30,
    )
    for partner in partners:
        services.add_organisation(session, partner, by=tariq)
    if attendance:
        services.deliver_session(session, attendance=attendance, by=tariq)
    return session


def _feedback(session, cast, scores):
    attendee = services.add_attendee(
        session, name="A", email="", sector="health", partner=None, by=cast["tariq"]
    )
    answers = {}
    for stem, (before, after) in scores.items():
        answers[f"{stem}_before"], answers[f"{stem}_after"] = before, after
    services.give_feedback(attendee, answers)


def _referral(org_name, ago, *, postcode="NS1 2AB", source=Referral.Source.PROFESSIONAL):
    return receive_referral(
        source=source,
        fields={
            "given_name": "R",
            "postcode": postcode,
            "safe_call": True,
            "referrer_organisation": org_name,
        },
        received_at=days_ago(ago),
    )


@pytest.fixture
def year(orgs, cast):
    provider, tariq = orgs["provider_a"], cast["tariq"]
    surgery = services.add_partner(
        provider,
        by=tariq,
        name="Larkfield Surgery",
        sector="health",
        other_names="Larkfield Medical Practice",
    )
    salon = services.add_partner(provider, by=tariq, name="Hair by Hazel", sector="hairdressing")
    services.add_partner(provider, by=tariq, name="Unvisited Gym", sector="personal_training")
    first = _session(
        orgs,
        cast,
        ago=60,
        area="Larkfield",
        partners=[surgery],
        attendance={"health": 10, "police": 2},
    )
    second = _session(
        orgs,
        cast,
        ago=30,
        area="Northtown",
        partners=[surgery, salon],
        attendance={"hairdressing": 5, "health": 3},
    )
    # Not counted: cancelled, still scheduled, another provider's, and before the period.
    cancelled = _session(orgs, cast, ago=20, area="Northtown", partners=[salon])
    services.cancel_session(cancelled, reason="r", by=tariq)
    _session(orgs, cast, ago=-10, area="Northtown", partners=[salon])
    _session(orgs, cast, provider="provider_b", ago=15, area="Southtown", attendance={"health": 40})
    _session(orgs, cast, ago=400, area="Larkfield", attendance={"health": 50})
    _feedback(first, cast, {"recognising": (2, 4), "responding": (1, 4), "referring": (2, 5)})
    _feedback(first, cast, {"recognising": (3, 3), "responding": (2, 4), "referring": (3, 4)})
    _feedback(second, cast, {"recognising": (1, 5), "responding": (2, 2), "referring": (1, 4)})
    # Referrals. Counted: two naming the surgery (one by its other name), one the salon.
    _referral("Larkfield Surgery Ltd", 20)
    _referral("larkfield medical practice", 10)
    _referral("Hair by Hazel", 5)
    # Not counted: before the organisation was trained, not a partner, another provider's,
    # not a professional referral.
    _referral("Larkfield Surgery", 90)
    _referral("Hair by Hazel", 40)
    _referral("Unvisited Gym", 3)
    _referral("Larkfield Surgery", 3, postcode="SS1 2AB")
    _referral("Larkfield Surgery", 3, source=Referral.Source.SELF)
    return orgs


def test_sessions_and_people_by_sector_and_area_match_the_hand_count(year):
    figures = training_figures(
        [year["provider_a"]], (NOW - datetime.timedelta(days=365)).date(), NOW.date()
    )
    assert figures.sessions == 2
    assert figures.people == 10 + 2 + 5 + 3
    assert figures.by_sector == {"health": 13, "police": 2, "hairdressing": 5}
    assert figures.by_area == {"Larkfield": 12, "Northtown": 8}
    assert figures.by_area_and_sector[("Northtown", "health")] == 3
    assert figures.trained_organisations == 2


def test_confidence_before_and_after_match_the_hand_count(year):
    figures = training_figures(
        [year["provider_a"]], (NOW - datetime.timedelta(days=365)).date(), NOW.date()
    )
    recognising, responding, referring = figures.confidence
    assert (recognising.responses, recognising.mean_before, recognising.mean_after) == (3, 2.0, 4.0)
    assert recognising.improved == 2  # 3 -> 3 is not an improvement
    assert (responding.mean_before, responding.mean_after, responding.improved) == (1.67, 3.33, 2)
    assert (referring.mean_before, referring.mean_after, referring.improved) == (2.0, 4.33, 3)


def test_referrals_from_trained_organisations_count_only_after_their_training(year):
    figures = training_figures(
        [year["provider_a"]], (NOW - datetime.timedelta(days=365)).date(), NOW.date()
    )
    assert figures.referrals_from_trained == 3
    assert figures.referring_organisations == 2


def test_a_period_before_any_training_has_no_figures(year):
    end = (NOW - datetime.timedelta(days=100)).date()
    figures = training_figures([year["provider_a"]], end - datetime.timedelta(days=30), end)
    assert (figures.sessions, figures.people, figures.referrals_from_trained) == (0, 0, 0)


def test_the_partner_page_lists_the_referrals_received_after_training(year, cast, as_user):
    from harbour.training.models import PartnerOrganisation

    surgery = PartnerOrganisation.objects.system("test").get(name="Larkfield Surgery")
    page = as_user("alice").get(f"/partners/{surgery.public_id}/").content.decode()
    assert "2 referrals in the last three years" in page


def test_the_figures_page_shows_the_year(year, as_user):
    page = as_user("tariq").get("/training/figures/").content.decode()
    assert "people trained" in page
    assert ">20<" in page  # people trained
    assert "referrals from 2 trained organisations" in page


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Larkfield Surgery", "LARKFIELD SURGERY LTD"),
        ("The Hair & Beauty Co.", "hair and beauty"),
        ("St. Mary's Medical Centre", "St Marys Medical Centre"),
        ("Café Noir", "cafe noir"),
    ],
)
def test_organisation_names_match_whatever_their_case_punctuation_or_legal_suffix(one, other):
    assert normalise_org_name(one) == normalise_org_name(other)


def test_different_organisations_do_not_match():
    assert normalise_org_name("Larkfield Surgery") != normalise_org_name("Larkfield Dental")
    assert normalise_org_name("Ltd") == ""
