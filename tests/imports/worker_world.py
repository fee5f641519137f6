"""A real database file for the killed-worker test, driven from subprocesses.

    python -m tests.imports.worker_world setup FILE   # the cast, a case, FILE imported to "queued"
    python -m tests.imports.worker_world state        # prints the import's state as JSON

Run with HARBOUR_ENV=test and HARBOUR_DATA_DIR set to a scratch directory, after `harbour migrate`.
"""

from __future__ import annotations

import json
import os
import sys

import django


def setup(path: str) -> None:
    from django.core.files import File

    from harbour.cases.services import open_case
    from harbour.imports import services
    from tests.conftest import make_cast, make_orgs
    from tests.imports.conftest import CLIENT, SUSPECT

    orgs = make_orgs()
    cast = make_cast(orgs)
    case = open_case(
        organisation=orgs["provider_a"],
        client_fields={"given_name": "Wren", "family_name": "Killtest"},
        by=cast["mia"],
        allocated_to=cast["alice"],
        source="test",
    )
    with open(path, "rb") as handle:
        job = services.start_import(case, File(handle, name="chat.txt"), by=cast["alice"])
    services.work_on(job.pk)  # the scan, here
    job.refresh_from_db()
    names = [p["name"] for p in job.participant_list()]
    services.choose_participants(
        job, suspect=names.index(SUSPECT), client=names.index(CLIENT), by=cast["alice"]
    )
    print(json.dumps({"import": job.pk, "total": job.total}))


def state() -> None:
    from harbour.evidence.models import Incident
    from harbour.imports.models import EvidenceImport, ImportedMessage, MessageFlag
    from harbour.imports.views import progress_data

    job = EvidenceImport.unscoped.get()
    shown = ImportedMessage.unscoped.filter(source__status=EvidenceImport.Status.DONE)
    print(
        json.dumps(
            {
                **progress_data(job),
                "resumed": job.resumed,
                "added": job.added,
                "entries": job.entries,
                "rows": ImportedMessage.unscoped.count(),
                "distinct": ImportedMessage.unscoped.values("seq").distinct().count(),
                "shown": shown.count(),
                "flags": MessageFlag.unscoped.count(),
                "incidents": Incident.unscoped.count(),
            }
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
    django.setup()
    if sys.argv[1] == "setup":
        setup(sys.argv[2])
    else:
        state()
