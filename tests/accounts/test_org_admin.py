"""An organisation's administrator manages that organisation's users, and nobody else's."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.accounts import mfa
from harbour.accounts.models import LoginSession, User
from harbour.audit.models import AuditEvent
from tests.conftest import page_of

pytestmark = pytest.mark.django_db

NEW = {
    "username": "NS-Advocate-7",
    "full_name": "Octavia Fernsby",
    "role": "trainer",
}


def test_the_user_list_shows_only_the_admins_own_organisation(cast, as_user):
    page = page_of(as_user("ada").get("/accounts/users/"), "Users")
    for colleague in ("alice", "amir", "mia", "tariq", "ada"):
        assert f">{colleague}</a>" in page
    for outsider in ("bob", "bea", "pete", "cora", "priya"):
        assert f">{outsider}</a>" not in page


def test_an_admin_creates_a_user_in_their_own_organisation_only(cast, orgs, as_user):
    response = as_user("ada").post(
        "/accounts/users/new/", {**NEW, "organisation": orgs["provider_b"].pk}
    )
    assert response.status_code == 302
    new = User.objects.get(username="ns-advocate-7")
    assert new.organisation_id == orgs["provider_a"].pk
    assert new.full_name == "Octavia Fernsby"
    assert new.role == "trainer" and new.must_change_password
    assert mfa.confirmed_totp(new) is None  # they enrol at first sign-in
    assert AuditEvent.objects.get(verb="user.created").payload == {"role": "trainer"}


def test_an_admin_cannot_give_a_role_their_kind_of_organisation_does_not_hold(cast, as_user):
    response = as_user("ada").post("/accounts/users/new/", {**NEW, "role": "police_coordinator"})
    assert response.status_code == 200
    assert not User.objects.filter(username="ns-advocate-7").exists()


def test_a_taken_username_is_refused(cast, as_user):
    response = as_user("ada").post("/accounts/users/new/", {**NEW, "username": "bob"})
    assert response.status_code == 200
    assert b"Choose a different username." in response.content


@pytest.mark.parametrize(
    ("method", "action"),
    [("get", ""), ("post", "disable/"), ("post", "enable/"), ("post", "reset-mfa/")],
)
def test_another_organisations_user_is_not_found_for_an_admin(cast, as_user, method, action):
    bob = cast["bob"]
    response = getattr(as_user("ada"), method)(f"/accounts/users/{bob.pk}/{action}")
    assert response.status_code == 404
    bob.refresh_from_db()
    assert bob.is_active
    assert mfa.confirmed_totp(bob) is not None
    assert AuditEvent.objects.filter(verb="access.denied", object_id=str(bob.pk)).exists()


def test_an_admin_disables_and_re_enables_a_colleague(cast, as_user):
    ada, alice = as_user("ada"), cast["alice"]
    assert ada.post(f"/accounts/users/{alice.pk}/disable/", {"confirm": "yes"}).status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active and alice.disabled_at is not None
    assert ada.post(f"/accounts/users/{alice.pk}/enable/").status_code == 302
    alice.refresh_from_db()
    assert alice.is_active and alice.disabled_at is None


def test_an_admin_cannot_disable_themselves(cast, as_user):
    ada = as_user("ada")
    ada.post(f"/accounts/users/{cast['ada'].pk}/disable/", {"confirm": "yes"})
    assert User.objects.get(pk=cast["ada"].pk).is_active
    assert ada.get("/accounts/users/").status_code == 200


def test_resetting_a_colleagues_second_factor_ends_their_sessions(cast, as_user):
    alice = cast["alice"]
    alice_client = as_user("alice")
    LoginSession.objects.create(
        user=alice, session_key=LoginSession.stored(alice_client.session.session_key)
    )
    response = as_user("ada").post(f"/accounts/users/{alice.pk}/reset-mfa/", {"confirm": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert alice_client.get("/home/").status_code == 302


@pytest.mark.parametrize("person", ["alice", "mia", "tariq", "bea", "pete", "cora", "priya"])
def test_people_who_are_not_admins_cannot_manage_users(cast, as_user, person):
    client = as_user(person)
    assert client.get("/accounts/users/").status_code == 404
    assert client.get("/accounts/users/new/").status_code == 404
    assert (
        client.post(f"/accounts/users/{cast['amir'].pk}/disable/", {"confirm": "yes"}).status_code
        == 404
    )
    assert User.objects.get(pk=cast["amir"].pk).is_active


@pytest.mark.parametrize("action", ["disable/", "reset-mfa/"])
def test_disabling_or_resetting_asks_first_and_changes_nothing_until_confirmed(
    cast, as_user, action
):
    alice = cast["alice"]
    response = as_user("ada").post(f"/accounts/users/{alice.pk}/{action}")
    assert response.status_code == 200
    assert 'name="confirm" value="yes"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active
    assert mfa.confirmed_totp(alice) is not None
    assert not AuditEvent.objects.filter(verb__in=["user.disabled", "user.mfa_reset"]).exists()
