"""Expected statuses for evidence:* URLs (the incident diary, evidence files, bundles, consent).

Alice is the allocated advocate and Mia her manager: they see the case's diary, files and bundles;
Amir and everyone at another organisation get 404. Pete, Northshire Police's stalking coordinator,
sees only the bundle shared with his force (the client consented) and the page listing such
bundles. Checking an uploaded bundle is for provider caseworkers and police coordinators.
Producing a bundle needs step-up: the matrix's sessions have not re-authenticated, so Alice and Mia
are sent to re-authenticate (302) while everyone else gets 404 first.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.utils import timezone

from tests.access.routes import Route, World, statuses

CASEWORKERS = statuses(404, anon=302, alice=200, mia=200)
CASEWORKERS_REDIRECT = statuses(404, anon=302, alice=302, mia=302)
WITH_POLICE = statuses(404, anon=302, alice=200, mia=200, pete=200)
CHECKERS = statuses(404, anon=302, alice=200, amir=200, mia=200, bob=200, bea=200, pete=200)


def build(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from harbour.cases import services as cases
    from harbour.evidence import services
    from harbour.evidence.models import Bundle
    from tests.evidence.conftest import entry, png_with_exif

    cast, orgs = world.cast, world.orgs
    case = cases.open_case(
        organisation=orgs["provider_a"],
        client_fields={"given_name": "Wren", "family_name": "Testcase"},
        by=cast["mia"],
        allocated_to=cast["alice"],
        source="matrix",
    )
    world.extra["case"] = case
    incident = services.log_incident(case, by=cast["alice"], data=entry())
    world.extra["incident"] = incident
    world.extra["item"] = services.store_evidence(
        case,
        SimpleUploadedFile("p.jpg", png_with_exif()),
        kind="photo",
        incident=incident,
        by=cast["alice"],
    )
    # A bundle row with a small sealed file (producing a real one here would cost a PDF per route).
    public_id = uuid.uuid4()
    name = f"bundles/{public_id.hex[:2]}/{public_id}.sealed"
    services.seal_to_storage(
        io.BytesIO(b"PK\x05\x06" + b"\x00" * 18), name, f"evidence.bundle:{public_id}", 2**20
    )
    bundle = Bundle.unscoped.create(
        public_id=public_id,
        case=case,
        number=1,
        produced_by=cast["alice"],
        manifest_sha256="0" * 64,
        pdf_sha256="0" * 64,
        zip_sha256="0" * 64,
        zip_size=22,
        stored_name=name,
    )
    world.extra["bundle"] = bundle
    services.record_police_consent(
        case, state="given", how="in_person", decided_on=timezone.localdate(), by=cast["alice"]
    )
    services.share_bundle(bundle, orgs["police"], by=cast["alice"])


def case_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.case.public_id}


def incident_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.incident.public_id}


def item_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.item.public_id}


def bundle_kw(world: World) -> dict[str, Any]:
    return {"public_id": world.bundle.public_id}


def empty(world: World) -> dict[str, Any]:
    return {}


def form(name: str, expect: dict[str, int], kwargs: Any = empty) -> list[Route]:
    """A form page: GET shows it; an empty POST shows it again with errors."""
    return [
        Route(name, expect, kwargs),
        Route(name, expect, kwargs, method="POST", data=empty, mutates=True),
    ]


ROUTES = [
    Route("evidence:diary", CASEWORKERS, case_kw),
    *form("evidence:incident_new", CASEWORKERS, case_kw),
    *form("evidence:incident_quick", CASEWORKERS, case_kw),
    Route("evidence:pattern", CASEWORKERS, case_kw),
    Route("evidence:files", CASEWORKERS, case_kw),
    *form("evidence:upload", CASEWORKERS, case_kw),
    Route("evidence:bundles", CASEWORKERS, case_kw),
    Route("evidence:bundle_produce", CASEWORKERS_REDIRECT, case_kw, "POST", empty, True),
    *form("evidence:consent", CASEWORKERS, case_kw),
    Route("evidence:incident_detail", CASEWORKERS, incident_kw),
    *form("evidence:incident_correct", CASEWORKERS, incident_kw),
    Route("evidence:item", CASEWORKERS, item_kw),
    Route("evidence:item_download", CASEWORKERS, item_kw),
    Route("evidence:item_preview", CASEWORKERS, item_kw),
    Route("evidence:shared_bundles", statuses(404, anon=302, pete=200)),
    *form("evidence:verify", CHECKERS),
    Route("evidence:bundle_detail", WITH_POLICE, bundle_kw),
    Route("evidence:bundle_download", WITH_POLICE, bundle_kw),
    # An empty share form goes back to the bundle with a message; the coordinator cannot share.
    Route("evidence:bundle_share", CASEWORKERS_REDIRECT, bundle_kw, "POST", empty, True),
]
