"""CSV call and message logs (phone carriers' itemised bills, forensic tools, spreadsheet exports).

There is no one format, so a person chooses which column means what (:class:`CsvMapping`); the
parser refuses a mapping naming a column the file does not have, and a row whose time does not
read with the chosen format, rather than guessing.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from harbour_parsers.base import DEFAULT_LIMITS, Input, Limits, Parse, Source
from harbour_parsers.errors import ParseError
from harbour_parsers.records import Call, CallType, Direction, Kind, Record, Report

DEFAULT_DIRECTIONS: Mapping[str, Direction] = {
    "in": Direction.INCOMING,
    "incoming": Direction.INCOMING,
    "received": Direction.INCOMING,
    "inbox": Direction.INCOMING,
    "out": Direction.OUTGOING,
    "outgoing": Direction.OUTGOING,
    "sent": Direction.OUTGOING,
    "outbox": Direction.OUTGOING,
}
DEFAULT_CALL_TYPES: Mapping[str, CallType] = {
    "incoming": CallType.INCOMING,
    "received": CallType.INCOMING,
    "in": CallType.INCOMING,
    "outgoing": CallType.OUTGOING,
    "dialled": CallType.OUTGOING,
    "dialed": CallType.OUTGOING,
    "out": CallType.OUTGOING,
    "missed": CallType.MISSED,
    "voicemail": CallType.VOICEMAIL,
    "rejected": CallType.REJECTED,
    "declined": CallType.REJECTED,
    "blocked": CallType.BLOCKED,
}
MAX_LINE = 1024 * 1024
MAX_COLUMNS = 1000


@dataclass(frozen=True)
class CsvMapping:
    """Which column (by its header) holds what. Only ``timestamp`` is required.

    ``timestamp_format``: a ``strptime`` format, ``"iso"`` (ISO 8601), ``"epoch-s"`` or
    ``"epoch-ms"``. A time without a zone is kept as local time. ``call_type`` (or
    ``calls=True``) makes every row a call; ``duration`` is in seconds, or ``h:mm:ss``/``mm:ss``.
    Values are matched case-insensitively against ``directions`` and ``call_types``.
    """

    timestamp: str
    timestamp_format: str = "iso"
    text: str | None = None
    sender: str | None = None
    recipients: str | None = None
    direction: str | None = None
    call_type: str | None = None
    duration: str | None = None
    calls: bool = False
    delimiter: str | None = None  # sniffed from the header line when not given
    encoding: str = "utf-8-sig"
    directions: Mapping[str, Direction] = field(default_factory=lambda: dict(DEFAULT_DIRECTIONS))
    call_types: Mapping[str, CallType] = field(default_factory=lambda: dict(DEFAULT_CALL_TYPES))

    def columns(self) -> dict[str, str]:
        names = ("timestamp", "text", "sender", "recipients", "direction", "call_type", "duration")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}


def _time(value: str, fmt: str) -> tuple[datetime, bool]:
    value = value.strip()
    if fmt == "epoch-s" or fmt == "epoch-ms":
        n = int(value)
        return datetime.fromtimestamp(n / (1000 if fmt == "epoch-ms" else 1), tz=UTC), False
    if fmt == "iso":
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    else:
        parsed = datetime.strptime(value, fmt)  # noqa: DTZ007 - zone only if the format has one
    if parsed.tzinfo is None:
        return parsed, True
    return parsed.astimezone(UTC), False


def _duration(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if ":" in value:
        parts = [int(p) for p in value.split(":")]
        if len(parts) > 3 or any(p < 0 for p in parts):
            raise ValueError(value)
        total = 0
        for p in parts:
            total = total * 60 + p
        return total
    n = float(value)
    if not 0 <= n < 10**9:
        raise ValueError(value)
    return int(n)


def _lines(text: io.TextIOBase) -> Iterator[str]:
    while True:
        line = text.readline(MAX_LINE)
        if not line:
            return
        if len(line) >= MAX_LINE and not line.endswith("\n"):
            raise ParseError("a line longer than 1 MB")
        yield line


def parse_csv(source: Source, mapping: CsvMapping, *, limits: Limits = DEFAULT_LIMITS) -> Parse:
    """Parse a CSV log whose first line names the columns, with the columns chosen in ``mapping``."""
    inp = Input(source, limits)
    try:
        codecs.lookup(mapping.encoding)
    except LookupError as exc:
        raise ParseError(f"unknown text encoding {mapping.encoding!r}") from exc

    def run(report: Report) -> Iterator[Record]:
        with inp.open() as raw:
            text = io.TextIOWrapper(raw, encoding=mapping.encoding, newline="")
            try:
                yield from _rows(text, mapping, report)
            except UnicodeDecodeError as exc:
                raise ParseError(f"not {mapping.encoding} text") from exc
            except csv.Error as exc:
                raise ParseError(f"not readable CSV: {exc}") from exc
            finally:
                text.detach()

    return Parse("csv", run)


def _rows(text: io.TextIOWrapper, mapping: CsvMapping, report: Report) -> Iterator[Record]:
    lines = _lines(text)
    first = next(lines, None)
    if first is None or not first.strip():
        raise ParseError("the file is empty", line=1)
    delimiter = mapping.delimiter
    if delimiter is None:
        counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
        delimiter = max(counts, key=lambda d: counts[d])
        report.decisions["delimiter"] = repr(delimiter)
    reader = csv.reader(_chain(first, lines), delimiter=delimiter)
    header = next(reader)
    if len(header) > MAX_COLUMNS:
        raise ParseError("too many columns", line=1)
    index = {name.strip(): i for i, name in enumerate(header)}
    wanted = mapping.columns()
    missing = [col for col in wanted.values() if col not in index]
    if missing:
        raise ParseError(
            f"the file has no column {missing[0]!r} (it has: {', '.join(list(index)[:20])})",
            line=1,
        )
    col = {what: index[name] for what, name in wanted.items()}
    is_call = mapping.calls or mapping.call_type is not None
    previous_end = 1
    directions = {k.casefold(): v for k, v in mapping.directions.items()}
    call_types = {k.casefold(): v for k, v in mapping.call_types.items()}
    for row in reader:
        line = previous_end + 1
        previous_end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue

        def cell(what: str, row: list[str] = row) -> str | None:
            i = col.get(what)
            if i is None:
                return None
            return row[i] if i < len(row) else ""

        stamp = cell("timestamp") or ""
        try:
            timestamp, local = _time(stamp, mapping.timestamp_format)
        except (ValueError, OverflowError, OSError) as exc:
            raise ParseError(
                f"the time {stamp[:40]!r} does not read as {mapping.timestamp_format!r}", line=line
            ) from exc
        direction = None
        raw_direction = cell("direction")
        if raw_direction is not None:
            direction = directions.get(raw_direction.strip().casefold())
        call = None
        if is_call:
            raw_type = cell("call_type")
            ctype = CallType.UNKNOWN
            if raw_type is not None:
                ctype = call_types.get(raw_type.strip().casefold(), CallType.UNKNOWN)
            elif direction is not None:
                ctype = CallType(direction.value)
            raw_duration = cell("duration") or ""
            try:
                duration = _duration(raw_duration)
            except ValueError as exc:
                raise ParseError(
                    f"the duration {raw_duration[:20]!r} is not a number", line=line
                ) from exc
            call = Call(ctype, duration)
            if direction is None and ctype in (CallType.OUTGOING, CallType.INCOMING):
                direction = Direction(ctype.value)
        recipients_raw = cell("recipients")
        recipients = tuple(
            r.strip() for r in (recipients_raw or "").replace(";", ",").split(",") if r.strip()
        )
        extra = {
            name: row[i] for name, i in index.items() if i < len(row) and i not in col.values()
        }
        yield Record(
            Kind.CALL if is_call else Kind.MESSAGE,
            timestamp,
            local,
            cell("sender"),
            cell("text") or "",
            recipients,
            direction,
            (),
            call,
            line=line,
            extra=extra,
        )


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest
