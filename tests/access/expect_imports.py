"""Expected statuses for imports:* URLs (evidence imports and their flags).

Like the diary: Alice (allocated) and Mia (her manager) see a case's imports and flags and may
start one, say who is who, and confirm or dismiss flags; everyone else gets 404, Pete included
(imports are casework, never shared with police; only confirmed flags reach a bundle).
"""

from __future__ import annotations

from typing import Any

from tests.access.routes import Route, World, statuses

CASEWORKERS = statuses(404, anon=302, alice=200, mia=200)
CASEWORKERS_REDIRECT = statuses(404, anon=302, alice=302, mia=302)


def build(world: World) -> None:
    from harbour.cases import services as cases
    from harbour.imports.models import MessageFlag
    from tests.imports.conftest import imported_into

    cast, orgs = world.cast, world.orgs
    case = cases.open_case(
        organisation=orgs["provider_a"],
        client_fields={"given_name": "Wren", "family_name": "Importcase"},
        by=cast["mia"],
        allocated_to=cast["alice"],
        source="matrix",
    )
    job = imported_into(case, cast["alice"])
    world.extra["import_case"] = case
    world.extra["job"] = job
    world.extra["flag"] = MessageFlag.unscoped.get(source=job)


def case_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.import_case.public_id}


def job_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.job.public_id}


def flag_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.flag.public_id}


def empty(world: World) -> dict[str, Any]:
    return {}


ROUTES = [
    Route("imports:case_imports", CASEWORKERS, case_kw),
    Route("imports:new", CASEWORKERS, case_kw),
    Route("imports:new", CASEWORKERS, case_kw, method="POST", data=empty, mutates=True),
    Route("imports:detail", CASEWORKERS, job_kw),
    Route("imports:progress", CASEWORKERS, job_kw),
    # An empty choice shows the page again with errors.
    Route("imports:participants", CASEWORKERS, job_kw, "POST", empty, True),
    Route("imports:flags", CASEWORKERS, job_kw),
    # An empty decision goes back to the flags with a message.
    Route("imports:decide", CASEWORKERS_REDIRECT, flag_kw, "POST", empty, True),
]
