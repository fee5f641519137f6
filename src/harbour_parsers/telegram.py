"""Telegram Desktop "Export chat history" / "Export Telegram data" ``result.json``.

Both shapes: one chat (``{"name", "type", "id", "messages": [...]}``) and the full export
(``{"chats": {"list": [chat, ...]}, "left_chats": {...}, ...}``). Streamed with ijson, one message
object built at a time, so a multi-gigabyte export runs in bounded memory. ``text`` is a string or a
list of strings and entity objects; the record's text is their concatenation, exactly. Exports before
2021 have no ``date_unixtime``: their ``date`` is the exporting computer's local time, so those
records are marked local time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import ijson

from harbour_parsers.base import DEFAULT_LIMITS, CountingReader, Input, Limits, Parse, Source
from harbour_parsers.errors import ParseError
from harbour_parsers.records import Attachment, Call, CallType, Direction, Kind, Record, Report

CHAT_PREFIXES = {"": "chat", "chats.list.item": "chats", "left_chats.list.item": "left_chats"}
MESSAGE_PREFIXES = {p + ".messages.item" if p else "messages.item": p for p in CHAT_PREFIXES}
CHAT_FIELDS = {"name", "type", "id"}
MEDIA_KEYS = ("photo", "file", "sticker_emoji", "media_type", "contact_information", "location_information", "poll")  # fmt: skip
CALL_REASONS = {
    "missed": CallType.MISSED,
    "busy": CallType.REJECTED,
    "declined": CallType.REJECTED,
}


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, dict) and isinstance(item.get("text"), str):
                out.append(item["text"])
        return "".join(out)
    return ""


def _timestamp(msg: dict[str, Any]) -> tuple[datetime | None, bool]:
    unix = msg.get("date_unixtime")
    if unix is not None:
        try:
            return datetime.fromtimestamp(int(unix), tz=UTC), False
        except (TypeError, ValueError, OverflowError, OSError):
            pass
    date = msg.get("date")
    if isinstance(date, str):
        try:
            parsed = datetime.fromisoformat(date)
        except ValueError:
            return None, True
        if parsed.tzinfo is not None:
            return parsed.astimezone(UTC), False
        return parsed, True
    return None, True


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | bool):
        return str(value)
    return None


def _record(msg: Any, chat: dict[str, Any], where: str, me: str | None) -> Record:
    if not isinstance(msg, dict):
        raise ParseError("a message that is not a JSON object", path=where)
    timestamp, local = _timestamp(msg)
    mtype = msg.get("type")
    text = _text(msg.get("text"))
    sender = (
        _str(msg.get("from"))
        or _str(msg.get("actor"))
        or _str(msg.get("from_id"))
        or _str(msg.get("actor_id"))
    )
    attachments = []
    for key in ("photo", "file"):
        name = _str(msg.get(key))
        if name:
            attachments.append(Attachment(name, _str(msg.get("mime_type"))))
    call = None
    flags: tuple[str, ...] = ()
    if mtype == "service":
        action = msg.get("action")
        if action in ("phone_call", "group_call"):
            kind = Kind.CALL
            reason = _str(msg.get("discard_reason"))
            duration = msg.get("duration_seconds")
            ctype = CALL_REASONS.get(reason or "", CallType.UNKNOWN)
            if ctype is CallType.UNKNOWN and me is not None and sender is not None:
                ctype = CallType.OUTGOING if sender == me else CallType.INCOMING
            call = Call(ctype, duration if isinstance(duration, int) else None)
        else:
            kind = Kind.SYSTEM
    elif msg.get("edited") is not None or msg.get("edited_unixtime") is not None:
        kind = Kind.EDITED
    elif attachments or any(k in msg for k in MEDIA_KEYS):
        kind = Kind.MEDIA
    else:
        kind = Kind.MESSAGE
    direction = None
    if me is not None and sender is not None:
        direction = Direction.OUTGOING if sender == me else Direction.INCOMING
    extra = {}
    for key, value in (
        ("chat", chat.get("name")),
        ("chat type", chat.get("type")),
        ("id", msg.get("id")),
        ("reply to", msg.get("reply_to_message_id")),
        ("forwarded from", msg.get("forwarded_from")),
        ("action", msg.get("action")),
        ("media type", msg.get("media_type")),
        ("edited", msg.get("edited")),
    ):
        s = _str(value)
        if s is not None:
            extra[key] = s
    return Record(
        kind,
        timestamp,
        local,
        sender,
        text,
        (),
        direction,
        tuple(attachments),
        call,
        path=where,
        flags=flags,
        extra=extra,
    )


def parse_telegram(
    source: Source, *, me: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Parse:
    """Parse a Telegram Desktop JSON export (one chat or the full export), streaming.

    ``me`` (your name as the export writes it) sets directions. A record's ``path`` is its place
    in the JSON (e.g. ``chats.list[2].messages[41]``) and ``extra["id"]`` its message id.
    """
    inp = Input(source, limits)

    def run(report: Report) -> Iterator[Record]:
        with inp.open() as raw:
            counter = CountingReader(raw, limits.max_record_bytes, "JSON message")
            chat: dict[str, Any] = {}
            chat_index = dict.fromkeys(CHAT_PREFIXES, -1)
            message_index = 0
            builder: ijson.ObjectBuilder | None = None
            depth = 0
            current_chat_prefix = ""
            first = True
            try:
                for prefix, event, value in ijson.parse(counter, use_float=True):
                    if first:
                        first = False
                        if event != "start_map":
                            raise ParseError("not a Telegram export: the JSON is not an object")
                    if builder is not None:
                        builder.event(event, value)
                        if event in ("start_map", "start_array"):
                            depth += 1
                        elif event in ("end_map", "end_array"):
                            depth -= 1
                            if depth == 0:
                                cp = current_chat_prefix
                                where = (
                                    f"{cp.replace('.item', '')}[{chat_index[cp]}].messages"
                                    if cp
                                    else "messages"
                                ) + f"[{message_index}]"
                                yield _record(builder.value, chat, where, me)
                                builder = None
                                message_index += 1
                                counter.record_done()
                        continue
                    if prefix in MESSAGE_PREFIXES and event != "start_map":
                        raise ParseError("a message that is not a JSON object")
                    if prefix in MESSAGE_PREFIXES:
                        builder = ijson.ObjectBuilder()
                        builder.event(event, value)
                        depth = 1
                        current_chat_prefix = MESSAGE_PREFIXES[prefix]
                        continue
                    if event == "start_map" and prefix in CHAT_PREFIXES and prefix:
                        chat = {}
                        chat_index[prefix] += 1
                        message_index = 0
                        report.format = "telegram-full-export"
                    elif event in ("string", "number", "null"):
                        head, _, field = prefix.rpartition(".")
                        if (
                            field in CHAT_FIELDS
                            and head in CHAT_PREFIXES
                            or not head
                            and field in CHAT_FIELDS
                        ):
                            chat[field] = value
                    if event in ("end_map", "end_array"):
                        counter.record_done()
            except ijson.JSONError as exc:
                raise ParseError(f"not valid JSON: {exc}", offset=counter.total) from exc
            except (UnicodeError, ValueError, OverflowError, RecursionError) as exc:
                raise ParseError(f"not readable JSON: {exc}", offset=counter.total) from exc
            if first:
                raise ParseError("the file is empty")
            if report.format == "telegram" and report.records == 0 and not chat:
                raise ParseError("not a Telegram export: no chat name, type or messages")

    return Parse("telegram", run)
