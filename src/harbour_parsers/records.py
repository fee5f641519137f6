"""What every parser yields: one :class:`Record` per message or call, plus the parse's report."""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from harbour_parsers.text import html_to_text


class Kind(enum.StrEnum):
    MESSAGE = "message"
    SYSTEM = "system"  # group changes, encryption notices, "X joined"
    MEDIA = "media"  # a photo, video, file... (named in attachments when the export names it)
    DELETED = "deleted"  # "This message was deleted"
    EDITED = "edited"  # the text as last edited, with the export's edit marker kept
    UNSENT = "unsent"  # Facebook/Instagram "unsent"
    CALL = "call"


class Direction(enum.StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"


class CallType(enum.StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"
    MISSED = "missed"
    VOICEMAIL = "voicemail"
    REJECTED = "rejected"
    BLOCKED = "blocked"
    ANSWERED_ELSEWHERE = "answered elsewhere"
    UNKNOWN = "unknown"


@dataclass(slots=True, frozen=True)
class Attachment:
    """A file the record refers to: by name always; bytes only where the export carries them."""

    name: str
    content_type: str | None = None
    size: int | None = None
    data: bytes | None = None
    in_archive: bool | None = None  # WhatsApp zip: whether the named file is in the archive


@dataclass(slots=True, frozen=True)
class Call:
    type: CallType
    duration_seconds: int | None = None
    video: bool | None = None
    withheld: bool = False  # the caller's number was withheld, private or unknown


class Record(NamedTuple):
    """One message or call, as the export holds it.

    ``text`` is exactly the source's text (line breaks, invisible marks and markers included);
    use :func:`matching_text` for a normalised copy. ``timestamp`` is naive when ``local_time`` is
    true: the export gives wall-clock time without a zone (WhatsApp, old Telegram exports).
    A named tuple, because a 200,000-message chat makes 200,000 of them.
    Otherwise it is aware (UTC). ``line`` (1-based) or ``offset`` (bytes into the file or member
    named by ``path``) locates the record in the original file.
    """

    kind: Kind
    timestamp: datetime | None
    local_time: bool
    sender: str | None
    text: str
    recipients: tuple[str, ...] = ()
    direction: Direction | None = None
    attachments: tuple[Attachment, ...] = ()
    call: Call | None = None
    line: int | None = None
    offset: int | None = None
    path: str | None = None
    html: str | None = None
    flags: tuple[str, ...] = ()
    extra: dict[str, str] | None = None

    @property
    def position(self) -> str:
        return format_position(line=self.line, offset=self.offset, path=self.path)


def format_position(
    *, line: int | None = None, offset: int | None = None, path: str | None = None
) -> str:
    parts = []
    if path:
        parts.append(path)
    if line is not None:
        parts.append(f"line {line}")
    if offset is not None:
        parts.append(f"byte {offset}")
    return ", ".join(parts) or "start of input"


INVISIBLE_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_DROP_MARKS = {ord(c): None for c in INVISIBLE_MARKS}


def matching_text(record: Record) -> str:
    """A normalised copy for searching and matching, never for display or evidence.

    NFKC, invisible direction marks removed, case folded, runs of white space collapsed; for an
    HTML-only email, the text rendering of its HTML.
    """

    source = record.text
    if record.html is not None and not record.text.strip():
        source = html_to_text(record.html)
    return normalise(source)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DROP_MARKS).casefold()
    return " ".join(text.split())


@dataclass
class Report:
    """What a parse decided and what a person should look at.

    ``decisions``: e.g. ``{"date order": "day first"}``; ``evidence``: why, in words;
    ``flags``: positions a person should check (never silently guessed).
    """

    format: str
    decisions: dict[str, str] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    records: int = 0
