"""Every public page: Exit this page, no third-party requests, no-store, nothing identifying."""

import re

import pytest
from django.test import Client

from tests.access.expect_public import SELF_REFERRAL

pytestmark = pytest.mark.django_db

PAGES = [
    "/public/",
    "/public/help/",
    "/public/self-referral/",
    "/public/is-this-stalking/",
    "/public/family-and-friends/",
    "/public/professional-referral/",
    "/public/sent/",
]


@pytest.mark.parametrize("path", PAGES)
def test_public_page_has_exit_this_page_pointing_at_harbour(path):
    response = Client().get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="govuk-exit-this-page" data-module="govuk-exit-this-page"' in body
    assert 'href="/public/leave/"' in body
    assert "govuk-js-exit-this-page-button" in body
    assert "Shift key 3 times" in body


@pytest.mark.parametrize("path", PAGES)
def test_public_page_makes_no_third_party_requests(path):
    response = Client().get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>" in body and "Harbour</title>" in body
    external = re.findall(r'(?:src|href|action)="(https?:)?//', body)
    assert external == []
    assert "<iframe" not in body


@pytest.mark.parametrize("path", PAGES)
def test_public_page_is_not_stored_by_the_browser(path):
    response = Client().get(path)
    assert "no-store" in response["Cache-Control"]


def test_leave_ends_the_session_and_goes_to_a_neutral_site(as_user):
    client = as_user("alice")
    response = client.get("/public/leave/")
    assert response.status_code == 302
    assert response["Location"] == "https://www.bbc.co.uk/weather"
    assert "storage" in response["Clear-Site-Data"]
    assert client.get("/home/").status_code == 302  # signed out


def test_interruption_page_explains_shift_three_times_and_history():
    body = Client().get("/public/").content.decode()
    assert "press the Shift key 3 times" in body
    assert "does not remove this site from your browser history" in body


def test_confirmation_page_shows_no_details(orgs):
    client = Client()
    response = client.post("/public/self-referral/", SELF_REFERRAL, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == "/public/sent/"
    for detail in ("Isadora", "07911", "NS1", "turning up"):
        assert detail not in body
    assert "<title>Sent - Harbour</title>" in body


def test_forms_work_without_javascript():
    """Plain HTML forms: POST to themselves with a real submit button, no script needed."""
    for path in PAGES[2:6]:
        body = Client().get(path).content.decode()
        assert '<form method="post"' in body
        assert '<button type="submit"' in body
        assert "csrfmiddlewaretoken" in body


def test_every_field_of_the_sectioned_forms_is_in_a_section():
    from harbour.public.forms import FamilyFriendForm, ProfessionalReferralForm, SelfReferralForm
    from harbour.referrals.forms import PoliceReferralForm

    for form_class in (
        SelfReferralForm,
        FamilyFriendForm,
        ProfessionalReferralForm,
        PoliceReferralForm,
    ):
        form = form_class()
        shown = [field.name for _, fields in form.sections() for field in fields]
        assert sorted(shown) == sorted(form.fields), form_class.__name__
