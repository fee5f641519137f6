"""A victim's safe address is masked on the case client page and the referral page until the
advocate re-authenticates (password and code); each reveal is in the audit trail."""

from __future__ import annotations

import time

import pytest

from harbour.accounts.stepup import REAUTH_AT
from harbour.audit.models import AuditEvent
from harbour.referrals.services import receive_referral

pytestmark = pytest.mark.django_db

ADDRESS_LINE = "14 Larkspur Crescent"


def stepped_up(client):
    session = client.session
    session[REAUTH_AT] = time.time()
    session.save()
    return client


def test_the_client_page_masks_the_address_until_step_up(as_user, case_a):
    url = f"/cases/{case_a.public_id}/client/"
    page = as_user("alice").get(url).content.decode()
    assert ADDRESS_LINE not in page
    assert "The address is hidden" in page
    assert "/accounts/reauthenticate/?next=" in page
    assert not AuditEvent.objects.filter(verb="case.address_revealed").exists()


def test_after_step_up_the_address_is_shown_and_the_reveal_audited(as_user, case_a, cast):
    url = f"/cases/{case_a.public_id}/client/"
    page = stepped_up(as_user("alice")).get(url).content.decode()
    assert ADDRESS_LINE in page
    event = AuditEvent.objects.get(verb="case.address_revealed")
    assert event.actor_id == cast["alice"].pk
    assert event.object_id == str(case_a.public_id)


def test_saving_the_masked_form_leaves_the_address_alone(as_user, case_a):
    from harbour.cases.models import Client

    url = f"/cases/{case_a.public_id}/client/"
    client = as_user("alice")
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["given_name"] = "Zebadiah"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    saved = Client.objects.system("test").get(pk=case_a.client_id)
    assert saved.given_name == "Zebadiah"
    assert saved.address.startswith(ADDRESS_LINE)


@pytest.fixture
def referral(orgs, cast):
    return receive_referral(
        source="self",
        fields={
            "given_name": "Wilhelmina",
            "postcode": "NS1 2AB",
            "address": "3 Quillon Row\nNorthtown",
            "safe_call": True,
            "phone": "07911 100456",
            "consent_to_contact": True,
        },
        via="public",
    )


def test_the_referral_page_masks_the_address_until_step_up(as_user, referral):
    url = f"/referrals/{referral.public_id}/"
    page = as_user("alice").get(url).content.decode()
    assert "3 Quillon Row" not in page
    assert "Hidden (safe address)" in page
    page = stepped_up(as_user("alice")).get(url).content.decode()
    assert "3 Quillon Row" in page
    assert AuditEvent.objects.filter(verb="referral.address_revealed").count() == 1
