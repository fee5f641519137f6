"""Telegram Desktop result.json: one chat and the full export, text as a string or as entities,
calls, media, and old exports without date_unixtime (local time)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.parsers.helpers import fixture

from harbour_parsers import CallType, Direction, Kind, ParseError, parse_telegram


def test_a_single_chat_export():
    records = list(parse_telegram(fixture("telegram_single_chat.json"), me="Zara Quell"))
    assert [r.kind for r in records] == [
        Kind.MESSAGE, Kind.MESSAGE, Kind.CALL, Kind.CALL, Kind.EDITED, Kind.MEDIA,
    ]  # fmt: skip
    assert records[0].text == "Morning 👀"
    assert records[1].text == "I know where you work: https://example.org/map"
    assert records[0].timestamp == datetime(2021, 3, 1, 9, 0, tzinfo=UTC)
    assert not records[0].local_time
    assert records[2].call.duration_seconds == 65 and records[2].call.type is CallType.INCOMING
    assert records[3].call.type is CallType.MISSED
    assert records[4].attachments[0].name == "photos/photo_1@01-03-2021_09-06-00.jpg"
    assert records[5].direction is Direction.OUTGOING
    assert records[5].attachments[0].content_type == "audio/ogg"
    assert records[1].path == "messages[1]" and records[1].extra["id"] == "102"


def test_the_full_export_reads_every_chat_and_left_chat():
    parse = parse_telegram(fixture("telegram_full_export.json"))
    records = list(parse)
    assert parse.report.format == "telegram-full-export"
    assert [r.extra["chat"] for r in records] == [
        "Orin Vale", "Orin Vale", "Night shift", "Night shift", "Old street group",
    ]  # fmt: skip
    assert records[2].kind is Kind.SYSTEM
    assert records[3].sender == "user5500003"  # a deleted account has no name
    assert records[4].path == "left_chats.list[0].messages[0]"
    assert records[3].path == "chats.list[1].messages[1]"


def test_an_old_export_without_unix_times_is_local_time():
    records = list(parse_telegram(fixture("telegram_old_export.json")))
    assert records[0].local_time and records[0].timestamp == datetime(2019, 5, 1, 22, 0)
    assert records[1].kind is Kind.EDITED and records[1].text == "see example.org"


def test_json_that_is_not_a_telegram_export_is_refused():
    with pytest.raises(ParseError, match="not an object"):
        list(parse_telegram(b"[1, 2, 3]"))
    with pytest.raises(ParseError, match="not valid JSON"):
        list(parse_telegram(b'{"messages": [{"id": 1,'))
    with pytest.raises(ParseError, match="not a JSON object"):
        list(parse_telegram(b'{"messages": [1]}'))
