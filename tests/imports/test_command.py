"""`harbour import-evidence FILE --case REF`: the same import from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from harbour.accounts.models import User
from harbour.cases.models import Case
from harbour.imports.models import EvidenceImport
from tests.imports.conftest import CLIENT, SUSPECT, chat

pytestmark = pytest.mark.django_db


def test_the_command_imports_a_file_with_a_progress_bar(
    case_a: Case, cast: dict[str, User], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "chat.txt"
    path.write_bytes(chat(days=2))
    call_command(
        "import-evidence",
        str(path),
        case=case_a.reference,
        by="alice",
        suspect=SUSPECT,
        client=CLIENT,
    )
    out = capsys.readouterr().out
    job = EvidenceImport.unscoped.get(case=case_a)
    assert f"Stored as exhibit {job.exhibit.ref}, SHA-256 {job.exhibit.sha256}" in out
    assert "100%" in out and "Imported: 11 records added" in out and "2 diary entries" in out
    assert job.status == EvidenceImport.Status.DONE


def test_without_a_choice_the_command_lists_the_people_and_waits(
    case_a: Case, cast: dict[str, User], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "chat.txt"
    path.write_bytes(chat(days=1))
    call_command("import-evidence", str(path), case=case_a.reference, by="alice")
    out = capsys.readouterr().out
    job = EvidenceImport.unscoped.get(case=case_a)
    assert job.status == EvidenceImport.Status.CHOOSING
    assert f"{SUSPECT}: 4 messages" in out and f"--continue {job.public_id}" in out
    call_command("import-evidence", resume=str(job.public_id), by="alice", suspect=SUSPECT)
    job.refresh_from_db()
    assert job.status == EvidenceImport.Status.DONE


def test_the_command_refuses_a_bad_file_and_a_case_the_user_cannot_see(
    case_b: Case, case_a: Case, cast: dict[str, User], tmp_path: Path
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"nothing like an export")
    with pytest.raises(CommandError, match="cannot read this type of file"):
        call_command("import-evidence", str(path), case=case_a.reference, by="alice")
    with pytest.raises(CommandError, match="has no case"):
        call_command("import-evidence", str(path), case=case_b.reference, by="alice")
    assert not EvidenceImport.unscoped.exists()
