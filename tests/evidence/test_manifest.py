"""Bundle manifests and verification: a tampered, a truncated and an added file are each reported.

Pure Python: bundles are built here with the same functions Harbour uses."""

from __future__ import annotations

import io
import zipfile

from harbour.evidence import manifest
from harbour.evidence.manifest import Entry, verify_bundle

FILES = {
    "chronology.csv": b"Entry,When\nD001,3 Mar\n",
    "exhibits/E001-aaaa.jpg": b"\xff\xd8\xff" + b"photo" * 100,
    "exhibits/E002-bbbb.txt": b"03/03/2026, 21:00 - Unknown: pick up\n" * 20,
}


def build(files=FILES, *, pdf=b"%PDF-1.7 bundle", edit=None) -> bytes:
    """A bundle ZIP; ``edit(name, data) -> data | None`` changes (or drops) files after sealing."""
    entries = [Entry(n, len(d), manifest.sha256_bytes(d)) for n, d in files.items()]
    mjson = manifest.manifest_json(entries, {"case": "HB-TEST01", "reference": "B01"})
    contents = {
        **files,
        manifest.PDF_NAME: pdf,
        manifest.MANIFEST_JSON: mjson,
        manifest.MANIFEST_CSV: manifest.manifest_csv(entries),
        manifest.SEAL: manifest.seal_json(manifest.sha256_bytes(mjson), manifest.sha256_bytes(pdf)),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in contents.items():
            if edit is not None:
                data = edit(name, data)
            if data is not None:
                zf.writestr(name, data)
    return out.getvalue()


def check(data: bytes) -> manifest.Report:
    return verify_bundle(io.BytesIO(data))


def test_an_untouched_bundle_is_intact_and_gives_its_manifest_hash():
    data = build()
    report = check(data)
    assert report.ok, report.lines()
    assert report.checked == 5  # three files, the manifest (via the seal) and the PDF
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert report.manifest_sha256 == manifest.sha256_bytes(zf.read("manifest.json"))
    assert report.meta["case"] == "HB-TEST01"
    assert report.lines()[-1].startswith("INTACT")


def test_a_tampered_exhibit_is_reported_as_a_mismatch():
    report = check(build(edit=lambda n, d: d.replace(b"photo", b"PHOTO", 1) if "E001" in n else d))
    assert [(p.kind, p.path) for p in report.problems] == [("mismatch", "exhibits/E001-aaaa.jpg")]
    assert not report.ok


def test_a_truncated_exhibit_is_reported_by_size_and_hash():
    report = check(build(edit=lambda n, d: d[:10] if "E002" in n else d))
    kinds = sorted((p.kind, p.path) for p in report.problems)
    assert kinds == [("mismatch", "exhibits/E002-bbbb.txt"), ("size", "exhibits/E002-bbbb.txt")]


def test_an_added_file_is_reported():
    data = build()
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr("exhibits/E999-extra.jpg", b"not from Harbour")
    report = check(buf.getvalue())
    assert [(p.kind, p.path) for p in report.problems] == [("added", "exhibits/E999-extra.jpg")]


def test_a_missing_exhibit_is_reported():
    report = check(build(edit=lambda n, d: None if "E001" in n else d))
    assert [(p.kind, p.path) for p in report.problems] == [("missing", "exhibits/E001-aaaa.jpg")]


def test_every_problem_is_listed_not_just_the_first():
    def edit(name, data):
        if "E001" in name:
            return b"changed"
        if "E002" in name:
            return None
        return data

    buf = io.BytesIO(build(edit=edit))
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr("notes.txt", b"added")
    kinds = {(p.kind, p.path) for p in check(buf.getvalue()).problems}
    assert {
        ("mismatch", "exhibits/E001-aaaa.jpg"),
        ("missing", "exhibits/E002-bbbb.txt"),
        ("added", "notes.txt"),
    } <= kinds


def test_a_changed_pdf_is_caught_by_the_seal():
    report = check(build(edit=lambda n, d: b"%PDF-1.7 forged" if n == "bundle.pdf" else d))
    assert [(p.kind, p.path) for p in report.problems] == [("mismatch", "bundle.pdf")]


def test_an_edited_manifest_no_longer_matches_the_seal_or_the_csv():
    def edit(name, data):
        return data.replace(b"HB-TEST01", b"HB-OTHER1") if name == "manifest.json" else data

    kinds = {(p.kind, p.path) for p in check(build(edit=edit)).problems}
    assert ("mismatch", "manifest.json") in kinds


def test_a_rehashed_manifest_still_disagrees_with_the_csv_copy():
    files = dict(FILES)

    def edit(name, data):
        if name == "manifest.json":
            files["exhibits/E001-aaaa.jpg"] = b"swapped"
            entries = [Entry(n, len(d), manifest.sha256_bytes(d)) for n, d in files.items()]
            return manifest.manifest_json(entries, {"case": "HB-TEST01"})
        return b"swapped" if "E001" in name else data

    kinds = {(p.kind, p.path) for p in check(build(edit=edit)).problems}
    assert ("manifest", "manifest.csv") in kinds
    assert ("mismatch", "manifest.json") in kinds  # and the seal no longer matches


def test_a_truncated_zip_file_is_not_intact():
    data = build()
    report = check(data[: len(data) // 2])
    assert not report.ok and report.problems[0].kind == "unsafe"


def test_paths_that_leave_the_bundle_are_refused():
    buf = io.BytesIO(build())
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr("../escape.txt", b"x")
    problems = check(buf.getvalue()).problems
    assert ("unsafe", "../escape.txt") in {(p.kind, p.path) for p in problems}


def test_a_bundle_declaring_more_data_than_the_limit_is_refused_before_hashing():
    report = verify_bundle(io.BytesIO(build()), max_total=10)
    assert not report.ok and "declares more data" in report.problems[0].detail


def test_the_check_runs_without_django_for_whoever_receives_a_bundle(tmp_path, capsys):
    path = tmp_path / "b.zip"
    path.write_bytes(build())
    assert manifest.main([str(path)]) == 0
    assert capsys.readouterr().out.startswith("INTACT")
    path.write_bytes(build(edit=lambda n, d: None if "E001" in n else d))
    assert manifest.main([str(path)]) == 1
    assert "MISSING: exhibits/E001-aaaa.jpg" in capsys.readouterr().out
