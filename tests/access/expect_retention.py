"""Expected statuses for retention:* URLs (subject access and erasure).

Only a manager of the case's own organisation (Mia) reaches them; the export and erasure posts
need a fresh re-authentication first, so in the matrix they redirect her to it. Everyone else,
Bea (a manager elsewhere) and the allocated advocate included, gets 404.
"""

from __future__ import annotations

from typing import Any

from tests.access.expect_cases import MANAGER, MANAGER_REDIRECT, empty
from tests.access.routes import Route, World


def case_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.closed.public_id}


ROUTES = [
    Route("retention:information_held", MANAGER, case_kw),
    Route("retention:export", MANAGER_REDIRECT, case_kw, "POST", empty, True),
    Route("retention:erase", MANAGER_REDIRECT, case_kw, "POST", empty, True),
]


def build(world: World) -> None:
    from harbour.cases.models import Case
    from tests.factories import OpenCaseFactory

    case = OpenCaseFactory(
        organisation=world.orgs["provider_a"],
        by=world.cast["mia"],
        allocated_to=world.cast["alice"],
        given_name="Wren",
        family_name="Testcase",
        source="matrix",
    )
    Case.unscoped.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    world.extra["closed"] = case
