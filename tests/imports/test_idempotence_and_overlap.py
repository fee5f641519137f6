"""Importing the same file again adds nothing; an overlapping later export adds only what is new."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from harbour.accounts.models import User
from harbour.cases.models import Case
from harbour.evidence.models import EvidenceItem, Incident
from harbour.imports import services
from harbour.imports.models import EvidenceImport, ImportedMessage
from tests.imports.conftest import CLIENT, SUSPECT, chat, upload, whatsapp, zipped

pytestmark = pytest.mark.django_db


def test_the_same_file_again_is_refused_before_anything_is_stored(
    imported: Callable[..., EvidenceImport], case_a: Case, cast: dict[str, User]
) -> None:
    first = imported(chat())
    exhibits = EvidenceItem.unscoped.filter(case=case_a).count()
    with pytest.raises(services.ImportRefused, match=f"exhibit {first.exhibit.ref}"):
        services.start_import(case_a, upload(chat()), by=cast["alice"])
    assert EvidenceItem.unscoped.filter(case=case_a).count() == exhibits
    assert ImportedMessage.unscoped.count() == first.added


def test_the_same_messages_in_another_file_add_nothing(
    imported: Callable[..., EvidenceImport], case_a: Case
) -> None:
    first = imported(chat())
    entries = Incident.unscoped.filter(case=case_a).count()
    again = imported(zipped(chat()), name="chat.zip")  # the same chat exported "with media"
    assert (again.added, again.already_held, again.entries) == (0, first.added, 0)
    assert Incident.unscoped.filter(case=case_a).count() == entries


def test_an_overlapping_later_export_adds_only_the_new_messages(
    imported: Callable[..., EvidenceImport], case_a: Case
) -> None:
    imported(chat(days=3))  # 1 to 3 March
    later = imported(chat(days=3, start=datetime.date(2026, 3, 2)))  # 2 to 4 March
    assert (later.added, later.already_held) == (6, 10)  # 4 March and its own notice are new
    assert later.entries == 1
    assert ImportedMessage.unscoped.filter(case=case_a, party="suspect").count() == 16


def test_identical_messages_in_the_same_minute_are_all_kept(
    imported: Callable[..., EvidenceImport],
) -> None:
    data = whatsapp([("09:00", SUSPECT, "?"), ("09:00", SUSPECT, "?"), ("09:00", CLIENT, "?")])
    job = imported(data)
    assert job.added == 4
    again = imported(zipped(data), name="chat.zip")
    assert again.added == 0


def test_the_same_export_on_another_case_is_imported_there(
    imported: Callable[..., EvidenceImport], case_b: Case, cast: dict[str, User]
) -> None:
    imported(chat())
    job = services.start_import(case_b, upload(chat()), by=cast["bob"])
    assert job.status == EvidenceImport.Status.CHOOSING
