"""SMS Backup & Restore (Android) XML: the messages file (``sms`` and ``mms``) and the calls file.

Read with defusedxml's expat parser (no DTDs, entities or external references), fed in blocks,
one top-level element held at a time, so a 1 GB backup runs in bounded memory. The app writes
characters outside the Basic Multilingual Plane (emoji) as two character references, one per
UTF-16 surrogate (``&#55357;&#56832;``), which XML forbids; they are joined back into the one
character before the XML parser sees them. A lone surrogate reference becomes U+FFFD and the record
is flagged.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET  # noqa: S405 - only for its ParseError; parsing is defusedxml's
from collections.abc import Iterator
from datetime import UTC, datetime

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from harbour_parsers.base import (
    DEFAULT_LIMITS,
    CountingReader,
    Input,
    Limits,
    Parse,
    Readable,
    Source,
)
from harbour_parsers.errors import ParseError
from harbour_parsers.records import (
    Attachment,
    Call,
    CallType,
    Direction,
    Kind,
    Record,
    Report,
)

# sms "type": Android's Telephony.TextBasedSmsColumns
SMS_TYPES = {
    "1": ("received", Direction.INCOMING),
    "2": ("sent", Direction.OUTGOING),
    "3": ("draft", Direction.OUTGOING),
    "4": ("outbox", Direction.OUTGOING),
    "5": ("failed", Direction.OUTGOING),
    "6": ("queued", Direction.OUTGOING),
}
MMS_BOXES = {
    "1": ("received", Direction.INCOMING),
    "2": ("sent", Direction.OUTGOING),
    "3": ("draft", Direction.OUTGOING),
    "4": ("outbox", Direction.OUTGOING),
}
CALL_TYPES = {
    "1": CallType.INCOMING,
    "2": CallType.OUTGOING,
    "3": CallType.MISSED,
    "4": CallType.VOICEMAIL,
    "5": CallType.REJECTED,
    "6": CallType.BLOCKED,
    "7": CallType.ANSWERED_ELSEWHERE,
}
# PDU address types in <addr type="...">
ADDR_FROM, ADDR_TO, ADDR_CC, ADDR_BCC = "137", "151", "130", "129"
WITHHELD_NUMBERS = {"", "-1", "-2", "-3", "-4", "null", "unknown", "private", "anonymous"}
PRESENTATION = {"1": "allowed", "2": "restricted", "3": "unknown", "4": "payphone"}

_SURROGATE_REF = re.compile(
    rb"&#(?:(?P<d>\d{1,7})|[xX](?P<x>[0-9a-fA-F]{1,6}));"
    rb"(?:&#(?:(?P<d2>\d{1,7})|[xX](?P<x2>[0-9a-fA-F]{1,6}));)?"
)


# a run of whole or partial character references at the very end of a block (held back, since
# its pair may continue in the next block)
_TRAILING_REFS = re.compile(rb"(?:&(?:#(?:[xX][0-9a-fA-F]{0,6}|\d{0,7});?)?)+\Z")


def _ref_value(dec: bytes | None, hx: bytes | None) -> int | None:
    if dec is not None:
        return int(dec)
    if hx is not None:
        return int(hx, 16)
    return None


def _first_ref(m: re.Match[bytes]) -> bytes:
    whole = m.group(0)
    return whole[: whole.index(b";") + 1]


class SurrogateRepair:
    """A byte stream with surrogate-pair character references joined (``&#55357;&#56832;`` → 😀).

    Works across read boundaries by holding back a possible partial reference at the end of each
    block. ``lone`` counts references to lone surrogates, replaced by U+FFFD.
    """

    HOLD = 24

    def __init__(self, raw: Readable) -> None:
        self._raw = raw
        self._tail = b""
        self.lone = 0
        self.repaired = 0

    def _fix(self, m: re.Match[bytes]) -> bytes:
        first = _ref_value(m["d"], m["x"])
        second = _ref_value(m["d2"], m["x2"])
        assert first is not None
        if 0xD800 <= first <= 0xDBFF and second is not None and 0xDC00 <= second <= 0xDFFF:
            self.repaired += 1
            return b"&#%d;" % (0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
        head = _first_ref(m)
        rest = m.group(0)[len(head) :]
        if 0xD800 <= first <= 0xDFFF:
            self.lone += 1
            head = b"&#xFFFD;"
        if rest:
            rest = _SURROGATE_REF.sub(self._fix, rest)
        return head + rest

    def read(self, size: int = -1) -> bytes:
        block = self._raw.read(size if size and size > 0 else 65536)
        data = self._tail + block
        if not block:
            self._tail = b""
            return _SURROGATE_REF.sub(self._fix, data) if b"&#" in data else data
        window = len(data) - min(len(data), 2 * self.HOLD)
        m = _TRAILING_REFS.search(data, window)
        if m:
            self._tail = data[m.start() :]
            data = data[: m.start()]
        else:
            self._tail = b""
        if b"&#" in data:
            data = _SURROGATE_REF.sub(self._fix, data)
        if not data and self._tail:
            # nothing safe to hand over yet: read more rather than signal the end
            return self.read(size)
        return data


def _ms(value: str | None) -> datetime | None:
    if not value or value == "null":
        return None
    try:
        n = int(value)
    except ValueError:
        return None
    if n <= 0:
        return None
    try:
        return datetime.fromtimestamp(n / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _seconds_or_ms(value: str | None) -> datetime | None:
    """mms ``date_sent`` is in seconds (unlike ``date``); tolerate ms written by other tools."""
    if not value or value in ("null", "0"):
        return None
    try:
        n = int(value)
    except ValueError:
        return None
    if n > 100_000_000_000:
        n //= 1000
    try:
        return datetime.fromtimestamp(n, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _null(value: str | None) -> str | None:
    return None if value is None or value == "null" else value


def _extra(attrs: dict[str, str], names: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for k in names:
        v = attrs.get(k)
        if v is not None and v not in ("null", ""):
            out[k] = v
    return out


def _sms(el: _Element, line: int | None) -> Record:
    a = el.attrib
    status, direction = SMS_TYPES.get(
        a.get("type", ""), ("unknown type " + a.get("type", ""), None)
    )
    address = a.get("address", "")
    if direction is Direction.OUTGOING:
        sender, recipients = None, tuple(x for x in address.split("~") if x)
    else:
        sender, recipients = address, ()
    extra = _extra(a, ("contact_name", "readable_date", "subject", "service_center", "read"))
    extra["status"] = status
    sent = _ms(a.get("date_sent"))
    if sent is not None:
        extra["date_sent"] = sent.isoformat()
    return Record(
        Kind.MESSAGE,
        _ms(a.get("date")),
        False,
        sender,
        a.get("body", ""),
        recipients,
        direction,
        line=line,
        extra=extra,
    )


def _mms(el: _Element, line: int | None) -> Record:
    a = el.attrib
    status, direction = MMS_BOXES.get(
        a.get("msg_box", ""), ("unknown box " + a.get("msg_box", ""), None)
    )
    texts: list[str] = []
    attachments: list[Attachment] = []
    for p in el.parts:
        ct = p.get("ct", "")
        if ct == "application/smil":
            continue
        if ct == "text/plain" and _null(p.get("text")) is not None and "data" not in p:
            texts.append(p.get("text", ""))
            continue
        data: bytes | None = None
        if _null(p.get("data")) is not None:
            try:
                data = base64.b64decode(p["data"], validate=False)
            except (binascii.Error, ValueError):
                data = None
        name = _null(p.get("name")) or _null(p.get("cl")) or _null(p.get("fn")) or "part"
        attachments.append(
            Attachment(name, ct or None, len(data) if data is not None else None, data)
        )
    sender = None
    recipients: list[str] = []
    for addr in el.addrs:
        t, number = addr.get("type", ""), addr.get("address", "")
        if t == ADDR_FROM:
            sender = number
        elif t in (ADDR_TO, ADDR_CC, ADDR_BCC):
            recipients.append(number)
    if sender is None and not el.addrs:
        numbers = [x for x in a.get("address", "").split("~") if x]
        if direction is Direction.INCOMING and numbers:
            sender, recipients = numbers[0], numbers[1:]
        else:
            recipients = numbers
    extra = _extra(a, ("contact_name", "readable_date", "sub", "m_type", "ct_t"))
    extra["status"] = status
    sent = _seconds_or_ms(a.get("date_sent"))
    if sent is not None:
        extra["date_sent"] = sent.isoformat()
    kind = Kind.MEDIA if attachments else Kind.MESSAGE
    return Record(
        kind,
        _ms(a.get("date")),
        False,
        sender,
        "\n".join(texts),
        tuple(recipients),
        direction,
        tuple(attachments),
        line=line,
        extra=extra,
    )


def _call(el: _Element, line: int | None) -> Record:
    a = el.attrib
    ctype = CALL_TYPES.get(a.get("type", ""), CallType.UNKNOWN)
    number = a.get("number", "")
    presentation = a.get("presentation", "1")
    withheld = number.strip().lower() in WITHHELD_NUMBERS or presentation in ("2", "3", "4")
    try:
        duration: int | None = int(a.get("duration", ""))
    except ValueError:
        duration = None
    direction = Direction.OUTGOING if ctype is CallType.OUTGOING else Direction.INCOMING
    if ctype is CallType.UNKNOWN:
        direction = None  # type: ignore[assignment]
    party = None if withheld and number.strip().lower() in WITHHELD_NUMBERS else number
    extra = _extra(a, ("contact_name", "readable_date", "post_dial_digits"))
    extra["presentation"] = PRESENTATION.get(presentation, presentation)
    return Record(
        Kind.CALL,
        _ms(a.get("date")),
        False,
        party if direction is not Direction.OUTGOING else None,
        "",
        (party,) if direction is Direction.OUTGOING and party else (),
        direction,
        call=Call(ctype, duration, None, withheld),
        line=line,
        extra=extra,
    )


HANDLERS = {"sms": _sms, "mms": _mms, "call": _call}
ROOTS = {"smses": "sms", "calls": "calls"}
MAX_PARTS = 10_000


class _Element:
    __slots__ = ("tag", "attrib", "line", "parts", "addrs")

    def __init__(self, tag: str, attrib: dict[str, str], line: int) -> None:
        self.tag = tag
        self.attrib = attrib
        self.line = line
        self.parts: list[dict[str, str]] = []
        self.addrs: list[dict[str, str]] = []


class _Target:
    """Called by expat as it reads: builds one record's element at a time, never a tree."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.parser: DefusedXMLParser | None = None
        self.depth = 0
        self.root: str | None = None
        self.current: _Element | None = None
        self.done: list[_Element] = []

    def _line(self) -> int:
        assert self.parser is not None
        return int(self.parser.parser.CurrentLineNumber)

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1:
            if tag not in ROOTS:
                raise ParseError(
                    f"not an SMS Backup & Restore file (root <{tag[:40]}>)", line=self._line()
                )
            self.root = tag
            self.report.format = "sms-backup-" + ROOTS[tag]
            if attrib.get("count"):
                self.report.decisions["declared count"] = attrib["count"]
        elif self.depth == 2:
            self.current = _Element(tag, dict(attrib), self._line())
        elif self.depth > 4:
            raise ParseError("XML nested deeper than an SMS backup ever is", line=self._line())
        elif self.current is not None and tag in ("part", "addr"):
            bucket = self.current.parts if tag == "part" else self.current.addrs
            if len(bucket) >= MAX_PARTS:
                raise ParseError("an mms with too many parts", line=self._line())
            bucket.append(dict(attrib))

    def end(self, tag: str) -> None:
        self.depth -= 1
        if self.depth == 1 and self.current is not None:
            self.done.append(self.current)
            self.current = None

    def data(self, data: str) -> None:
        pass

    def close(self) -> None:
        return None


def parse_sms_backup(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> Parse:
    """Parse an SMS Backup & Restore ``sms-*.xml`` or ``calls-*.xml`` file, streaming.

    defusedxml's parser (DTDs, entities and external references refused) is fed 64 KB at a time;
    a target builds one top-level element at a time, so memory holds one record, never a tree,
    and each record gets the exact line its element starts on.
    """
    inp = Input(source, limits)

    def run(report: Report) -> Iterator[Record]:
        with inp.open() as raw:
            counter = CountingReader(raw, limits.max_record_bytes, "XML element")
            repaired = SurrogateRepair(counter)
            target = _Target(report)
            parser = DefusedXMLParser(target=target, forbid_dtd=True)
            target.parser = parser
            try:
                while True:
                    block = repaired.read(65536)
                    if block:
                        parser.feed(block)
                    else:
                        parser.close()
                    for el in target.done:
                        handler = HANDLERS.get(el.tag)
                        if handler is None:
                            continue
                        record = handler(el, el.line)
                        if repaired.lone and "\ufffd" in record.text:
                            note = "holds U+FFFD: a lone UTF-16 surrogate reference was replaced"
                            record = record._replace(flags=(note,))
                            report.flags.append(f"line {el.line}: {note}")
                        yield record
                    if target.done:
                        target.done.clear()
                        counter.record_done()
                    if not block:
                        break
            except (ET.ParseError, DefusedXmlException) as exc:
                position = getattr(exc, "position", None)
                line = position[0] if position else None
                raise ParseError(f"not well-formed or unsafe XML: {exc}", line=line) from exc
            except (UnicodeError, ValueError, OverflowError, LookupError) as exc:
                raise ParseError(f"not readable XML: {exc}") from exc
            if target.root is None:
                raise ParseError("the file holds no XML root element")
            if repaired.repaired:
                report.decisions["surrogate pairs repaired"] = str(repaired.repaired)

    return Parse("sms-backup", run)
