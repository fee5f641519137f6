"""Load a postcode-to-local-authority table in the ONS Postcode Directory (ONSPD) format.

The file is CSV with a header row. Harbour reads the postcode from ``pcds`` (or ``pcd``/``pcd2``),
the local authority district from ``oslaua`` (or ``laua``, ``lad`` or ``ladNNcd``), the county from
``oscty`` (or ``cty``/``ctyNNcd``) where present, and skips terminated postcodes (a ``doterm``
value) and the ONS "no authority" pseudo-codes (``E99999999`` and the like). Any other bad row
refuses the whole file, naming its line; the table is replaced in one transaction, so a refused
file changes nothing.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction

from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core.identifiers import normalise_postcode
from harbour.coverage.models import PostcodeAuthority

POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2")
_AUTHORITY_RE = re.compile(r"(oslaua|laua|lad|lad\d\dcd)")
_COUNTY_RE = re.compile(r"(oscty|cty|cty\d\dcd)")
_CODE_RE = re.compile(r"[A-Z][0-9]{8}")
BATCH = 5000


class ImportRefused(ValueError):
    """The file is not a postcode directory Harbour can load; the message says why."""


@dataclass(frozen=True)
class Summary:
    loaded: int
    skipped_terminated: int
    skipped_no_authority: int


def _column(
    header: list[str], names: Iterable[str] = (), pattern: re.Pattern[str] | None = None
) -> str | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return header[lowered.index(name)]
    if pattern is not None:
        for original, h in zip(header, lowered, strict=True):
            if pattern.fullmatch(h):
                return original
    return None


def _rows(text: Iterable[str], counts: dict[str, int]) -> Iterator[PostcodeAuthority]:
    reader = csv.DictReader(text)
    header = list(reader.fieldnames or [])
    pcd = _column(header, POSTCODE_COLUMNS)
    lad = _column(header, pattern=_AUTHORITY_RE)
    cty = _column(header, pattern=_COUNTY_RE)
    doterm = _column(header, ("doterm",))
    if pcd is None:
        raise ImportRefused("no postcode column: expected pcds, pcd or pcd2 in the header row")
    if lad is None:
        raise ImportRefused(
            "no local authority column: expected oslaua, laua or lad in the header row"
        )
    for row in reader:
        line = reader.line_num
        if None in row or any(v is None for v in row.values()):
            raise ImportRefused(f"line {line}: wrong number of columns")
        if doterm and (row[doterm] or "").strip():
            counts["terminated"] += 1
            continue
        postcode = normalise_postcode(row[pcd])
        if postcode is None:
            raise ImportRefused(f"line {line}: {row[pcd][:12]!r} is not a postcode")
        authority = (row[lad] or "").strip().upper()
        county = (row[cty] or "").strip().upper() if cty else ""
        if not _CODE_RE.fullmatch(authority):
            raise ImportRefused(
                f"line {line}: {authority[:12]!r} is not an ONS local authority code"
            )
        if county and not _CODE_RE.fullmatch(county):
            raise ImportRefused(f"line {line}: {county[:12]!r} is not an ONS county code")
        if authority.endswith("99999999"):
            counts["no_authority"] += 1
            continue
        if county.endswith("99999999"):
            county = ""
        yield PostcodeAuthority(postcode=postcode, authority=authority, county=county)


def import_file(path: Path, *, username: str = "harbour areas import") -> Summary:
    """Replace the postcode table with the file's rows, all or nothing."""
    counts = {"terminated": 0, "no_authority": 0}
    loaded = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle, transaction.atomic():
            PostcodeAuthority.objects.all().delete()
            batch: list[PostcodeAuthority] = []
            for item in _rows(handle, counts):
                batch.append(item)
                if len(batch) >= BATCH:
                    PostcodeAuthority.objects.bulk_create(batch)
                    loaded += len(batch)
                    batch = []
            PostcodeAuthority.objects.bulk_create(batch)
            loaded += len(batch)
            if loaded == 0:
                raise ImportRefused("the file has no postcodes to load")
            record(
                actor=None,
                username=username,
                verb=AuditVerb.COVERAGE_AUTHORITIES_IMPORTED,
                payload={"loaded": loaded, **counts},
            )
    except UnicodeDecodeError as exc:
        raise ImportRefused("the file is not UTF-8 text (ONS files are CSV in UTF-8)") from exc
    except csv.Error as exc:
        raise ImportRefused(f"not a CSV file: {exc}") from exc
    except IntegrityError as exc:
        raise ImportRefused("a postcode appears more than once in the file") from exc
    return Summary(loaded, counts["terminated"], counts["no_authority"])


def import_text(text: str, *, username: str = "harbour areas import") -> Summary:
    """For the demo, tests and small files already in memory."""

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "onspd.csv"
        path.write_text(text, encoding="utf-8")
        return import_file(path, username=username)


__all__ = ["ImportRefused", "Summary", "import_file", "import_text"]
