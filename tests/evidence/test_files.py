"""Evidence files: stored encrypted and unchanged, SHA-256 at upload, type from content, size
limits, EXIF shown to staff and stripped from previews, and every handling on the custody list."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings

from harbour.audit.models import AuditEvent
from harbour.evidence import services
from harbour.evidence.models import EvidenceItem
from tests.evidence.conftest import png_with_exif, upload_file

pytestmark = pytest.mark.django_db


def stored_path(item: EvidenceItem) -> Path:
    return Path(settings.HARBOUR_EVIDENCE_DIR) / item.stored_name


def test_an_upload_keeps_the_original_byte_for_byte_and_records_its_sha256(case_a, cast):
    data = png_with_exif()
    item = services.store_evidence(
        case_a, upload_file("photo.png", data), kind="photo", by=cast["alice"]
    )
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.size == len(data)
    assert b"".join(services.read_original(item)) == data


def test_the_stored_file_is_encrypted_on_disk(case_a, cast):
    data = b"03/03/2026, 21:00 - Unknown: Zanzibar flamingo\n" * 50
    item = services.store_evidence(
        case_a, upload_file("chat.txt", data), kind="export", by=cast["alice"]
    )
    raw = stored_path(item).read_bytes()
    assert raw.startswith(b"HBF1")
    assert b"Zanzibar" not in raw


def test_the_type_comes_from_the_content_not_the_name(case_a, cast):
    item = services.store_evidence(
        case_a, upload_file("holiday.pdf", png_with_exif()), kind="photo", by=cast["alice"]
    )
    assert (item.media_type, item.extension) == ("image/jpeg", "jpg")
    assert item.download_name.endswith(".jpg") and "holiday" not in item.download_name


def test_a_program_is_refused_whatever_it_is_called(case_a, cast):
    with pytest.raises(services.EvidenceRuleError, match="cannot accept"):
        services.store_evidence(
            case_a,
            upload_file("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200),
            kind="photo",
            by=cast["alice"],
        )
    assert not EvidenceItem.unscoped.exists()


def test_a_file_over_the_size_limit_is_refused(case_a, cast, settings):
    settings.HARBOUR_EVIDENCE_MAX_MB = 1
    with pytest.raises(services.EvidenceRuleError, match="larger than 1 MB"):
        services.store_evidence(
            case_a,
            upload_file("big.txt", b"a" * (1024 * 1024 + 1)),
            kind="export",
            by=cast["alice"],
        )


def test_exif_time_place_and_device_are_kept_for_staff(case_a, cast, as_user):
    item = services.store_evidence(
        case_a, upload_file("p.jpg", png_with_exif()), kind="photo", by=cast["alice"]
    )
    meta = item.meta()
    assert meta["taken_at"] == "2026:03:03 21:14:05"
    assert meta["latitude"] == 53.25 and meta["longitude"] == -1.5
    assert meta["device"] == "Acme Phone 7"
    page = as_user("alice").get(f"/evidence/files/{item.public_id}/").content.decode()
    assert "2026:03:03 21:14:05" in page and "53.25, -1.5" in page


def test_the_preview_carries_no_exif(case_a, cast, as_user):
    from PIL import Image

    item = services.store_evidence(
        case_a, upload_file("p.jpg", png_with_exif()), kind="photo", by=cast["alice"]
    )
    response = as_user("alice").get(f"/evidence/files/{item.public_id}/preview/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    preview = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(preview)) as img:
        assert len(img.getexif()) == 0
    assert b"Acme" not in preview


def test_uploading_through_the_page_stores_the_file_against_an_incident(as_user, case_a, log):
    incident = log()
    response = as_user("alice").post(
        f"/evidence/cases/{case_a.public_id}/files/upload/",
        {
            "file": upload_file("shot.png", png_with_exif()),
            "kind": "screenshot",
            "incident": str(incident.pk),
            "description": "Screenshot of the message",
        },
    )
    item = EvidenceItem.unscoped.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/evidence/files/{item.public_id}/"
    )
    assert item.incident == incident and item.ref == "E001"


def test_a_refused_upload_shows_the_reason_on_the_form(as_user, case_a):
    response = as_user("alice").post(
        f"/evidence/cases/{case_a.public_id}/files/upload/",
        {"file": upload_file("x.jpg", b"\x7fELF\x02\x01\x01" + b"\x00" * 100), "kind": "photo"},
    )
    assert response.status_code == 200
    assert "cannot accept this type of file" in response.content.decode()


def test_every_view_and_download_is_on_the_custody_list(case_a, cast, as_user):
    item = services.store_evidence(
        case_a, upload_file("p.jpg", png_with_exif()), kind="photo", by=cast["alice"]
    )
    alice, mia = as_user("alice"), as_user("mia")
    alice.get(f"/evidence/files/{item.public_id}/")
    download = mia.get(f"/evidence/files/{item.public_id}/download/")
    assert download["Content-Disposition"] == f'attachment; filename="{item.download_name}"'
    assert b"".join(download.streaming_content) == png_with_exif()
    verbs = list(
        AuditEvent.objects.filter(
            object_type="evidence.evidenceitem", object_id=str(item.public_id)
        )
        .order_by("seq")
        .values_list("verb", "actor_username")
    )
    assert verbs == [
        ("evidence.uploaded", "alice"),
        ("evidence.item_viewed", "alice"),
        ("evidence.downloaded", "mia"),
    ]
    page = alice.get(f"/evidence/files/{item.public_id}/").content.decode()
    assert "Downloaded the original" in page and "Mia" in page


def test_another_organisation_cannot_see_or_download_an_item(case_a, cast, as_user):
    item = services.store_evidence(
        case_a, upload_file("p.jpg", png_with_exif()), kind="photo", by=cast["alice"]
    )
    for who in ("bob", "amir", "pete", "cora"):
        assert as_user(who).get(f"/evidence/files/{item.public_id}/download/").status_code == 404
