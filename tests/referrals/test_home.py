"""Referral figures on the staff home page."""

from datetime import UTC, datetime

import pytest

from harbour.referrals.models import Referral
from tests.conftest import page_of

pytestmark = pytest.mark.django_db


def test_advocate_home_counts_open_and_overdue_referrals(as_user, make_referral):
    make_referral(received_at=datetime(2026, 1, 5, 10, 0, tzinfo=UTC))
    make_referral()
    response = as_user("alice").get("/home/")
    assert (response.context["referrals_open"], response.context["referrals_overdue"]) == (2, 1)
    assert "1 overdue" in response.content.decode()


def test_police_home_counts_referrals_sent(as_user, make_referral):
    make_referral(Referral.Source.POLICE)
    body = as_user("pete").get("/home/").content.decode()
    assert "Your force has sent 1 referral through Harbour" in body


def test_other_roles_get_no_referral_figures(as_user, make_referral):
    make_referral()
    response = as_user("cora").get("/home/")
    page_of(response, "Home")
    assert "referrals_open" not in response.context
    assert "referral" not in response.content.decode().lower()
