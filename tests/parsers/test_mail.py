"""Email: mbox (Thunderbird, Gmail Takeout with CRLF, unescaped From lines) and .eml, with
decoded headers, HTML kept and rendered for matching, attachments carried."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.parsers.helpers import fixture

from harbour_parsers import Direction, Kind, ParseError, matching_text, parse_eml, parse_mbox


def test_a_thunderbird_mbox_keeps_unescaped_from_lines_inside_the_body():
    records = list(parse_mbox(fixture("mbox_thunderbird.mbox")))
    assert len(records) == 2
    body = records[0].text
    assert "From the platform you looked tired.\n" in body
    assert "From someone Mon Mar 01 09:00:00 2021\nthat line above" in body
    assert records[0].extra["subject"] == "I saw you"
    assert records[0].sender == "Orin Vale <orin.vale@example.net>"
    assert records[0].recipients == ("Zara Quell <zara.quell@example.org>",)
    assert records[0].timestamp == datetime(2021, 3, 1, 8, 59, tzinfo=UTC)
    assert records[1].extra["subject"] == "Café"
    assert records[1].text == "Meet me at the café.\n"
    assert [r.line for r in records] == [1, 19]


def test_a_gmail_crlf_mbox_decodes_headers_keeps_html_and_carries_attachments():
    parse = parse_mbox(fixture("mbox_gmail_crlf.mbox"), me="zara.quell@example.org")
    first, reply = list(parse)
    assert parse.report.decisions["line endings"] == "CRLF"
    assert first.extra["subject"] == "Watching 👀"
    assert first.recipients == (
        "zara.quell@example.org",
        "Wren Abbott <wren@example.com>",
        "René Ostrander <rene@example.com>",
    )
    assert first.text.startswith("I am watching.")
    assert first.html is not None and "<b>watching</b>" in first.html
    assert first.attachments[0].name == "street.png"
    assert first.attachments[0].data.startswith(b"\x89PNG")
    assert first.direction is Direction.INCOMING
    assert reply.direction is Direction.OUTGOING
    assert reply.text == "" and reply.html is not None
    assert matching_text(reply) == "do not contact me again."
    assert reply.offset is not None and reply.offset > first.offset


def test_an_eml_file_with_latin1_body_and_encoded_headers():
    (record,) = list(parse_eml(fixture("email_message.eml")))
    assert record.sender == "René Ostrander <rene@example.com>"
    assert record.extra["subject"] == "Ca va?"
    assert record.text.startswith("Je sais où tu habites.")
    assert "o&ugrave;" in record.html
    assert record.kind is Kind.MESSAGE
    assert not record.local_time


def test_a_date_without_a_zone_is_local_time():
    data = b"From: a@example.org\nDate: Mon, 1 Mar 2021 10:00:00 -0000\n\nhi\n"
    (record,) = list(parse_eml(data))
    assert record.local_time and record.timestamp.tzinfo is None


def test_files_that_are_not_mail_are_refused():
    with pytest.raises(ParseError, match="does not start with a From line"):
        list(parse_mbox(b"hello\nFrom nobody\n"))
    with pytest.raises(ParseError, match="not an email"):
        list(parse_eml(b"\x00\x01 binary"))
