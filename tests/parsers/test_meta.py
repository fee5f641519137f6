"""Facebook and Instagram DYI JSON (mojibake repaired only when certain, unsent kept) and the
Messenger end-to-end-encrypted export."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.parsers.helpers import fixture

from harbour_parsers import CallType, Kind, ParseError, parse_meta


def test_facebook_mojibake_is_repaired_and_unsent_messages_are_kept():
    parse = parse_meta(fixture("facebook_message_1.json"), me="Zara Quell")
    records = list(parse)
    assert parse.report.decisions["mojibake"].startswith("repaired")
    assert records[0].kind is Kind.UNSENT and records[0].sender == "René Ostrander"
    assert records[1].text == "On se voit au café? 😀"
    assert records[1].extra["reactions"] == "Zara Quell: 😡"
    assert records[2].kind is Kind.UNSENT and records[2].text == "Zara Quell unsent a message."
    assert records[3].attachments[0].name.endswith("1614589200_1.jpg")
    assert records[4].call.type is CallType.MISSED
    assert records[5].call.duration_seconds == 125
    assert records[6].extra["shared link"] == "https://example.org/x"
    assert records[1].recipients == ("Zara Quell",)
    assert records[1].timestamp == datetime(2021, 3, 1, 9, 3, 20, tzinfo=UTC)


def test_text_that_is_not_mojibake_is_never_changed():
    parse = parse_meta(fixture("facebook_not_mojibake.json"))
    (record,) = list(parse)
    assert record.text == "Ã© is what I typed, and ß"
    assert record.sender == "Zoë Ancrum"
    assert parse.report.decisions["mojibake"].startswith("not repaired")


def test_instagram_dyi():
    records = list(parse_meta(fixture("instagram_message_1.json")))
    assert records[0].text == "Je te vois 👁️"
    assert records[1].extra["shared link"].startswith("https://www.instagram.com/")


def test_the_messenger_end_to_end_encrypted_export():
    parse = parse_meta(fixture("messenger_e2ee.json"))
    records = list(parse)
    assert parse.report.format == "messenger-e2ee"
    assert [r.kind for r in records] == [Kind.MESSAGE, Kind.UNSENT, Kind.MEDIA]
    assert records[0].text == "New phone, same me 😀"
    assert records[2].attachments[0].name == "./media/Orin Vale/1714589400_photo.jpg"


def test_other_json_is_refused():
    with pytest.raises(ParseError, match="no messages list"):
        list(parse_meta(b'{"a": 1}'))
    with pytest.raises(ParseError, match="nesting|not readable|not valid"):
        list(parse_meta(b"[" * 100_000 + b"]" * 100_000))
