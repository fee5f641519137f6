"""Evidence bundles: step-up to produce, the PDF and ZIP contents, verification from the command
line and from the page, and custody rows for every exhibit exported."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from harbour.audit.models import AuditEvent
from harbour.evidence import services
from harbour.evidence.bundle import produce_bundle
from harbour.evidence.models import Bundle
from tests.evidence.conftest import png_with_exif, stepped_up, upload_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def diary(case_a, cast, log):
    first = log(behaviours=["calls"], count=17)
    log(behaviours=["threats"], effects=["fear_of_violence"])
    services.store_evidence(
        case_a,
        upload_file("a.jpg", png_with_exif()),
        kind="photo",
        incident=first,
        by=cast["alice"],
    )
    services.store_evidence(
        case_a,
        upload_file("chat.txt", b"21:00 - Unknown: pick up\n" * 9),
        kind="export",
        by=cast["alice"],
    )
    return case_a


def zip_of(bundle: Bundle) -> bytes:
    return b"".join(services.read_bundle(bundle))


def test_producing_a_bundle_needs_step_up(as_user, diary):
    client = as_user("alice")
    url = f"/evidence/cases/{diary.public_id}/bundles/produce/"
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith(
        "/accounts/reauthenticate/"
    )
    assert not Bundle.unscoped.exists()
    response = stepped_up(client).post(url)
    bundle = Bundle.unscoped.get()
    assert response["Location"] == f"/evidence/bundles/{bundle.public_id}/"


def test_the_zip_holds_the_pdf_originals_chronology_and_both_manifests(diary, cast):
    bundle = produce_bundle(diary, by=cast["alice"])
    with zipfile.ZipFile(io.BytesIO(zip_of(bundle))) as zf:
        names = sorted(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        pdf = zf.read("bundle.pdf")
        exhibit = zf.read(next(n for n in names if n.startswith("exhibits/E001")))
    assert names[:2] == ["bundle.pdf", "chronology.csv"] and len(names) == 7
    assert exhibit == png_with_exif()
    assert {f["path"] for f in manifest["files"]} == {
        n for n in names if n.startswith(("exhibits/", "chronology"))
    }
    assert manifest["case"] == diary.reference and manifest["incidents"] == 2
    assert pdf.startswith(b"%PDF") and bundle.pdf_pages >= 4


def test_the_pdf_cover_carries_the_manifest_hash_and_is_tagged(diary, cast, tmp_path):
    import subprocess

    bundle = produce_bundle(diary, by=cast["alice"])
    with zipfile.ZipFile(io.BytesIO(zip_of(bundle))) as zf:
        pdf = zf.read("bundle.pdf")
    path = tmp_path / "b.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    groups = " ".join(bundle.manifest_sha256[i : i + 8] for i in range(0, 64, 8))
    assert groups in text
    assert "Alice" in text and diary.reference in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert f"Pages:           {bundle.pdf_pages}" in info


def test_producing_a_bundle_adds_an_export_row_to_every_exhibit(diary, cast):
    bundle = produce_bundle(diary, by=cast["mia"])
    exported = AuditEvent.objects.filter(verb="evidence.exported")
    assert exported.count() == 2
    assert {e.payload["bundle"] for e in exported} == {str(bundle.public_id)}


def test_the_command_reports_an_intact_bundle(diary, cast, tmp_path):
    bundle = produce_bundle(diary, by=cast["alice"])
    path = tmp_path / "bundle.zip"
    path.write_bytes(zip_of(bundle))
    out = io.StringIO()
    call_command("bundle", "verify", str(path), stdout=out)
    assert (
        f"INTACT: 5 file(s) checked, 0 problem(s). Manifest SHA-256 {bundle.manifest_sha256}"
        in out.getvalue()
    )


def _rewrite(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = change(info.filename, src.read(info))
            if body is not None:
                dst.writestr(info.filename, body)
        extra = change("(added)", b"")
        if extra:
            dst.writestr("exhibits/E099-planted.jpg", extra)
    return out.getvalue()


def test_the_command_names_a_tampered_a_truncated_and_an_added_file(diary, cast, tmp_path):
    bundle = produce_bundle(diary, by=cast["alice"])

    def change(name, body):
        if name.startswith("exhibits/E001"):
            return body[:-1] + bytes([body[-1] ^ 1])
        if name.startswith("exhibits/E002"):
            return body[:20]
        if name == "(added)":
            return b"planted"
        return body

    path = tmp_path / "bundle.zip"
    path.write_bytes(_rewrite(zip_of(bundle), change))
    out = io.StringIO()
    with pytest.raises(CommandError, match="NOT INTACT"):
        call_command("bundle", "verify", str(path), stdout=out)
    lines = out.getvalue()
    assert "MISMATCH: exhibits/E001" in lines
    assert "SIZE: exhibits/E002" in lines
    assert "ADDED: exhibits/E099-planted.jpg" in lines


def test_the_check_page_reports_problems_and_recognises_harbours_own_bundle(diary, cast, as_user):
    bundle = produce_bundle(diary, by=cast["alice"])
    client = as_user("alice")
    good = client.post(
        "/evidence/bundles/check/", {"bundle": upload_file("b.zip", zip_of(bundle))}
    ).content.decode()
    assert "Bundle intact" in good and 'bundle <a class="govuk-link"' in good
    bad_zip = _rewrite(zip_of(bundle), lambda n, b: None if n.startswith("exhibits/E002") else b)
    bad = client.post("/evidence/bundles/check/", {"bundle": upload_file("b.zip", bad_zip)})
    text = bad.content.decode()
    assert "Bundle not intact: 1 problem" in text and "exhibits/E002" in text
    event = AuditEvent.objects.filter(verb="evidence.bundle_verified").last()
    assert event.payload["intact"] is False and event.payload["problems"] == 1


def test_a_stored_exhibit_that_no_longer_matches_its_hash_stops_the_bundle(diary, cast):
    from harbour.evidence.models import EvidenceItem

    item = EvidenceItem.unscoped.filter(case=diary).first()
    EvidenceItem.unscoped.filter(pk=item.pk).update(sha256="0" * 64)
    with pytest.raises(services.EvidenceRuleError, match="no longer matches"):
        produce_bundle(diary, by=cast["alice"])
    assert not Bundle.unscoped.exists()


def test_a_case_with_nothing_in_it_has_no_bundle(case_a, cast):
    with pytest.raises(services.EvidenceRuleError, match="nothing to put"):
        produce_bundle(case_a, by=cast["alice"])
