"""Expected statuses for accounts:* URLs: sign-in, second factor, step-up, security, user admin.

Ada is Northshire Advocacy's administrator: she manages her own organisation's users only, so
another organisation's user id (Bob's) is a 404 for her, as it is for everyone else.
"""

from __future__ import annotations

from collections.abc import Callable

from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.access.routes import Route, World, statuses
from tests.conftest import PASSWORD

#: Everyone signed in is sent on (to home, or back to sign-in when nothing is pending).
SIGNED_IN_REDIRECT = statuses(302)
#: Only Ada may manage users; everyone else signed in gets "not found"; anon is sent to sign-in.
ADA_ONLY = statuses(404, ada=200, anon=302)
ADA_ACTS = statuses(404, ada=302, anon=302)
NOBODY = statuses(404, anon=302)


def CONFIRMED(world: object) -> dict[str, str]:  # noqa: N802 (reads as a constant in the table)
    return {"confirm": "yes"}


def build(world: World) -> None:
    from harbour.accounts.models import User

    dora = User(
        username="dora",
        organisation=world.orgs["provider_a"],
        role="advocate",
        full_name="Dora",
        is_active=False,
    )
    dora.set_password(PASSWORD)
    dora.save()
    TOTPDevice.objects.create(user=dora, name="app", confirmed=True)
    world.extra["dora"] = dora  # a disabled colleague of Ada's
    nell = User(username="nell", organisation=world.orgs["provider_a"], role="trainer")
    nell.set_temporary_password()
    nell.save()
    world.extra["nell"] = nell  # made by Ada; nobody has signed in to it yet
    from harbour.accounts.models import RoleRequest

    # Ada asked for Tariq to become an advocate: a manager of provider A decides.
    world.extra["role_request"] = RoleRequest.objects.create(
        user=world.cast["tariq"],
        organisation=world.orgs["provider_a"],
        role="advocate",
        previous_role="trainer",
        requested_by=world.cast["ada"],
    )


def user_id(name: str) -> Callable[[World], dict[str, int]]:
    def kwargs(world: World) -> dict[str, int]:
        person = world.cast[name] if name in world.cast else getattr(world, name)
        return {"user_id": person.pk}

    return kwargs


NEW_USER = {
    "username": "new-advocate",
    "full_name": "New Advocate",
    "role": "advocate",
}

