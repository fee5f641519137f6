"""Which parser a file needs, from its first bytes; and one ``parse()`` for all of them."""

from __future__ import annotations

from typing import Any

from harbour_parsers.base import DEFAULT_LIMITS, Input, Limits, Parse, Source
from harbour_parsers.csvlog import CsvMapping, parse_csv
from harbour_parsers.errors import ParseError
from harbour_parsers.mail import _FROM_LINE, _HEADER_LINE, parse_eml, parse_mbox
from harbour_parsers.meta import parse_meta
from harbour_parsers.safezip import is_zip
from harbour_parsers.sms import parse_sms_backup
from harbour_parsers.telegram import parse_telegram
from harbour_parsers.whatsapp import _style_of, parse_whatsapp

FORMATS = ("whatsapp", "sms-backup", "mbox", "eml", "telegram", "meta", "csv")


def detect_format(head: bytes) -> str | None:
    """The format name for a file starting with ``head`` (64 KB is plenty), or None."""
    if is_zip(head):
        return "whatsapp"
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if body.startswith(b"<"):
        if b"<smses" in head or b"<calls" in head:
            return "sms-backup"
        return None
    if body.startswith(b"{"):
        if b'"sender_name"' in head or b'"senderName"' in head or b'"threadName"' in head:
            return "meta"
        if b'"participants"' in head and b'"thread_path"' in head:
            return "meta"
        if b'"messages"' in head or b'"chats"' in head or b'"personal_information"' in head:
            return "telegram"
        return None
    first = head.split(b"\n", 1)[0]
    if first.startswith(b"From ") and _FROM_LINE.match(first + b"\n"):
        return "mbox"
    if _style_of(first.decode("utf-8", "replace")) is not None:
        return "whatsapp"
    if _HEADER_LINE.match(first):
        return "eml"
    return None


def parse(
    source: Source,
    format: str | None = None,  # noqa: A002 - the word people use
    *,
    limits: Limits = DEFAULT_LIMITS,
    **options: Any,
) -> Parse:
    """Parse ``source`` with the parser for ``format`` (detected when not given).

    ``options`` go to that parser (e.g. ``day_first=True``, ``me="Zara Quell"``; ``mapping`` for
    CSV).
    """
    inp = Input(source, limits)
    if format is None:
        format = detect_format(inp.head())
        if format is None:
            raise ParseError("the file's format is not recognised: name it")
    if format == "whatsapp":
        return parse_whatsapp(inp, limits=limits, **options)
    if format == "sms-backup":
        return parse_sms_backup(inp, limits=limits, **options)
    if format == "mbox":
        return parse_mbox(inp, limits=limits, **options)
    if format == "eml":
        return parse_eml(inp, limits=limits, **options)
    if format == "telegram":
        return parse_telegram(inp, limits=limits, **options)
    if format == "meta":
        return parse_meta(inp, limits=limits, **options)
    if format == "csv":
        mapping = options.pop("mapping", None)
        if not isinstance(mapping, CsvMapping):
            raise ParseError("a CSV log needs a column mapping")
        return parse_csv(inp, mapping, limits=limits, **options)
    raise ParseError(f"unknown format {format!r} (one of: {', '.join(FORMATS)})")
