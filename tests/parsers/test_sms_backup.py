"""SMS Backup & Restore: every sms type, mms parts and addresses, every call type, withheld
numbers, the app's broken emoji references repaired, and hostile XML refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.parsers.helpers import fixture

from harbour_parsers import CallType, Direction, Kind, ParseError, parse_sms_backup
from harbour_parsers.sms import SurrogateRepair


def _messages():
    parse = parse_sms_backup(fixture("sms_backup_messages.xml"))
    return parse, list(parse)


def test_every_sms_type_is_read_with_its_direction_and_status():
    _parse, records = _messages()
    sms = records[:7]
    assert [r.extra["status"] for r in sms] == [
        "received", "sent", "draft", "outbox", "failed", "queued", "received",
    ]  # fmt: skip
    assert sms[0].direction is Direction.INCOMING and sms[0].sender == "+447700900461"
    assert sms[1].direction is Direction.OUTGOING and sms[1].recipients == ("+447700900461",)
    assert sms[0].timestamp == datetime(2021, 2, 28, 8, 13, 20, tzinfo=UTC)
    assert not sms[0].local_time
    assert sms[5].text == "queued & pending <3"


def test_surrogate_pair_references_become_one_emoji_and_a_lone_half_is_flagged():
    parse, records = _messages()
    assert records[0].text == "Are you home? 😀"
    assert records[7].text == "Your car 🍋"
    assert records[6].text == "broken \ufffd half" and records[6].flags
    assert parse.report.decisions["surrogate pairs repaired"] == "2"
    assert any("line 11" in f for f in parse.report.flags)


def test_mms_parts_addresses_and_dates_in_milliseconds_and_seconds():
    _parse, records = _messages()
    received = records[7]
    assert received.kind is Kind.MEDIA
    assert received.sender == "+447700900461" and received.recipients == ("+447700900999",)
    assert received.attachments[0].name == "IMG_20210228_082500.jpg"
    assert received.attachments[0].content_type == "image/jpeg"
    assert received.attachments[0].data.startswith(b"\xff\xd8")
    assert received.timestamp == datetime(2021, 2, 28, 8, 25, tzinfo=UTC)  # date: ms
    assert received.extra["date_sent"] == "2021-02-28T08:24:58+00:00"  # date_sent: s
    group = records[8]
    assert group.direction is Direction.OUTGOING
    assert group.recipients == ("+447700900461", "+447700900462")
    assert group.text == "To both of you: stop"


def test_records_point_back_to_the_line_their_element_starts_on():
    _parse, records = _messages()
    assert [r.line for r in records] == [5, 6, 7, 8, 9, 10, 11, 12, 23]


def test_every_call_type_and_withheld_numbers():
    parse = parse_sms_backup(fixture("sms_backup_calls.xml"))
    calls = list(parse)
    assert parse.report.format == "sms-backup-calls"
    assert [c.call.type for c in calls] == [
        CallType.INCOMING, CallType.OUTGOING, CallType.MISSED, CallType.VOICEMAIL,
        CallType.REJECTED, CallType.BLOCKED, CallType.ANSWERED_ELSEWHERE,
        CallType.MISSED, CallType.INCOMING,
    ]  # fmt: skip
    assert calls[0].call.duration_seconds == 65 and calls[0].sender == "+447700900461"
    assert calls[1].direction is Direction.OUTGOING and calls[1].recipients == ("+447700900461",)
    assert calls[7].call.withheld and calls[7].sender is None
    assert calls[8].call.withheld and calls[8].extra["presentation"] == "restricted"
    assert all(c.kind is Kind.CALL for c in calls)


@pytest.mark.parametrize(
    "xml",
    [
        b'<?xml version="1.0"?><!DOCTYPE smses [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><smses><sms body="&c;" date="1" type="1"/></smses>',
        b'<?xml version="1.0"?><!DOCTYPE smses [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<smses><sms body="&x;" date="1" type="1"/></smses>',
        b'<?xml version="1.0"?><!DOCTYPE smses><smses/>',
    ],
    ids=["billion-laughs", "external-entity", "any-dtd"],
)
def test_entity_bombs_external_entities_and_dtds_are_refused(xml):
    with pytest.raises(ParseError, match="unsafe XML|DTD"):
        list(parse_sms_backup(xml))


def test_other_xml_and_broken_xml_are_refused_with_a_position():
    with pytest.raises(ParseError, match="root <html>"):
        list(parse_sms_backup(b"<html><body/></html>"))
    with pytest.raises(ParseError) as caught:
        list(parse_sms_backup(b'<smses>\n<sms body="x" date="1" type="1">\n</smses>'))
    assert caught.value.line == 3


def test_one_giant_element_is_refused_rather_than_held_in_memory():
    from harbour_parsers import Limits

    huge = b'<smses><sms date="1" type="1" body="' + b"a" * 300_000 + b'"/></smses>'
    with pytest.raises(ParseError, match="larger than"):
        list(parse_sms_backup(huge, limits=Limits(max_record_bytes=100_000)))


def test_the_repair_works_across_read_boundaries():
    import io

    data = b'<a b="x&#55357;&#56832;y&#xD83D;&#xDE00;z"/>' * 50
    for size in (1, 3, 7, 64):
        stream = SurrogateRepair(io.BytesIO(data))
        out = b""
        while chunk := stream.read(size):
            out += chunk
        assert out == b'<a b="x&#128512;y&#128512;z"/>' * 50
