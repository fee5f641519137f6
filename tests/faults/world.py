"""A real database file and evidence directory for the fault tests, driven from subprocesses.

    python -m tests.faults.world setup            # the cast, and a case with a diary entry and a file
    python -m tests.faults.world bundle [--stop]  # produce a bundle; --stop: pause once its file is
                                                  # stored, before its row commits (to be killed)
    python -m tests.faults.world import FILE [--stop]  # start an evidence import; --stop: pause once
                                                  # the exhibit is stored, before anything commits
    python -m tests.faults.world state            # prints what is stored, as JSON

``--stop`` prints ``PAUSED`` and waits on standard input, so the test kills the process at exactly
that point with SIGKILL (no sleeps, no races). Run with HARBOUR_ENV=test and HARBOUR_DATA_DIR set
to a scratch directory, after ``harbour migrate``.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import django


def _pause_after(module: Any, name: str) -> None:
    original = getattr(module, name)

    def paused(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        print("PAUSED", flush=True)
        sys.stdin.readline()  # killed here
        return result

    setattr(module, name, paused)


def _case_and_alice() -> tuple[Any, Any]:
    from harbour.accounts.models import User
    from harbour.cases.models import Case

    return Case.unscoped.get(), User.objects.get(username="alice")


def setup() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from harbour.cases.services import open_case
    from harbour.evidence import services
    from tests.conftest import make_cast, make_orgs
    from tests.evidence.conftest import entry

    orgs = make_orgs()
    cast = make_cast(orgs)
    case = open_case(
        organisation=orgs["provider_a"],
        client_fields={"given_name": "Wren", "family_name": "Faultline"},
        by=cast["mia"],
        allocated_to=cast["alice"],
        source="test",
    )
    incident = services.log_incident(case, by=cast["alice"], data=entry())
    services.store_evidence(
        case,
        SimpleUploadedFile("note.txt", b"He was outside again at 23:10.\n" * 1000),
        kind="document",
        incident=incident,
        by=cast["alice"],
    )
    print(json.dumps({"case": case.reference}))


def bundle(stop: bool) -> None:
    from harbour.evidence import bundle as bundles

    if stop:
        _pause_after(bundles, "seal_to_storage")
    case, alice = _case_and_alice()
    made = bundles.produce_bundle(case, by=alice)
    print(json.dumps({"bundle": made.ref}))


def start_import(path: str, stop: bool) -> None:
    from django.core.files import File

    from harbour.imports import services

    if stop:
        _pause_after(services.evidence, "store_evidence")
    case, alice = _case_and_alice()
    with open(path, "rb") as handle:
        job = services.start_import(case, File(handle, name="chat.txt"), by=alice)
    print(json.dumps({"import": job.pk}))


def state() -> None:
    from django.conf import settings

    from harbour.audit.models import AuditEvent
    from harbour.evidence.models import Bundle, EvidenceItem
    from harbour.imports.models import EvidenceImport

    files = sorted(
        str(p.relative_to(settings.HARBOUR_EVIDENCE_DIR))
        for p in settings.HARBOUR_EVIDENCE_DIR.rglob("*")
        if p.is_file()
    )
    print(
        json.dumps(
            {
                "bundles": list(Bundle.unscoped.values_list("number", flat=True)),
                "bundle_files": list(Bundle.unscoped.values_list("stored_name", flat=True)),
                "exhibits": list(EvidenceItem.unscoped.values_list("number", flat=True)),
                "exhibit_files": [
                    n
                    for pair in EvidenceItem.unscoped.values_list("stored_name", "preview_name")
                    for n in pair
                    if n
                ],
                "imports": list(EvidenceImport.unscoped.values_list("status", flat=True)),
                "verbs": list(AuditEvent.objects.values_list("verb", flat=True)),
                "files": files,
            }
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
    django.setup()
    command, stop = sys.argv[1], "--stop" in sys.argv
    if command == "setup":
        setup()
    elif command == "bundle":
        bundle(stop)
    elif command == "import":
        start_import(sys.argv[2], stop)
    else:
        state()
