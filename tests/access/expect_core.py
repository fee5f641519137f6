"""Expected statuses for core:* URLs (landing, home, health check).

Django's admin (under django-admin/) is one group checked in test_matrix.py itself.
"""

from __future__ import annotations

from tests.access.routes import Route, statuses

ROUTES = [
    # The landing page is public; signed-in staff are sent on to their home page.
    Route("core:landing", statuses(302, anon=200)),
    # Every role has a home page; signed-out visitors go to sign-in.
    Route("core:home", statuses(200, anon=302)),
    # The health check answers everyone (load balancers are not signed in).
    Route("core:healthz", statuses(200)),
]
