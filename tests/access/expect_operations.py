"""Expected statuses for operations:* URLs: liveness, readiness and metrics.

Liveness and readiness answer everyone (a load balancer is not signed in); readiness is 503 in the
matrix's world because no background worker has been seen. Metrics are off unless an address range
or token is configured: everyone, signed in or not, gets 404 (tests/operations cover the rule).
"""

from __future__ import annotations

from tests.access.routes import Route, statuses

ROUTES = [
    Route("operations:live", statuses(200)),
    Route("operations:ready", statuses(503)),
    Route("operations:metrics", statuses(404)),
]
