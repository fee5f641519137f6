"""Email: mbox files (mboxo/mboxrd, Thunderbird, Gmail Takeout; CRLF or LF) and single ``.eml`` files.

A "From " line starts a new message only when it has the mbox date stamp *and* the next line is a
header, so an unescaped "From " line in a body does not split a message. Headers are decoded
(RFC 2047); the plain-text body is the record's text, an HTML body is kept in ``html`` and rendered
to text only for matching. Attachments are named, typed and carried.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from typing import IO

from harbour_parsers.base import DEFAULT_LIMITS, Input, Limits, Parse, Source, read_document
from harbour_parsers.errors import ParseError
from harbour_parsers.records import Attachment, Direction, Kind, Record, Report

_FROM_LINE = re.compile(
    rb"From (?:\"[^\"\r\n]*\"\S*|\S+) +(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +)?"
    rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2},? +\d{1,2}:\d{2}(?::\d{2})?"
    rb"(?: +(?:[A-Z]{1,5}|[+-]\d{4}))? +\d{4}(?: +(?:[A-Z]{1,5}|[+-]\d{4}))?[ \t]*\r?\n?\Z"
)
_HEADER_LINE = re.compile(rb"[\x21-\x39\x3b-\x7e]{1,200}:")
MAX_LINE = 1024 * 1024
MAX_PARTS = 10_000


def _decode_header_text(raw: object) -> str:
    text = str(raw)
    try:
        return str(make_header(decode_header(text)))
    except Exception:  # RFC 2047 decoding of hostile headers fails in many ways
        return text


def _header(msg: Message, name: str) -> str | None:
    try:
        value = msg.get(name)
    except Exception:  # email's header parser raises on some malformed headers
        raw = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), None)
        return None if raw is None else _decode_header_text(raw)
    if value is None:
        return None
    return _decode_header_text(value) if "=?" in str(value) else str(value)


def _addresses(value: str | None) -> list[str]:
    if not value:
        return []
    try:
        pairs = getaddresses([value])
    except Exception:
        return [value]
    out = []
    for name, addr in pairs:
        if addr and name:
            out.append(f"{name} <{addr}>")
        elif addr or name:
            out.append(addr or name)
    return out


def _payload_text(part: Message) -> str:
    content: object = None
    with contextlib.suppress(Exception):  # undecodable or mislabelled: fall back below
        content = part.get_content()  # type: ignore[attr-defined]
    if isinstance(content, str):
        return content
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    charset = "utf-8"
    with contextlib.suppress(Exception):
        charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, "replace")
    except (LookupError, ValueError):  # an unknown charset, or one naming NUL
        return payload.decode("utf-8", "replace")


def _record_from_bytes(
    data: bytes, *, line: int | None, offset: int | None, me: str | None, report: Report
) -> Record:
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
        return _record(msg, line=line, offset=offset, me=me)
    except RecursionError as exc:
        raise ParseError("an email nested too deeply", line=line, offset=offset) from exc


def _record(msg: Message, *, line: int | None, offset: int | None, me: str | None) -> Record:
    sender = _header(msg, "From")
    recipients = [a for name in ("To", "Cc", "Bcc") for a in _addresses(_header(msg, name))]
    date_raw = _header(msg, "Date")
    timestamp: datetime | None = None
    local = False
    if date_raw:
        try:
            timestamp = parsedate_to_datetime(date_raw)
        except (TypeError, ValueError, IndexError, OverflowError):
            timestamp = None
        if timestamp is not None:
            if timestamp.tzinfo is None:
                local = True
            else:
                try:
                    timestamp = timestamp.astimezone(UTC)
                except (OverflowError, ValueError):
                    timestamp = None
    text: str | None = None
    html: str | None = None
    attachments: list[Attachment] = []
    for count, part in enumerate(msg.walk()):
        if count > MAX_PARTS:
            raise ParseError("an email with too many parts", line=line, offset=offset)
        if part.is_multipart():
            continue
        try:
            ctype = part.get_content_type()
            disposition = part.get_content_disposition()
            filename = part.get_filename()
        except Exception:
            ctype, disposition, filename = "application/octet-stream", "attachment", None
        if disposition != "attachment" and not filename:
            if ctype == "text/plain" and text is None:
                text = _payload_text(part)
                continue
            if ctype == "text/html" and html is None:
                html = _payload_text(part)
                continue
        try:
            payload = part.get_payload(decode=True)
        except Exception:
            payload = None
        data = payload if isinstance(payload, bytes) else None
        attachments.append(
            Attachment(
                _decode_header_text(filename) if filename else "unnamed",
                ctype,
                len(data) if data is not None else None,
                data,
            )
        )
    extra = {}
    for name in ("Subject", "Message-ID", "In-Reply-To"):
        value = _header(msg, name)
        if value is not None:
            extra[name.lower()] = value
    direction = None
    if me is not None and sender is not None:
        direction = Direction.OUTGOING if me.lower() in sender.lower() else Direction.INCOMING
    return Record(
        Kind.MEDIA if attachments and not (text or "").strip() and not html else Kind.MESSAGE,
        timestamp,
        local,
        sender,
        text if text is not None else "",
        tuple(recipients),
        direction,
        tuple(attachments),
        line=line,
        offset=offset,
        html=html,
        extra=extra,
    )


def _lines(f: IO[bytes]) -> Iterator[bytes]:
    while True:
        line = f.readline(MAX_LINE)
        if not line:
            return
        yield line


def parse_mbox(source: Source, *, me: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Parse:
    """Parse an mbox file, one message at a time. ``me`` (an address) sets directions."""
    inp = Input(source, limits)

    def run(report: Report) -> Iterator[Record]:
        with inp.open() as f:
            yield from _mbox(f, report, me, limits)

    return Parse("mbox", run)


def _mbox(f: IO[bytes], report: Report, me: str | None, limits: Limits) -> Iterator[Record]:
    current: list[bytes] = []
    size = 0
    start_line = start_offset = 0
    line_no = 0
    offset = 0
    pending: bytes | None = None  # a "From " line waiting to see whether a header follows
    pending_line = pending_offset = 0
    seen_any = False
    crlf = False

    def flush() -> Record:
        data = b"".join(current)
        if data.endswith(b"\r\n"):
            data = data[:-2]
        elif data.endswith(b"\n"):
            data = data[:-1]
        return _record_from_bytes(data, line=start_line, offset=start_offset, me=me, report=report)

    for raw in _lines(f):
        line_no += 1
        here = offset
        offset += len(raw)
        if line_no == 1 and raw.endswith(b"\r\n"):
            crlf = True
        if pending is not None:
            if _HEADER_LINE.match(raw):
                if seen_any:
                    yield flush()
                current = []
                size = 0
                start_line, start_offset = pending_line, pending_offset
                seen_any = True
            else:
                if not seen_any:
                    raise ParseError("not an mbox file: no header after the From line", line=1)
                current.append(pending)
                size += len(pending)
            pending = None
        if raw.startswith(b"From ") and _FROM_LINE.match(raw):
            pending, pending_line, pending_offset = raw, line_no, here
            continue
        if not seen_any:
            raise ParseError("not an mbox file: it does not start with a From line", line=line_no)
        current.append(raw)
        size += len(raw)
        if size > limits.max_record_bytes:
            raise ParseError("one email is larger than the limit", line=start_line)
    if pending is not None:
        if not seen_any:
            raise ParseError("not an mbox file: no header after the From line", line=1)
        current.append(pending)
    if not seen_any:
        raise ParseError("the file is empty")
    yield flush()
    report.decisions["line endings"] = "CRLF" if crlf else "LF"


def parse_eml(source: Source, *, me: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Parse:
    """Parse one ``.eml`` message (RFC 5322)."""
    inp = Input(source, limits)

    def run(report: Report) -> Iterator[Record]:
        data = read_document(inp, limits)
        if not data.strip():
            raise ParseError("the file is empty")
        first = data.split(b"\n", 1)[0]
        if not _HEADER_LINE.match(first) and not first.startswith(b"From "):
            raise ParseError("not an email: line 1 is not a header", line=1)
        yield _record_from_bytes(data, line=1, offset=0, me=me, report=report)

    return Parse("eml", run)
