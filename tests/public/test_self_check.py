"""The "Is this stalking?" self-check: results explain why, signpost, and store nothing."""

import pytest
from django.test import Client

from harbour.audit.models import AuditEvent
from harbour.public.forms import self_check_result
from harbour.referrals.models import Referral

pytestmark = pytest.mark.django_db

ALL_YES = {
    "fixated": "yes",
    "obsessive": "yes",
    "unwanted": "yes",
    "repeated": "yes",
    "frightened": "yes",
}


def test_all_four_signs_sound_like_stalking_and_say_why():
    result = self_check_result(ALL_YES)
    assert result["likely"] is True
    assert "it has happened more than once" in result["reasons"]


def test_a_single_incident_is_not_called_stalking():
    result = self_check_result({**ALL_YES, "repeated": "no"})
    assert result["likely"] is False


def test_unwanted_and_repeated_without_fixation_or_obsession_is_not_called_stalking():
    result = self_check_result({**ALL_YES, "fixated": "no", "obsessive": "no"})
    assert result["likely"] is False


def test_result_page_signposts_999_helpline_and_self_referral():
    body = Client().post("/public/is-this-stalking/", ALL_YES).content.decode()
    assert "What you describe sounds like stalking" in body
    assert "999" in body
    assert "0808 802 0300" in body
    assert 'href="/public/self-referral/"' in body


def test_self_check_stores_nothing():
    before = AuditEvent.objects.count()
    Client().post("/public/is-this-stalking/", ALL_YES)
    assert AuditEvent.objects.count() == before
    assert not Referral.objects.system("test").exists()


def test_unanswered_questions_get_errors():
    response = Client().post("/public/is-this-stalking/", {})
    assert set(response.context["form"].errors) == set(ALL_YES)
    assert "govuk-error-summary" in response.content.decode()
