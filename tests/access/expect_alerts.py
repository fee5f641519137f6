"""Expected statuses for alerts:* URLs: each member of staff's own alert choices."""

from __future__ import annotations

from tests.access.routes import Route, statuses

ROUTES = [
    # Everyone signed in has their own alert choices; nobody else's are reachable at all.
    Route("alerts:settings", statuses(200, anon=302)),
    Route(
        "alerts:settings",
        statuses(302),  # saved, then back to the page; anon is sent to sign-in
        method="POST",
        data=lambda world: {"email": "someone@example.org", "account_change": "immediate"},
        mutates=True,
    ),
    Route(
        "alerts:settings",
        statuses(200, anon=302),  # a malformed address: the form again
        method="POST",
        data=lambda world: {"email": "not an address", "account_change": "immediate"},
        mutates=True,
    ),
]