ROUTES = [
    # Signing in -----------------------------------------------------------------------------------
    Route("accounts:sign_in", statuses(302, anon=200)),
    Route(
        "accounts:sign_in",
        statuses(302, anon=200),  # a wrong password shows the form again
        method="POST",
        data=lambda world: {"username": "alice", "password": "not the password"},
        mutates=True,
    ),
    Route(
        "accounts:sign_in",
        statuses(302),  # the right password moves on to the code page
        method="POST",
        data=lambda world: {"username": "alice", "password": PASSWORD},
        mutates=True,
    ),
    # With no password step pending, the code and set-up pages send everyone back to sign-in.
    Route("accounts:verify", SIGNED_IN_REDIRECT),
    Route(
        "accounts:verify",
        SIGNED_IN_REDIRECT,
        method="POST",
        data=lambda world: {"code": "123456"},
        mutates=True,
    ),
    Route("accounts:enrol", SIGNED_IN_REDIRECT),
    Route(
        "accounts:enrol",
        SIGNED_IN_REDIRECT,
        method="POST",
        data=lambda world: {"code": "123456"},
        mutates=True,
    ),
    Route("accounts:sign_out", statuses(200), method="POST", mutates=True),
    Route("accounts:sign_out", statuses(405)),  # signing out is a POST only
    Route("accounts:signed_out", statuses(200)),
    # Recovery codes are shown once, straight after they are made; otherwise on to security.
    Route("accounts:recovery_codes", statuses(302)),
    # Step-up and the person's own security page -------------------------------------------------
    Route("accounts:reauthenticate", statuses(200, anon=302)),
    Route(
        "accounts:reauthenticate",
        statuses(200, anon=302),  # wrong password and code: the form again
        method="POST",
        data=lambda world: {"password": "not the password", "code": "000000"},
        mutates=True,
    ),
    Route("accounts:security", statuses(200, anon=302)),
    # New recovery codes need a recent step-up: everyone signed in is sent to reauthenticate.
    Route("accounts:regenerate_codes", statuses(302), method="POST", mutates=True),
    Route("accounts:regenerate_codes", statuses(405, anon=302)),
    # Organisation user admin ----------------------------------------------------------------------
    Route("accounts:user_list", ADA_ONLY),
    Route("accounts:user_new", ADA_ONLY),
    Route(
        "accounts:user_new",
        ADA_ACTS,
        method="POST",
        data=lambda world: dict(NEW_USER),
        mutates=True,
    ),
    Route(
        "accounts:user_new",
        ADA_ONLY,  # an incomplete form is shown again
        method="POST",
        data=lambda world: {"username": "x"},
        mutates=True,
    ),
    Route("accounts:user_detail", ADA_ONLY, kwargs=user_id("alice")),
    Route("accounts:user_detail", ADA_ONLY, kwargs=user_id("ada")),
    Route("accounts:user_detail", NOBODY, kwargs=user_id("bob")),  # another organisation
    Route("accounts:user_detail", NOBODY, kwargs=lambda world: {"user_id": 987654}),
    # Without confirm=yes, a confirmation page (nothing changes); with it, the change.
    Route(
        "accounts:user_disable",
        statuses(404, ada=200, anon=302),
        kwargs=user_id("alice"),
        method="POST",
        mutates=True,
    ),
    Route(
        "accounts:user_disable",
        ADA_ACTS,
        kwargs=user_id("alice"),
        method="POST",
        data=CONFIRMED,
        mutates=True,
    ),
    Route("accounts:user_disable", NOBODY, kwargs=user_id("bob"), method="POST", mutates=True),
    Route("accounts:user_disable", statuses(405, anon=302), kwargs=user_id("alice")),
    Route("accounts:user_enable", ADA_ACTS, kwargs=user_id("dora"), method="POST", mutates=True),
    Route("accounts:user_enable", NOBODY, kwargs=user_id("bob"), method="POST", mutates=True),
    Route(
        "accounts:user_reset_mfa",
        statuses(404, ada=200, anon=302),
        kwargs=user_id("alice"),
        method="POST",
        mutates=True,
    ),
    Route(
        "accounts:user_reset_mfa",
        ADA_ACTS,
        kwargs=user_id("alice"),
        method="POST",
        data=CONFIRMED,
        mutates=True,
    ),
    Route("accounts:user_reset_mfa", NOBODY, kwargs=user_id("bob"), method="POST", mutates=True),
    # Nobody resets their own second factor from the admin pages.
    Route("accounts:user_reset_mfa", NOBODY, kwargs=user_id("ada"), method="POST", mutates=True),
    # Roles: an admin asks, a provider manager approves (never the admin, never the person).
    Route("accounts:user_role", ADA_ONLY, kwargs=user_id("alice")),
    Route("accounts:user_role", NOBODY, kwargs=user_id("ada")),  # not her own role
    Route("accounts:user_role", NOBODY, kwargs=user_id("bob")),
    Route(
        "accounts:user_role",
        ADA_ACTS,
        kwargs=user_id("tariq"),
        method="POST",
        data=lambda world: {"role": "manager"},
        mutates=True,
    ),
    Route("accounts:role_requests", statuses(404, anon=302, mia=200, bea=200)),
    Route(
        "accounts:role_request_decide",
        statuses(404, anon=302, mia=302),  # Bea is a manager, but of another organisation
        kwargs=lambda world: {"request_id": world.role_request.pk},
        method="POST",
        data=lambda world: {"decision": "approve"},
        mutates=True,
    ),
    Route(
        "accounts:role_request_decide",
        statuses(405, anon=302),
        kwargs=lambda world: {"request_id": world.role_request.pk},
    ),
    # A new temporary password only for an account nobody has signed in to (Nell); Dora has an
    # authenticator set up, so hers is refused.
    Route(
        "accounts:user_new_password",
        NOBODY,
        kwargs=user_id("dora"),
        method="POST",
        mutates=True,
    ),
    Route(
        "accounts:user_new_password",
        ADA_ACTS,
        kwargs=user_id("nell"),
        method="POST",
        mutates=True,
    ),
    Route("accounts:user_new_password", NOBODY, kwargs=user_id("bob"), method="POST", mutates=True),
    Route("accounts:user_new_password", statuses(405, anon=302), kwargs=user_id("nell")),
    # Everyone signed in changes their own password.
    Route("accounts:password_change", statuses(200, anon=302)),
    Route(
        "accounts:password_change",
        statuses(200, anon=302),  # a wrong current password: the form again
        method="POST",
        data=lambda world: {
            "current_password": "not it",
            "new_password": "lantern quarry velvet orchard",
            "confirm_password": "lantern quarry velvet orchard",
        },
        mutates=True,
    ),
]
