"""Expected statuses for the passkey URLs (accounts:passkey*): each person's own passkeys, and the
passkey step of sign-in. The matrix signs people in just now, which counts as a fresh
confirmation for adding a passkey; removing one needs a step-up like other sensitive changes."""

from __future__ import annotations

from tests.access.routes import Route, statuses

ROUTES = [
    Route("accounts:passkeys", statuses(200, anon=302)),
    # Starting a registration answers the browser's options; anon is sent to sign-in.
    Route("accounts:passkey_register_begin", statuses(200, anon=302), method="POST", mutates=True),
    Route("accounts:passkey_register_begin", statuses(405, anon=302)),
    # Completing one with nothing started (or a wrong response) is refused.
    Route(
        "accounts:passkey_register_complete",
        statuses(400, anon=302),
        method="POST",
        mutates=True,
    ),
    Route("accounts:passkey_register_complete", statuses(405, anon=302)),
    # Removing needs a recent step-up first (then only one's own passkey: tests/accounts).
    Route(
        "accounts:passkey_remove",
        statuses(302),
        kwargs=lambda world: {"passkey_id": 987654},
        method="POST",
        mutates=True,
    ),
    Route(
        "accounts:passkey_remove",
        statuses(405, anon=302),
        kwargs=lambda world: {"passkey_id": 987654},
    ),
    # Removing the authenticator app needs a recent step-up too (and a passkey: tests/accounts).
    Route("accounts:authenticator_remove", statuses(302), method="POST", mutates=True),
    Route("accounts:authenticator_remove", statuses(405, anon=302)),
    # A step-up with a passkey: nobody in the matrix has one, so beginning is refused; completing
    # with no assertion is refused.
    Route("accounts:passkey_step_up_begin", statuses(400, anon=302), method="POST", mutates=True),
    Route("accounts:passkey_step_up_begin", statuses(405, anon=302)),
    Route(
        "accounts:passkey_step_up_complete", statuses(400, anon=302), method="POST", mutates=True
    ),
    Route("accounts:passkey_step_up_complete", statuses(405, anon=302)),
    # The passkey step of sign-in: with no password step pending, nobody gets anywhere.
    Route("accounts:passkey_sign_in_begin", statuses(400), method="POST", mutates=True),
    Route("accounts:passkey_sign_in_begin", statuses(405)),
    Route("accounts:passkey_sign_in_complete", statuses(400), method="POST", mutates=True),
    Route("accounts:passkey_sign_in_complete", statuses(405)),
]
