"""Helpers for the evidence import tests: small synthetic exports written in the test itself."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from harbour.accounts.models import User
from harbour.cases import services as cases
from harbour.cases.models import Case, Suspect
from harbour.imports import services
from harbour.imports.models import EvidenceImport

SUSPECT, CLIENT = "Orin Vale", "Zara Quell"


def whatsapp(lines: list[tuple[str, str, str]], start: str = "01/03/2026") -> bytes:
    """An Android (UK) WhatsApp export: (time, sender, text) on one day, in order."""
    out = [f"{start}, 07:00 - Messages and calls are end-to-end encrypted."]
    out += [f"{start}, {t} - {who}: {text}" for t, who, text in lines]
    return ("\n".join(out) + "\n").encode()


def chat(days: int = 3, per_day: int = 4, start: datetime.date | None = None) -> bytes:
    """A conversation over ``days`` days; the suspect sends ``per_day`` messages a day."""
    start = start or datetime.date(2026, 3, 1)
    out = [f"{start:%d/%m/%Y}, 07:00 - Messages and calls are end-to-end encrypted."]
    for d in range(days):
        day = start + datetime.timedelta(days=d)
        out.append(f"{day:%d/%m/%Y}, 08:00 - {CLIENT}: Morning")
        for i in range(per_day):
            out.append(f"{day:%d/%m/%Y}, 09:{i:02d} - {SUSPECT}: Message {day:%d%m}-{i}")
    return ("\n".join(out) + "\n").encode()


def zipped(text: bytes, name: str = "WhatsApp Chat with Orin Vale.txt") -> bytes:
    """The same chat as WhatsApp's "export with media" zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, text)
        z.writestr("IMG-20260301-WA0001.jpg", b"\xff\xd8\xff\xe0 not really a photo")
    return out.getvalue()


def upload(data: bytes, name: str = "WhatsApp Chat with Orin Vale.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def suspect_on_case(case_a: Case, cast: dict[str, User]) -> Suspect:
    suspect = Suspect.unscoped.create(case=case_a, names="Dorian Voss")
    cases.set_suspect_identifiers(suspect, {"phone": ["07911 123456"]})
    return suspect


def drive(job: EvidenceImport, **kwargs: Any) -> EvidenceImport:
    """Run the import's current stage as a worker would, and reload it."""
    services.work_on(job.pk, **kwargs)
    job.refresh_from_db()
    return job


@pytest.fixture
def imported(case_a: Case, cast: dict[str, User]) -> Callable[..., EvidenceImport]:
    """Start, scan, choose (suspect and client by name) and run an import to the end."""

    def run(data: bytes, *, case: Case | None = None, name: str = "chat.txt") -> EvidenceImport:
        job = services.start_import(case or case_a, upload(data, name), by=cast["alice"])
        job = drive(job)
        people = [p["name"] for p in job.participant_list()]
        services.choose_participants(
            job,
            suspect=people.index(SUSPECT),
            client=people.index(CLIENT) if CLIENT in people else None,
            by=cast["alice"],
        )
        return drive(job)

    return run


def imported_into(case: Case, by: User) -> EvidenceImport:
    """A finished import on ``case``: one suspect message with a flag, one client message."""
    data = whatsapp([("09:00", SUSPECT, "I saw you at the station today"), ("09:05", CLIENT, "Hi")])
    job = drive(services.start_import(case, upload(data), by=by))
    names = [p["name"] for p in job.participant_list()]
    services.choose_participants(
        job, suspect=names.index(SUSPECT), client=names.index(CLIENT), by=by
    )
    return drive(job)
