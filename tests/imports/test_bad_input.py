"""Bad input is refused with a reason before anything is stored."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import override_settings

from harbour.accounts.models import User
from harbour.cases.models import Case
from harbour.evidence.models import EvidenceItem
from harbour.imports import services
from harbour.imports.models import EvidenceImport
from tests.imports.conftest import chat, upload

pytestmark = pytest.mark.django_db

SMS = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"1\">\n"
    b'  <sms protocol="0" address="+447700900461" date="1700000000000" type="1" body="hi" />\n'
    b"</smses>\n"
)


def refused(case: Case, user: User, data: bytes, name: str = "export") -> str:
    with pytest.raises(services.ImportRefused) as caught:
        services.start_import(case, upload(data, name), by=user)
    assert not EvidenceItem.unscoped.filter(case=case).exists()
    assert not EvidenceImport.unscoped.exists()
    return str(caught.value)


def a_zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def test_a_photo_is_not_an_export(case_a: Case, cast: dict[str, User]) -> None:
    reason = refused(case_a, cast["alice"], b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 100)
    assert "cannot read this type of file" in reason


def test_an_empty_file_is_refused(case_a: Case, cast: dict[str, User]) -> None:
    assert "empty" in refused(case_a, cast["alice"], b"")


@override_settings(HARBOUR_EVIDENCE_MAX_MB=1)
def test_a_file_over_the_size_limit_is_refused(case_a: Case, cast: dict[str, User]) -> None:
    assert "larger than 1 MB" in refused(case_a, cast["alice"], chat(days=1) + b"x" * 1_100_000)


def test_a_truncated_sms_backup_is_refused(case_a: Case, cast: dict[str, User]) -> None:
    assert "truncated" in refused(case_a, cast["alice"], SMS[:-20])


def test_a_truncated_telegram_export_is_refused(case_a: Case, cast: dict[str, User]) -> None:
    data = b'{"name": "Orin", "type": "personal_chat", "messages": [{"id": 1, "type": "message"'
    assert "truncated" in refused(case_a, cast["alice"], data)


def test_a_truncated_zip_is_refused(case_a: Case, cast: dict[str, User]) -> None:
    data = a_zip({"WhatsApp Chat with Orin Vale.txt": chat(days=30)})
    assert "unreadable zip" in refused(case_a, cast["alice"], data[: len(data) // 2])


def test_a_zip_bomb_is_refused(case_a: Case, cast: dict[str, User]) -> None:
    data = a_zip({"WhatsApp Chat with Orin Vale.txt": chat(days=1) + b"\n" * 50_000_000})
    assert "zip bomb" in refused(case_a, cast["alice"], data)


def test_a_zip_whose_paths_escape_it_is_refused(case_a: Case, cast: dict[str, User]) -> None:
    data = a_zip({"../../etc/cron.d/evil.txt": chat(days=1)})
    assert "escapes the archive" in refused(case_a, cast["alice"], data)


def test_an_xml_bomb_is_refused(case_a: Case, cast: dict[str, User]) -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE smses [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
        b'<smses count="1"><sms address="1" date="1" type="1" body="&c;" /></smses>\n'
    )
    assert "entities" in refused(case_a, cast["alice"], bomb)


def test_a_file_broken_in_the_middle_is_refused_with_where(
    case_a: Case, cast: dict[str, User]
) -> None:
    broken = SMS.replace(b'type="1" body="hi" />', b'type="1" body="hi" <oops>')
    reason = refused(case_a, cast["alice"], broken)
    assert "line" in reason


def test_a_good_sms_backup_is_accepted(case_a: Case, cast: dict[str, User]) -> None:
    job = services.start_import(case_a, upload(SMS, "sms.xml"), by=cast["alice"])
    assert job.format == "sms-backup"
