"""Facebook Messenger and Instagram "Download your information" JSON, and Messenger's newer
end-to-end-encrypted chat export.

Meta splits each conversation into ``message_1.json``, ``message_2.json``... of at most a few
megabytes, so each file is read whole, up to ``Limits.max_document_bytes`` (256 MB by default).

The DYI files write UTF-8 bytes as Latin-1 ``\\u00XX`` escapes ("mojibake": ``Ã©`` for ``é``). The
repair is applied only when it is certain: every non-ASCII string in the file must be valid UTF-8
once read back as Latin-1; otherwise nothing is changed and the report says so. Unsent messages are
kept, as records of kind ``unsent``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from harbour_parsers.base import DEFAULT_LIMITS, Input, Limits, Parse, Source, read_document
from harbour_parsers.errors import ParseError
from harbour_parsers.records import Attachment, Call, CallType, Direction, Kind, Record, Report
from harbour_parsers.text import unmojibake

MEDIA_LISTS = ("photos", "videos", "audio_files", "files", "gifs")
SYSTEM_TYPES = {"Subscribe", "Unsubscribe"}


def _load(inp: Input, limits: Limits) -> Any:
    data = read_document(inp, limits)
    if not data.strip():
        raise ParseError("the file is empty")
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc.msg}", line=exc.lineno, offset=exc.pos) from exc
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ParseError(f"not readable JSON: {type(exc).__name__}") from exc


def _strings(doc: Any) -> Iterator[str]:
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _repair_decision(doc: Any, report: Report) -> bool:
    changed = 0
    for s in _strings(doc):
        if s.isascii():
            continue
        fixed = unmojibake(s)
        if fixed is None:
            report.decisions["mojibake"] = "not repaired: some text is not Latin-1-escaped UTF-8"
            return False
        if fixed != s:
            changed += 1
    if changed:
        report.decisions["mojibake"] = f"repaired ({changed} strings were UTF-8 read as Latin-1)"
        return True
    report.decisions["mojibake"] = "none found"
    return False


def _fix(value: Any, repair: bool) -> Any:
    if not repair or not isinstance(value, str):
        return value
    fixed = unmojibake(value)
    return value if fixed is None else fixed


def _s(value: Any, repair: bool) -> str | None:
    value = _fix(value, repair)
    return value if isinstance(value, str) else None


def _ms(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _uris(msg: dict[str, Any], repair: bool) -> list[Attachment]:
    out = []
    for key in MEDIA_LISTS:
        items = msg.get(key)
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("uri"), str):
                    out.append(Attachment(_fix(item["uri"], repair)))
    sticker = msg.get("sticker")
    if isinstance(sticker, dict) and isinstance(sticker.get("uri"), str):
        out.append(Attachment(_fix(sticker["uri"], repair)))
    media = msg.get("media")  # the end-to-end-encrypted export
    if isinstance(media, list):
        for item in media:
            if isinstance(item, dict) and isinstance(item.get("uri"), str):
                out.append(Attachment(item["uri"]))
    return out


def _direction(sender: str | None, me: str | None) -> Direction | None:
    if me is None or sender is None:
        return None
    return Direction.OUTGOING if sender == me else Direction.INCOMING


def _dyi(doc: dict[str, Any], report: Report, me: str | None) -> Iterator[Record]:
    repair = _repair_decision(doc, report)
    participants = [
        _s(p.get("name"), repair) or ""
        for p in doc.get("participants") or []
        if isinstance(p, dict)
    ]
    title = _s(doc.get("title"), repair)
    for i, msg in enumerate(doc.get("messages") or []):
        if not isinstance(msg, dict):
            raise ParseError("a message that is not a JSON object", path=f"messages[{i}]")
        sender = _s(msg.get("sender_name"), repair)
        text = _s(msg.get("content"), repair) or ""
        attachments = _uris(msg, repair)
        mtype = msg.get("type")
        call = None
        if msg.get("is_unsent") is True:
            kind = Kind.UNSENT
        elif mtype == "Call" or "call_duration" in msg:
            kind = Kind.CALL
            duration = msg.get("call_duration")
            duration = duration if isinstance(duration, int) else None
            ctype = CallType.MISSED if duration == 0 else CallType.UNKNOWN
            if ctype is CallType.UNKNOWN and me is not None and sender is not None:
                ctype = CallType.OUTGOING if sender == me else CallType.INCOMING
            call = Call(ctype, duration)
        elif mtype in SYSTEM_TYPES:
            kind = Kind.SYSTEM
        elif attachments:
            kind = Kind.MEDIA
        else:
            kind = Kind.MESSAGE
        extra = {"type": str(mtype)} if mtype is not None else {}
        if title:
            extra["thread"] = title
        share = msg.get("share")
        if isinstance(share, dict) and isinstance(share.get("link"), str):
            extra["shared link"] = _fix(share["link"], repair)
        reactions = msg.get("reactions")
        if isinstance(reactions, list) and reactions:
            extra["reactions"] = ", ".join(
                f"{_s(r.get('actor'), repair)}: {_s(r.get('reaction'), repair)}"
                for r in reactions
                if isinstance(r, dict)
            )
        yield Record(
            kind,
            _ms(msg.get("timestamp_ms")),
            False,
            sender,
            text,
            tuple(p for p in participants if p != sender),
            _direction(sender, me),
            tuple(attachments),
            call,
            path=f"messages[{i}]",
            extra=extra,
        )


def _e2ee(doc: dict[str, Any], report: Report, me: str | None) -> Iterator[Record]:
    report.format = "messenger-e2ee"
    report.decisions["mojibake"] = "not applicable (this export writes UTF-8)"
    participants = [p for p in doc.get("participants") or [] if isinstance(p, str)]
    for i, msg in enumerate(doc.get("messages") or []):
        if not isinstance(msg, dict):
            raise ParseError("a message that is not a JSON object", path=f"messages[{i}]")
        sender = msg.get("senderName") if isinstance(msg.get("senderName"), str) else None
        raw_text = msg.get("text")
        text: str = raw_text if isinstance(raw_text, str) else ""
        attachments = _uris(msg, False)
        mtype = msg.get("type")
        if msg.get("isUnsent") is True:
            kind = Kind.UNSENT
        elif isinstance(mtype, str) and "call" in mtype.lower():
            kind = Kind.CALL
        elif attachments:
            kind = Kind.MEDIA
        else:
            kind = Kind.MESSAGE
        extra = {"type": str(mtype)} if mtype is not None else {}
        if isinstance(doc.get("threadName"), str):
            extra["thread"] = doc["threadName"]
        yield Record(
            kind,
            _ms(msg.get("timestamp")),
            False,
            sender,
            text,
            tuple(p for p in participants if p != sender),
            _direction(sender, me),
            tuple(attachments),
            Call(CallType.UNKNOWN) if kind is Kind.CALL else None,
            path=f"messages[{i}]",
            extra=extra,
        )


def parse_meta(source: Source, *, me: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Parse:
    """Parse a Facebook/Instagram DYI ``message_N.json`` or a Messenger end-to-end-encrypted export."""
    inp = Input(source, limits)

    def run(report: Report) -> Iterator[Record]:
        doc = _load(inp, limits)
        if not isinstance(doc, dict) or not isinstance(doc.get("messages"), list):
            raise ParseError("not a Facebook, Instagram or Messenger export (no messages list)")
        participants = doc.get("participants")
        if (
            (
                isinstance(participants, list)
                and participants
                and all(isinstance(p, str) for p in participants)
            )
            or "threadName" in doc
            or any(isinstance(m, dict) and "senderName" in m for m in doc["messages"][:5])
        ):
            yield from _e2ee(doc, report, me)
        else:
            yield from _dyi(doc, report, me)

    return Parse("facebook-instagram", run)
