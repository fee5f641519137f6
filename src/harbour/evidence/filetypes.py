"""Decide an evidence file's type from its first bytes, never from its name. No Django.

``puremagic`` (pure Python, maintained) reads the magic numbers; Harbour keeps its own allowlist
of what evidence may be: photos and screenshots, audio, video, documents and exports (ZIP, JSON,
XML, plain text such as chat exports, mbox and .eml). Anything else (programs, scripts, unknown
binaries) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import puremagic

HEAD = 8192


@dataclass(frozen=True)
class FileType:
    media_type: str
    extension: str
    family: str  # image | audio | video | document | export | text

    @property
    def is_image(self) -> bool:
        return self.family == "image"


ALLOWED: dict[str, FileType] = {
    t.media_type: t
    for t in (
        FileType("image/jpeg", "jpg", "image"),
        FileType("image/png", "png", "image"),
        FileType("image/gif", "gif", "image"),
        FileType("image/webp", "webp", "image"),
        FileType("image/heic", "heic", "document"),
        FileType("audio/mpeg", "mp3", "audio"),
        FileType("audio/mp4", "m4a", "audio"),
        FileType("audio/wave", "wav", "audio"),
        FileType("audio/x-wav", "wav", "audio"),
        FileType("application/ogg", "ogg", "audio"),
        FileType("audio/amr", "amr", "audio"),
        FileType("video/mp4", "mp4", "video"),
        FileType("video/quicktime", "mov", "video"),
        FileType("video/webm", "webm", "video"),
        FileType("video/3gpp", "3gp", "video"),
        FileType("application/pdf", "pdf", "document"),
        FileType("application/xml", "xml", "export"),
        FileType("message/rfc822", "eml", "export"),
    )
}

_ZIP_KINDS = (
    (
        b"word/",
        FileType(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            "document",
        ),
    ),
    (
        b"xl/",
        FileType(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "document"
        ),
    ),
)
ZIP = FileType("application/zip", "zip", "export")


def _text_type(head: bytes) -> FileType | None:
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return None
        text = head[: exc.start].decode("utf-8")
    if any(ord(c) < 9 or 13 < ord(c) < 32 for c in text[:HEAD]):
        return None
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")):
        return FileType("application/json", "json", "export")
    if (
        stripped.startswith("<?xml")
        or stripped.startswith("<smses")
        or stripped.startswith("<calls")
    ):
        return FileType("application/xml", "xml", "export")
    if stripped.startswith("From "):
        return FileType("application/mbox", "mbox", "export")
    first = stripped.split("\n", 1)[0]
    if ":" in first and first.split(":", 1)[0].replace("-", "").isalpha() and "\n" in stripped:
        header = first.split(":", 1)[0].lower()
        if header in {
            "received",
            "return-path",
            "from",
            "to",
            "date",
            "subject",
            "message-id",
            "mime-version",
            "delivered-to",
        }:
            return FileType("message/rfc822", "eml", "export")
    return FileType("text/plain", "txt", "text")


def detect(head: bytes) -> FileType | None:
    """The type of a file from its first bytes (``HEAD`` of them is plenty), or None if refused."""
    if not head:
        return None
    if head.startswith(b"PK\x03\x04"):
        for marker, kind in _ZIP_KINDS:
            if marker in head:
                return kind
        return ZIP
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        matches = []
    for match in matches:
        if match.mime_type in ALLOWED:
            return ALLOWED[match.mime_type]
        if match.extension == ".m4a":
            return ALLOWED["audio/mp4"]
    if matches and matches[0].confidence >= 0.5 and not matches[0].mime_type.startswith("text/"):
        return None  # a known type that evidence may not be (a program, a disk image...)
    return _text_type(head)
