"""An evidence file's type is decided from its content, not its name."""

from __future__ import annotations

import io
import zipfile

import pytest

from harbour.evidence.filetypes import detect
from tests.evidence.conftest import png_with_exif


def _zip(name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(name, "x")
    return out.getvalue()


@pytest.mark.parametrize(
    ("head", "media_type", "extension"),
    [
        (png_with_exif(), "image/jpeg", "jpg"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png", "png"),
        (b"%PDF-1.7\n", "application/pdf", "pdf"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", "video/mp4", "mp4"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wave", "wav"),
        (_zip("WhatsApp Chat.txt"), "application/zip", "zip"),
        (
            _zip("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        (b'{"messages": []}', "application/json", "json"),
        (b'<?xml version="1.0"?><smses count="1">', "application/xml", "xml"),
        (b"03/03/2026, 21:00 - Unknown: pick up\n", "text/plain", "txt"),
        (b"From: someone@example.org\nTo: her@example.org\nSubject: hi\n", "message/rfc822", "eml"),
    ],
)
def test_evidence_types_are_recognised_from_their_first_bytes(head, media_type, extension):
    found = detect(head)
    assert found is not None and (found.media_type, found.extension) == (media_type, extension)


@pytest.mark.parametrize(
    "head",
    [
        b"MZ\x90\x00" + b"\x00" * 60,
        b"\x7fELF\x02\x01\x01" + b"\x00" * 60,
        b"",
        b"\x00\x01\x02\x03" * 20,
    ],
)
def test_programs_and_unknown_binaries_are_refused(head):
    assert detect(head) is None
