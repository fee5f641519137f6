"""Figures for a later dashboard: offered, answered, waiting, abandoned, converted, by hour."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from harbour.chat import services
from harbour.chat.models import Chat
from harbour.referrals.models import Referral
from harbour.referrals.services import receive_referral
from tests.conftest import page_of

pytestmark = pytest.mark.django_db


def _chat(service, offered, *, wait=None, length=None, outcome="", status="ended"):
    return Chat.unscoped.create(
        service=service,
        offered_at=offered,
        answered_at=offered + timedelta(seconds=wait) if wait is not None else None,
        ended_at=offered + timedelta(seconds=(wait or 0) + (length or 0))
        if status == "ended"
        else None,
        outcome=outcome,
        status=status,
    )


def test_the_figures_count_chats_and_times_by_hour(service, orgs):
    day = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    _chat(service, day, wait=30, length=600, outcome="answered")
    _chat(service, day + timedelta(minutes=5), wait=90, length=300, outcome="converted")
    _chat(service, day + timedelta(hours=4), outcome="abandoned")
    _chat(service, day + timedelta(hours=4, minutes=1), status="waiting")
    found = services.chat_figures(
        orgs["provider_a"].pk, day - timedelta(hours=1), day + timedelta(hours=5)
    )
    assert (found["offered"], found["answered"], found["abandoned"], found["converted"]) == (
        4,
        2,
        1,
        1,
    )
    assert found["waiting_now"] == 1
    assert found["wait_median_seconds"] in (30.0, 90.0)
    assert found["by_hour"][10] == {
        "hour": 10,
        "offered": 2,
        "answered": 2,
        "abandoned": 0,
        "converted": 1,
    }
    assert found["by_hour"][14]["offered"] == 2 and found["by_hour"][14]["abandoned"] == 1
    assert "alias" not in str(found)


def test_another_providers_chats_are_not_counted(service, orgs):
    from tests.chat.conftest import make_service

    other = make_service(orgs["provider_b"], slug="southshire")
    now = timezone.now()
    _chat(other, now - timedelta(minutes=1), wait=5, outcome="answered")
    assert (
        services.chat_figures(orgs["provider_a"].pk, now - timedelta(hours=1), now)["offered"] == 0
    )


def test_live_chat_is_a_referral_source_the_dashboard_can_count(orgs):
    receive_referral(
        source=Referral.Source.LIVE_CHAT,
        fields={"given_name": "A", "consent_to_contact": True},
        routed_to=orgs["provider_a"],
    )
    assert services.source_counts(orgs["provider_a"].pk) == {"live_chat": 1}


def test_a_manager_sees_the_figures_page_and_an_advocate_does_not(service, as_user):
    page = page_of(as_user("mia").get("/chat/figures/"), "Live chat figures")
    assert "Offered" in page
    assert as_user("alice").get("/chat/figures/").status_code == 404
