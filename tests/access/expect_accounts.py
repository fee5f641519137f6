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


def user_id(name: str) -> Callable[[World], dict[str, int]]:
    def kwargs(world: World) -> dict[str, int]:
        person = world.cast[name] if name in world.cast else getattr(world, name)
        return {"user_id": person.pk}

    return kwargs


NEW_USER = {
    "username": "new-advocate",
    "full_name": "New Advocate",
    "role": "advocate",
    "password": "a long temporary password",
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
    Route("accounts:user_disable", ADA_ACTS, kwargs=user_id("alice"), method="POST", mutates=True),
    Route("accounts:user_disable", NOBODY, kwargs=user_id("bob"), method="POST", mutates=True),
    Route("accounts:user_disable", statuses(405, anon=302), kwargs=user_id("alice")),
    Route("accounts:user_enable", ADA_ACTS, kwargs=user_id("dora"), method="POST", mutates=True),
    Route("accounts:user_enable", NOBODY, kwargs=user_id("bob"), method="POST", mutates=True),
    Route(
        "accounts:user_reset_mfa", ADA_ACTS, kwargs=user_id("alice"), method="POST", mutates=True
    ),
    Route("accounts:user_reset_mfa", NOBODY, kwargs=user_id("bob"), method="POST", mutates=True),
    # Nobody resets their own second factor from the admin pages.
    Route("accounts:user_reset_mfa", NOBODY, kwargs=user_id("ada"), method="POST", mutates=True),
]
