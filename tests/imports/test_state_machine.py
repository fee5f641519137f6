"""The import's state machine: queued, scanning, choosing, queued, running, done; failed; resumed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import override_settings

from harbour.accounts.models import User
from harbour.cases.models import Case
from harbour.evidence.models import EvidenceItem, Incident, IncidentVersion
from harbour.imports import services
from harbour.imports.models import EvidenceImport, ImportedEntry, ImportedMessage
from tests.imports.conftest import CLIENT, SUSPECT, chat, drive, upload

pytestmark = pytest.mark.django_db


def test_an_upload_is_stored_as_a_hashed_exhibit_and_read_at_once_when_small(
    case_a: Case, cast: dict[str, User]
) -> None:
    job = services.start_import(case_a, upload(chat()), by=cast["alice"])
    item = EvidenceItem.unscoped.get(pk=job.exhibit_id)
    assert item.kind == EvidenceItem.Kind.EXPORT and len(item.sha256) == 64
    assert job.format == "whatsapp"
    assert job.status == EvidenceImport.Status.CHOOSING  # the checks read it whole already


@override_settings(HARBOUR_IMPORT_CHECK_MB=0)
def test_a_file_too_big_to_check_in_the_request_is_queued_and_scanned_by_a_worker(
    case_a: Case, cast: dict[str, User]
) -> None:
    job = services.start_import(case_a, upload(chat()), by=cast["alice"])
    assert (job.status, job.stage) == (EvidenceImport.Status.QUEUED, EvidenceImport.Stage.SCAN)
    job = drive(job)
    assert job.status == EvidenceImport.Status.CHOOSING
    assert len(job.participant_list()) == 2


def test_the_scan_lists_participants_and_waits_for_a_choice(
    case_a: Case, cast: dict[str, User]
) -> None:
    job = drive(services.start_import(case_a, upload(chat()), by=cast["alice"]))
    assert job.status == EvidenceImport.Status.CHOOSING
    people = {p["name"]: p for p in job.participant_list()}
    assert people[SUSPECT]["messages"] == 12 and people[CLIENT]["messages"] == 3
    assert job.total == 16  # the encryption notice too
    assert not ImportedMessage.unscoped.exists()


def test_choosing_queues_the_import_and_the_worker_finishes_it(
    imported: Callable[..., EvidenceImport],
) -> None:
    job = imported(chat(days=3, per_day=4))
    assert job.status == EvidenceImport.Status.DONE
    assert (job.added, job.already_held, job.entries) == (16, 0, 3)
    suspect_messages = ImportedMessage.unscoped.filter(source=job, party="suspect")
    assert suspect_messages.count() == 12
    entries = ImportedEntry.unscoped.filter(source=job)
    assert sum(e.messages().count() for e in entries) == 12
    versions = IncidentVersion.unscoped.filter(incident__case=job.case)
    assert sorted(v.count for v in versions) == [4, 4, 4]
    assert all(v.behaviours == ["messages"] for v in versions)


def test_each_message_stays_traceable_to_its_line(imported: Callable[..., EvidenceImport]) -> None:
    job = imported(chat(days=1, per_day=2))
    lines = list(
        ImportedMessage.unscoped.filter(source=job).order_by("seq").values_list("line", flat=True)
    )
    assert lines == [1, 2, 3, 4]
    entry = Incident.unscoped.get(case=job.case)
    version = IncidentVersion.unscoped.get(incident=entry)
    assert "lines 3 to 4" in version.what_happened


def test_a_stopped_worker_leaves_nothing_shown_and_the_import_resumes_from_its_checkpoint(
    case_a: Case, cast: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "BATCH", 10)
    job = drive(services.start_import(case_a, upload(chat(days=10, per_day=5)), by=cast["alice"]))
    people = [p["name"] for p in job.participant_list()]
    services.choose_participants(
        job, suspect=people.index(SUSPECT), client=people.index(CLIENT), by=cast["alice"]
    )
    job = drive(job, stop_after=2)  # as if killed after two batches
    assert job.status == EvidenceImport.Status.RUNNING and job.done == 20
    assert not Incident.unscoped.filter(case=case_a).exists()
    # the worker's process is gone: this test process is alive, so pretend another host's worker
    EvidenceImport.unscoped.filter(pk=job.pk).update(worker="elsewhere:1", heartbeat_at=None)
    assert services.recover_stale() == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.resumed) == (EvidenceImport.Status.QUEUED, 1)
    job = drive(job)
    assert job.status == EvidenceImport.Status.DONE
    assert ImportedMessage.unscoped.filter(source=job).count() == 61
    assert job.added == 61 and job.entries == 10


@override_settings(HARBOUR_IMPORT_CHECK_MB=0)
def test_a_live_worker_is_not_taken_over(case_a: Case, cast: dict[str, User]) -> None:
    job = services.start_import(case_a, upload(chat()), by=cast["alice"])
    EvidenceImport.unscoped.filter(pk=job.pk).update(
        status=EvidenceImport.Status.RUNNING, worker=services.worker_name()
    )
    assert services.recover_stale() == []


@override_settings(HARBOUR_IMPORT_CHECK_MB=0)
def test_an_import_that_keeps_stopping_fails_cleanly(case_a: Case, cast: dict[str, User]) -> None:
    job = services.start_import(case_a, upload(chat()), by=cast["alice"])
    EvidenceImport.unscoped.filter(pk=job.pk).update(
        status=EvidenceImport.Status.RUNNING, worker="elsewhere:1", attempts=3
    )
    services.recover_stale()
    job.refresh_from_db()
    assert job.status == EvidenceImport.Status.FAILED
    assert "stopped 3 times" in job.failure


def test_a_file_that_fails_in_the_background_fails_with_its_reason_and_leaves_nothing(
    case_a: Case, cast: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "BATCH", 5)
    job = drive(services.start_import(case_a, upload(chat(days=4)), by=cast["alice"]))
    people = [p["name"] for p in job.participant_list()]
    services.choose_participants(job, suspect=people.index(SUSPECT), client=None, by=cast["alice"])

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk went away")

    monkeypatch.setattr(services, "finish", broken)
    job = drive(job)
    assert job.status == EvidenceImport.Status.FAILED
    assert "could not finish" in job.failure
    assert not ImportedMessage.unscoped.exists()
    assert not Incident.unscoped.filter(case=case_a).exists()
