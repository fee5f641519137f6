"""Evidence bundle manifests: build them, and verify a bundle ZIP against its own. No Django.

A bundle ZIP holds

    bundle.pdf              the report (its cover prints the manifest's SHA-256)
    chronology.csv          every diary entry, one row each
    exhibits/E001-....ext   the original files, byte for byte
    manifest.json           {"format", "bundle", "case", "produced_at", "produced_by", "files": [...]}
    manifest.csv            path,size,sha256 for the same files
    seal.json               {"manifest_sha256": ..., "pdf_sha256": ...}

``manifest.json`` lists every file except the manifest files, the seal and the PDF (the PDF
carries the manifest's hash on its cover, so the manifest cannot also carry the PDF's hash: the
seal does). Verification recomputes every hash from the ZIP, streaming, and reports each file that
does not match, is missing, or was added, plus any disagreement between the two manifests and the
seal. The manifest hash it prints is the one to compare with the PDF's cover (and with Harbour's
record of the bundle).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import stat
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

FORMAT = "harbour-bundle/1"
PDF_NAME = "bundle.pdf"
MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
SEAL = "seal.json"
FIXED = (PDF_NAME, MANIFEST_JSON, MANIFEST_CSV, SEAL)
CHUNK = 1024 * 1024

#: Refuse to hash more than this much uncompressed data from one uploaded ZIP (a ZIP bomb).
DEFAULT_MAX_TOTAL = 8 * 1024**3
DEFAULT_MAX_ENTRIES = 20_000


@dataclass(frozen=True)
class Entry:
    path: str
    size: int
    sha256: str


def manifest_json(entries: Iterable[Entry], meta: dict[str, Any]) -> bytes:
    files = [{"path": e.path, "size": e.size, "sha256": e.sha256} for e in entries]
    body = {"format": FORMAT, **meta, "files": files}
    return (json.dumps(body, indent=2, sort_keys=False, ensure_ascii=False) + "\n").encode()


def manifest_csv(entries: Iterable[Entry]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["path", "size", "sha256"])
    for e in entries:
        writer.writerow([e.path, e.size, e.sha256])
    return out.getvalue().encode()


def seal_json(manifest_sha256: str, pdf_sha256: str) -> bytes:
    return (
        json.dumps({"manifest_sha256": manifest_sha256, "pdf_sha256": pdf_sha256}, indent=2) + "\n"
    ).encode()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class HashingWriter:
    """Wraps a binary file: everything written through it is hashed and counted."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        self.size += len(data)
        return self.target.write(data)


# Verification -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    kind: str  # mismatch | missing | added | size | manifest | unsafe
    path: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind.upper()}: {self.path}: {self.detail}"


@dataclass
class Report:
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    manifest_sha256: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and self.checked > 0

    def lines(self) -> list[str]:
        out = [str(p) for p in self.problems]
        verdict = "INTACT" if self.ok else "NOT INTACT"
        out.append(
            f"{verdict}: {self.checked} file(s) checked, {len(self.problems)} problem(s). "
            f"Manifest SHA-256 {self.manifest_sha256 or '(none)'}: compare it with the PDF's cover."
        )
        return out


