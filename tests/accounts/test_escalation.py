"""No path from a role that never sees case content to case content (issue #9).

Three routes an administrator or platform operator could take into a case are each attempted here,
and each fails and is in the audit trail: an organisation administrator creates a manager account
and uses it; an administrator resets a colleague's second factor and signs in as them; a platform
operator edits their own organisation and role in /django-admin/.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.accounts.models import AccountNotice, RoleRequest, User
from harbour.audit.models import AuditEvent
from tests.accounts.flow import ENROL, VERIFY, device_of, submit_password, totp_code
from tests.conftest import PASSWORD, signed_in_client

pytestmark = pytest.mark.django_db

NEW_MANAGER = {"username": "ns-manager-9", "full_name": "Perpetua Glass", "role": "manager"}
OWN_PASSWORD = "lantern quarry velvet orchard"


def create_account(ada: HttpClient, **fields: str) -> tuple[User, str]:
    """Ada creates an account and reads the one-time temporary password from the next page."""
    response = ada.post("/accounts/users/new/", {**NEW_MANAGER, **fields}, follow=True)
    assert response.status_code == 200
    new = User.objects.get(username=fields.get("username", NEW_MANAGER["username"]))
    temporary = response.context["temporary_password"]
    assert temporary and new.check_password(temporary)
    return new, temporary


def enrol_and_finish(client: HttpClient, user: User, password: str) -> HttpClient:
    """Password, then set up a new authenticator: the first sign-in of an account."""
    response = submit_password(client, user.username, password)
    assert response.status_code == 302 and response["Location"] == ENROL, response
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"code": totp_code(device)})
    assert response.status_code == 302, response
    return client


def open_case_page(client: HttpClient, case_id: str) -> int:
    return client.get(f"/cases/{case_id}/").status_code


# Route 1: an administrator creates a manager account and uses it ---------------------------------


def test_a_manager_account_an_admin_creates_cannot_open_cases_until_a_manager_approves(
    cast, as_user, case_a
):
    new, temporary = create_account(as_user("ada"))
    assert new.role == ""  # no role until approved
    assert RoleRequest.objects.get(user=new).status == RoleRequest.Status.PENDING

    # Ada signs in as the new account with the password she was shown.
    client = enrol_and_finish(HttpClient(), new, temporary)
    client.post(
        "/accounts/security/password/",
        {
            "current_password": temporary,
            "new_password": OWN_PASSWORD,
            "confirm_password": OWN_PASSWORD,
        },
    )
    assert open_case_page(client, case_a.public_id) == 404
    assert client.get("/cases/").status_code == 404
    assert AuditEvent.objects.filter(verb="user.role_requested", object_id=str(new.pk)).exists()
    assert AuditEvent.objects.filter(verb="access.denied", actor_id=new.pk).exists()


def test_the_role_takes_effect_when_a_provider_manager_approves_it(cast, as_user, case_a):
    new, _ = create_account(as_user("ada"))
    role_request = RoleRequest.objects.get(user=new)
    assert as_user("mia").get("/accounts/approvals/").status_code == 200
    response = as_user("mia").post(
        f"/accounts/approvals/{role_request.pk}/", {"decision": "approve"}
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.role == "manager"
    event = AuditEvent.objects.get(verb="user.role_approved")
    assert event.actor_id == cast["mia"].pk
    assert event.payload["requested_by"] == cast["ada"].pk
    assert AccountNotice.objects.filter(user=new, by=cast["mia"]).exists()


def test_a_declined_role_never_takes_effect(cast, as_user):
    new, _ = create_account(as_user("ada"))
    role_request = RoleRequest.objects.get(user=new)
    as_user("mia").post(f"/accounts/approvals/{role_request.pk}/", {"decision": "decline"})
    new.refresh_from_db()
    assert new.role == ""
    assert AuditEvent.objects.filter(verb="user.role_declined").exists()


@pytest.mark.parametrize("who", ["ada", "alice", "bea", "pete", "tariq"])
def test_nobody_but_another_manager_of_the_organisation_can_approve(cast, as_user, who):
    new, _ = create_account(as_user("ada"))
    role_request = RoleRequest.objects.get(user=new)
    response = as_user(who).post(f"/accounts/approvals/{role_request.pk}/", {"decision": "approve"})
    assert response.status_code == 404
    new.refresh_from_db()
    assert new.role == ""


def test_a_manager_cannot_approve_a_role_for_their_own_account(cast, as_user):
    mia = cast["mia"]
    mia.role = "trainer"
    mia.save()
    as_user("ada").post(f"/accounts/users/{mia.pk}/role/", {"role": "manager"})
    role_request = RoleRequest.objects.get(user=mia)
    mia.role = "manager"  # even were she a manager while it waits
    mia.save()
    response = signed_in_client(mia).post(
        f"/accounts/approvals/{role_request.pk}/", {"decision": "approve"}
    )
    assert response.status_code == 404
    assert RoleRequest.objects.get(pk=role_request.pk).status == RoleRequest.Status.PENDING


def test_raising_a_trainer_to_advocate_waits_for_approval(cast, as_user, case_a):
    tariq = cast["tariq"]
    response = as_user("ada").post(f"/accounts/users/{tariq.pk}/role/", {"role": "advocate"})
    assert response.status_code == 302
    tariq.refresh_from_db()
    assert tariq.role == "trainer"
    assert open_case_page(as_user("tariq"), case_a.public_id) == 404
    assert RoleRequest.objects.get(user=tariq).role == "advocate"


def test_a_role_without_case_content_changes_at_once_and_the_person_is_told(cast, as_user):
    alice = cast["alice"]
    as_user("ada").post(f"/accounts/users/{alice.pk}/role/", {"role": "trainer"})
    alice.refresh_from_db()
    assert alice.role == "trainer"
    assert AccountNotice.objects.get(user=alice).by == cast["ada"]


# Temporary passwords ------------------------------------------------------------------------------


def test_a_temporary_password_must_be_replaced_before_anything_else(cast, as_user):
    new, temporary = create_account(as_user("ada"), role="trainer", username="ns-trainer-2")
    client = enrol_and_finish(HttpClient(), new, temporary)
    response = client.get("/home/")
    assert response.status_code == 302 and response["Location"] == "/accounts/security/password/"
    response = client.post(
        "/accounts/security/password/",
        {
            "current_password": temporary,
            "new_password": OWN_PASSWORD,
            "confirm_password": OWN_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert client.get("/home/").status_code == 200
    new.refresh_from_db()
    assert not new.must_change_password and new.temporary_password_expires_at is None
    assert new.check_password(OWN_PASSWORD) and not new.check_password(temporary)


def test_a_temporary_password_stops_working_after_24_hours(cast, as_user):
    new, temporary = create_account(as_user("ada"), role="trainer", username="ns-trainer-3")
    User.objects.filter(pk=new.pk).update(
        temporary_password_expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = submit_password(HttpClient(), new.username, temporary)
    assert response.status_code == 200
    assert b"temporary password has expired" in response.content
    assert AuditEvent.objects.filter(verb="auth.temporary_password_expired").exists()


def test_a_temporary_password_is_good_for_a_day(cast, as_user):
    new, _ = create_account(as_user("ada"), role="trainer", username="ns-trainer-4")
    lifetime = new.temporary_password_expires_at - timezone.now()
    assert timedelta(hours=23, minutes=59) < lifetime <= timedelta(hours=24)


def test_the_temporary_password_is_shown_once_only(cast, as_user):
    ada = as_user("ada")
    new, temporary = create_account(ada, role="trainer", username="ns-trainer-5")
    again = ada.get(f"/accounts/users/{new.pk}/")
    assert temporary.encode() not in again.content


# Route 2: an administrator resets a colleague's second factor and signs in as them ---------------


def test_an_admin_who_resets_a_colleagues_second_factor_cannot_sign_in_as_them(
    cast, as_user, case_a
):
    # Alice's account was made by Ada, who knew its temporary password; Alice replaced it.
    alice = cast["alice"]
    known_to_ada = "the temporary one Ada typed"
    as_user("ada").post(f"/accounts/users/{alice.pk}/reset-mfa/", {"confirm": "yes"})
    response = submit_password(HttpClient(), "alice", known_to_ada)
    assert response.status_code == 200  # the password Ada knew is not the password in use
    assert AuditEvent.objects.filter(verb="user.mfa_reset", object_id=str(alice.pk)).exists()
    assert AuditEvent.objects.filter(verb="auth.failed").exists()


def test_after_a_second_factor_reset_the_person_sets_a_new_password_and_is_told_who(cast, as_user):
    alice = cast["alice"]
    as_user("ada").post(f"/accounts/users/{alice.pk}/reset-mfa/", {"confirm": "yes"})
    client = enrol_and_finish(HttpClient(), alice, PASSWORD)
    page = client.get("/accounts/recovery-codes/").content.decode()  # shown once, first
    assert "two-step sign-in was reset" in page
    assert "Ada (administrator)" in page
    response = client.get("/home/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/security/password/"
    client.post(
        "/accounts/security/password/",
        {
            "current_password": PASSWORD,
            "new_password": OWN_PASSWORD,
            "confirm_password": OWN_PASSWORD,
        },
    )
    assert client.get("/home/").status_code == 200
    assert AccountNotice.objects.get(user=alice).seen_at is not None


def test_account_changes_are_shown_once_at_the_next_sign_in(cast, as_user):
    alice = cast["alice"]
    AccountNotice.objects.create(user=alice, by=cast["ada"], change="Your role is now Trainer.")
    client = HttpClient()
    submit_password(client, "alice")
    response = client.post(VERIFY, {"code": totp_code(device_of(alice))}, follow=True)
    assert "Your role is now Trainer." in response.content.decode()
    assert "Your role is now Trainer." not in client.get("/home/").content.decode()


# Changing one's own password (NCSC rules through Django's validators) ----------------------------


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("short one", "at least 12 characters"),
        ("qwerty123456", "too common"),
        ("123456789123", "too common"),
    ],
)
def test_short_and_common_passwords_are_refused(cast, as_user, new_password, message):
    response = as_user("alice").post(
        "/accounts/security/password/",
        {
            "current_password": PASSWORD,
            "new_password": new_password,
            "confirm_password": new_password,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.get(pk=cast["alice"].pk).check_password(PASSWORD)


def test_a_long_password_needs_no_digits_capitals_or_symbols(cast, as_user):
    response = as_user("alice").post(
        "/accounts/security/password/",
        {
            "current_password": PASSWORD,
            "new_password": OWN_PASSWORD,
            "confirm_password": OWN_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=cast["alice"].pk).check_password(OWN_PASSWORD)
    assert AuditEvent.objects.filter(verb="auth.password_changed").exists()


def test_the_current_password_is_needed_to_change_it(cast, as_user):
    response = as_user("alice").post(
        "/accounts/security/password/",
        {
            "current_password": "a guess at it",
            "new_password": OWN_PASSWORD,
            "confirm_password": OWN_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert User.objects.get(pk=cast["alice"].pk).check_password(PASSWORD)
    assert AuditEvent.objects.filter(verb="auth.password_change_refused").exists()


def test_changing_the_password_ends_the_accounts_other_sessions(cast, as_user):
    from harbour.accounts.models import LoginSession

    alice = cast["alice"]
    elsewhere = as_user("alice")
    LoginSession.objects.create(
        user=alice, session_key=LoginSession.stored(elsewhere.session.session_key)
    )
    here = as_user("alice")
    here.post(
        "/accounts/security/password/",
        {
            "current_password": PASSWORD,
            "new_password": OWN_PASSWORD,
            "confirm_password": OWN_PASSWORD,
        },
    )
    assert here.get("/home/").status_code == 200
    assert elsewhere.get("/home/").status_code == 302


# Route 3: a platform operator edits their own organisation and role ------------------------------


@pytest.fixture
def operator(db):
    person = User(username="operator", role="")
    person.is_superuser = person.is_staff = True
    person.set_password(PASSWORD)
    person.save()
    return person


def admin_post(client: HttpClient, user: User, **changes: object) -> object:
    data = {
        "username": user.username,
        "organisation": user.organisation_id or "",
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        "is_superuser": "on" if user.is_superuser else "",
        **changes,
    }
    data = {k: v for k, v in data.items() if v != ""}
    return client.post(f"/django-admin/accounts/user/{user.pk}/change/", data)


def test_an_operator_cannot_make_themselves_a_manager_in_a_provider(cast, orgs, operator, case_a):
    client = signed_in_client(operator)
    response = admin_post(client, operator, organisation=orgs["provider_a"].pk, role="manager")
    assert response.status_code == 200  # the form again, with the refusal
    operator.refresh_from_db()
    assert operator.organisation_id is None and operator.role == ""
    assert open_case_page(client, case_a.public_id) == 404
    refused = AuditEvent.objects.get(verb="admin.change_refused")
    assert refused.actor_id == operator.pk and refused.payload["self"] is True


def test_an_operator_cannot_join_a_provider_even_as_its_administrator(cast, orgs, operator):
    client = signed_in_client(operator)
    admin_post(client, operator, organisation=orgs["provider_a"].pk, role="admin")
    operator.refresh_from_db()
    assert operator.organisation_id is None


def test_an_operator_cannot_make_a_provider_member_a_superuser(cast, operator):
    client = signed_in_client(operator)
    admin_post(client, cast["ada"], is_superuser="on")
    assert not User.objects.get(pk=cast["ada"].pk).is_superuser
    assert AuditEvent.objects.filter(verb="admin.change_refused").exists()


def test_an_operator_cannot_give_a_caseworker_role_in_a_provider_holding_cases(
    cast, operator, case_a
):
    client = signed_in_client(operator)
    admin_post(client, cast["tariq"], role="manager")
    assert User.objects.get(pk=cast["tariq"].pk).role == "trainer"


def test_a_superuser_in_a_provider_has_no_case_access_whatever_the_database_says(cast, case_a):
    mia = cast["mia"]
    User.objects.filter(pk=mia.pk).update(is_superuser=True)
    mia.refresh_from_db()
    assert open_case_page(signed_in_client(mia), case_a.public_id) == 404


def test_every_admin_change_is_in_the_audit_trail(cast, orgs, operator):
    client = signed_in_client(operator)
    response = admin_post(client, cast["alice"], is_active="")
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb="admin.changed")
    assert event.actor_id == operator.pk and event.object_id == str(cast["alice"].pk)
    assert event.payload["changes"] == [{"kind": "changed", "fields": ["Active"]}]
    assert AccountNotice.objects.get(user=cast["alice"]).by_operator
    response = client.post(
        "/django-admin/accounts/organisation/add/",
        {
            "name": "Eastshire Advocacy",
            "kind": "provider",
            "area_name": "",
            "is_active": "on",
            "created_at_0": "2026-01-01",
            "created_at_1": "09:00:00",
            "service_areas-TOTAL_FORMS": "0",
            "service_areas-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEvent.objects.filter(
        verb="admin.added", object_type="accounts.organisation"
    ).exists()


# A new temporary password ------------------------------------------------------------------------


def test_an_expired_temporary_password_can_be_replaced_while_nobody_has_signed_in(cast, as_user):
    ada = as_user("ada")
    new, first = create_account(ada, role="trainer", username="ns-trainer-6")
    User.objects.filter(pk=new.pk).update(
        temporary_password_expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = ada.post(f"/accounts/users/{new.pk}/temporary-password/", follow=True)
    second = response.context["temporary_password"]
    assert second and second != first
    new.refresh_from_db()
    assert new.check_password(second) and not new.temporary_password_expired
    assert AuditEvent.objects.filter(verb="user.temporary_password_issued").exists()


def test_a_new_temporary_password_puts_a_caseworker_role_back_to_waiting(cast, as_user):
    new, _ = create_account(as_user("ada"))
    as_user("mia").post(
        f"/accounts/approvals/{RoleRequest.objects.get(user=new).pk}/", {"decision": "approve"}
    )
    as_user("ada").post(f"/accounts/users/{new.pk}/temporary-password/")
    new.refresh_from_db()
    assert new.role == ""
    assert RoleRequest.objects.filter(user=new, status="pending", role="manager").exists()


def test_no_new_temporary_password_for_an_account_someone_has_signed_in_to(cast, as_user):
    alice = cast["alice"]
    response = as_user("ada").post(f"/accounts/users/{alice.pk}/temporary-password/")
    assert response.status_code == 404
    assert User.objects.get(pk=alice.pk).check_password(PASSWORD)


def test_an_account_waiting_for_approval_signs_in_to_a_home_page_and_no_cases(cast, orgs):
    waiting = User(username="ns-waiting", organisation=orgs["provider_a"], role="")
    waiting.set_password(PASSWORD)
    waiting.save()
    client = signed_in_client(waiting)
    assert client.get("/home/").status_code == 200
    assert "No role yet" in client.get("/accounts/security/").content.decode()
    assert client.get("/referrals/").status_code == 404