def _unsafe(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/") or ":" in name:
        return "path leaves the bundle"
    mode = info.external_attr >> 16
    if mode and stat.S_ISLNK(mode):
        return "symbolic link"
    return ""


def _hash_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with zf.open(info) as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def verify_bundle(
    source: str | IO[bytes],
    *,
    max_total: int = DEFAULT_MAX_TOTAL,
    max_entries: int = DEFAULT_MAX_ENTRIES,
) -> Report:
    """Check a bundle ZIP against its manifest; every problem is listed, not just the first."""
    report = Report()
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        report.problems.append(Problem("unsafe", "(bundle)", f"not a readable ZIP file ({exc})"))
        return report
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > max_entries:
            report.problems.append(Problem("unsafe", "(bundle)", f"more than {max_entries} files"))
            return report
        if sum(i.file_size for i in infos) > max_total:
            report.problems.append(
                Problem("unsafe", "(bundle)", "declares more data than Harbour will unpack")
            )
            return report
        members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            reason = _unsafe(info)
            if reason:
                report.problems.append(Problem("unsafe", info.filename, reason))
                continue
            if info.filename in members:
                report.problems.append(Problem("added", info.filename, "appears twice in the ZIP"))
            members[info.filename] = info

        def read_small(name: str) -> bytes | None:
            info = members.get(name)
            if info is None:
                report.problems.append(Problem("missing", name, "not in the bundle"))
                return None
            if info.file_size > 64 * 1024 * 1024:
                report.problems.append(Problem("unsafe", name, "too large for a manifest"))
                return None
            try:
                return zf.read(info)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                report.problems.append(Problem("mismatch", name, f"cannot be read ({exc})"))
                return None

        raw_manifest = read_small(MANIFEST_JSON)
        expected: dict[str, Entry] = {}
        if raw_manifest is not None:
            report.manifest_sha256 = sha256_bytes(raw_manifest)
            try:
                body = json.loads(raw_manifest)
                for item in body["files"]:
                    expected[str(item["path"])] = Entry(
                        str(item["path"]), int(item["size"]), str(item["sha256"]).lower()
                    )
                report.meta = {k: v for k, v in body.items() if k != "files"}
            except (ValueError, KeyError, TypeError) as exc:
                report.problems.append(
                    Problem("manifest", MANIFEST_JSON, f"cannot be read ({exc.__class__.__name__})")
                )
        raw_csv = read_small(MANIFEST_CSV)
        if raw_csv is not None and raw_manifest is not None:
            try:
                rows = list(csv.DictReader(io.StringIO(raw_csv.decode("utf-8"))))
                from_csv = {r["path"]: Entry(r["path"], int(r["size"]), r["sha256"]) for r in rows}
            except (ValueError, KeyError, UnicodeDecodeError):
                from_csv = {}
            if from_csv != expected:
                differing = set(from_csv.items()) ^ set(expected.items())
                names = sorted({name for name, _e in differing}) or ["(format)"]
                report.problems.append(
                    Problem(
                        "manifest",
                        MANIFEST_CSV,
                        "does not agree with manifest.json for " + ", ".join(names[:10]),
                    )
                )
        raw_seal = read_small(SEAL)
        seal: dict[str, Any] = {}
        if raw_seal is not None:
            try:
                seal = json.loads(raw_seal)
            except ValueError:
                report.problems.append(Problem("manifest", SEAL, "cannot be read"))
        if seal and raw_manifest is not None:
            report.checked += 1
            if seal.get("manifest_sha256") != report.manifest_sha256:
                report.problems.append(
                    Problem(
                        "mismatch",
                        MANIFEST_JSON,
                        f"SHA-256 {report.manifest_sha256} but the seal says "
                        f"{seal.get('manifest_sha256')}",
                    )
                )
        pdf = members.get(PDF_NAME)
        if pdf is None:
            report.problems.append(Problem("missing", PDF_NAME, "not in the bundle"))
        elif seal:
            report.checked += 1
            digest, _size = _safe_hash(zf, pdf, report)
            if digest is not None and digest != seal.get("pdf_sha256"):
                report.problems.append(
                    Problem(
                        "mismatch",
                        PDF_NAME,
                        f"SHA-256 {digest} but the seal says {seal.get('pdf_sha256')}",
                    )
                )
        for path, entry in expected.items():
            member = members.get(path)
            if member is None:
                report.problems.append(Problem("missing", path, "listed in the manifest"))
                continue
            report.checked += 1
            digest, size = _safe_hash(zf, member, report)
            if digest is None:
                continue
            if size != entry.size:
                report.problems.append(
                    Problem("size", path, f"{size} bytes, the manifest says {entry.size}")
                )
            if digest != entry.sha256:
                report.problems.append(
                    Problem("mismatch", path, f"SHA-256 {digest}, the manifest says {entry.sha256}")
                )
        for path in sorted(set(members) - set(expected) - set(FIXED)):
            report.problems.append(Problem("added", path, "not listed in the manifest"))
    return report


def _safe_hash(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, report: Report
) -> tuple[str | None, int]:
    try:
        return _hash_member(zf, info)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        report.problems.append(Problem("mismatch", info.filename, f"cannot be read ({exc})"))
        return None, 0


def main(argv: list[str] | None = None) -> int:
    """``python -m harbour.evidence.manifest BUNDLE.zip``: the same check without Harbour's settings,
    database or keys (for whoever receives a bundle)."""

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m harbour.evidence.manifest BUNDLE.zip", file=sys.stderr)
        return 2
    report = verify_bundle(args[0])
    for line in report.lines():
        print(line)
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
