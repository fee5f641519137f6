"""WhatsApp exports: every header style, language and marker, read without losing or changing a
message; day/month order decided from the whole file and reported; zips opened safely."""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from tests.parsers.helpers import FIXTURES, fixture, make_zip

from harbour_parsers import Direction, Kind, Limits, ParseError, parse_whatsapp
from harbour_parsers import whatsapp as wa

LRM = "\u200e"

M, S, MD, D, E, C = Kind.MESSAGE, Kind.SYSTEM, Kind.MEDIA, Kind.DELETED, Kind.EDITED, Kind.CALL

CASES = [
    (
        "whatsapp_android_en_gb.txt",
        "day first",
        [S, M, M, MD, D, MD, E, D, S, M, M],
        datetime(2021, 1, 13, 7, 17),
    ),
    ("whatsapp_android_en_us.txt", "month first", [S, M, M, MD, M], datetime(2021, 1, 13, 13, 5)),
    ("whatsapp_android_de.txt", "day first", [S, M, MD, D, E, MD, M], datetime(2021, 1, 14, 9, 0)),
    ("whatsapp_android_es.txt", "day first", [S, M, MD, D, E, M], datetime(2021, 1, 15, 15, 0)),
    ("whatsapp_android_fr.txt", "day first", [M, MD, D, E, M], datetime(2021, 1, 16, 8, 0)),
    ("whatsapp_android_nl.txt", "day first", [M, MD, D, E, M], datetime(2021, 1, 17, 8, 0)),
    ("whatsapp_android_it.txt", "day first", [M, MD, D, E, M], datetime(2021, 1, 18, 8, 0)),
    ("whatsapp_android_pt_br.txt", "day first", [M, MD, D, E, MD, M], datetime(2021, 1, 19, 8, 0)),
    ("whatsapp_android_sv.txt", "year first", [M, M], datetime(2021, 1, 1, 0, 10)),
    ("whatsapp_android_fi.txt", "day first", [M, M], datetime(2021, 1, 1, 0, 10)),
    ("whatsapp_android_zh.txt", "year first", [M, M, M, M], datetime(2021, 1, 13, 13, 0)),
    ("whatsapp_android_ko.txt", "year first", [M, M, M, M], datetime(2021, 1, 13, 13, 0)),
    (
        "whatsapp_ios_en_gb.txt",
        "day first",
        [S, M, MD, MD, D, E, C, M],
        datetime(2021, 1, 20, 8, 0),
    ),
    ("whatsapp_ios_en_us.txt", "month first", [M, MD, M], datetime(2021, 1, 21, 8, 0)),
    ("whatsapp_ios_de.txt", "day first", [M, MD, MD, D, M], datetime(2021, 1, 22, 8, 0)),
    ("whatsapp_ios_old.txt", "day first", [M, M, M], datetime(2021, 1, 23, 8, 0)),
]


@pytest.mark.parametrize(("name", "order", "kinds", "last"), CASES, ids=[c[0] for c in CASES])
def test_each_export_variant_reads_every_message_with_its_kind_and_local_time(
    name, order, kinds, last
):
    parse = parse_whatsapp(fixture(name))
    records = list(parse)
    assert [r.kind for r in records] == kinds
    assert records[-1].timestamp == last
    assert all(r.local_time and r.timestamp.tzinfo is None for r in records)
    assert parse.report.decisions["date order"] == order
    assert parse.report.records == len(records)


@pytest.mark.parametrize(("name", "order", "kinds", "last"), CASES, ids=[c[0] for c in CASES])
def test_every_line_of_the_file_is_in_exactly_one_record(name, order, kinds, last):
    """Nothing lost, nothing added: the texts and headers account for every line."""
    raw = fixture(name).read_text(encoding="utf-8")
    lines = raw.replace("\r\n", "\n").rstrip("\n").split("\n")
    records = list(parse_whatsapp(fixture(name)))
    assert sum(r.text.replace("\r\n", "\n").count("\n") + 1 for r in records) == len(lines)
    for record in records:
        first_line = lines[record.line - 1]
        assert first_line.endswith(record.text.replace("\r\n", "\n").split("\n")[0])


def test_text_is_exactly_as_in_the_file_including_line_breaks_marks_and_markers():
    gb = list(parse_whatsapp(fixture("whatsapp_android_en_gb.txt")))
    assert gb[1].text == "Happy new year nearly 🎉"
    assert gb[2].text == "Why didn't you answer\nI know you're home"
    assert gb[6].text == "Please stop <This message was edited>"
    ios = list(parse_whatsapp(fixture("whatsapp_ios_en_gb.txt")))
    assert ios[2].text == f"{LRM}<attached: 00000012-PHOTO-2021-01-01-00-10-00.jpg>"
    assert ios[-1].text == "Stop\r\nit has to stop"  # the file's own CRLF, inside the message


def test_senders_system_lines_and_the_tilde_of_unsaved_contacts():
    gb = list(parse_whatsapp(fixture("whatsapp_android_en_gb.txt")))
    assert gb[0].sender is None and gb[0].kind is Kind.SYSTEM
    assert gb[8].sender is None and gb[8].text == "Orin Vale changed this group's icon"
    assert gb[9].sender == "Wren Abbott"
    ios = list(parse_whatsapp(fixture("whatsapp_ios_en_gb.txt")))
    assert ios[0].kind is Kind.SYSTEM and ios[0].sender == "Zara and Orin"


def test_attachments_are_named_from_android_and_ios_markers():
    gb = list(parse_whatsapp(fixture("whatsapp_android_en_gb.txt")))
    assert [a.name for a in gb[5].attachments] == ["IMG-20210101-WA0003.jpg"]
    de = list(parse_whatsapp(fixture("whatsapp_ios_de.txt")))
    assert [a.name for a in de[1].attachments] == ["00000014-PHOTO-2021-01-01-00-10-00.jpg"]


def test_twelve_hour_clocks_read_in_english_and_spanish():
    us = list(parse_whatsapp(fixture("whatsapp_android_en_us.txt")))
    assert us[1].timestamp == datetime(2020, 12, 31, 23, 59)
    assert us[2].timestamp == datetime(2021, 1, 1, 0, 0)  # 12:00 AM is midnight
    assert us[3].timestamp == datetime(2021, 1, 1, 12, 30)  # 12:30 PM is after noon
    es = list(parse_whatsapp(fixture("whatsapp_android_es.txt")))
    assert es[2].timestamp == datetime(2021, 1, 1, 0, 5)


def test_a_missed_call_line_is_a_call_record():
    ios = list(parse_whatsapp(fixture("whatsapp_ios_en_gb.txt")))
    assert ios[6].call is not None and ios[6].call.type.value == "missed"


def test_the_day_month_decision_is_reported_with_its_evidence():
    parse = parse_whatsapp(fixture("whatsapp_android_en_gb.txt"))
    list(parse)
    assert "line 1 ('31/12/2020') can only be day first" in parse.report.evidence
    assert parse.report.decisions["header style"].startswith("Android")


def test_an_undecidable_order_is_flagged_and_can_be_overridden():
    parse = parse_whatsapp(fixture("whatsapp_android_ambiguous.txt"))
    assumed = list(parse)
    assert assumed[1].timestamp == datetime(2021, 3, 1, 9, 0)
    assert any("could not be decided" in f for f in parse.report.flags)
    given = parse_whatsapp(fixture("whatsapp_android_ambiguous.txt"), day_first=False)
    records = list(given)
    assert records[1].timestamp == datetime(2021, 1, 3, 9, 0)
    assert given.report.decisions["date order"] == "month first (given by the caller)"


def test_the_order_of_dates_decides_when_no_day_is_above_twelve():
    text = "01/02/2021, 09:00 - A: x\n02/01/2021, 09:00 - B: y\n03/01/2021, 09:00 - A: z\n"
    parse = parse_whatsapp(text.encode())
    records = list(parse)
    assert parse.report.decisions["date order"] == "month first"
    assert [r.timestamp.day for r in records] == [2, 1, 1]
    assert any("backwards" in e for e in parse.report.evidence)


def test_dates_that_disagree_are_decided_by_majority_and_flagged():
    text = (
        "13/01/2021, 09:00 - A: x\n14/01/2021, 09:00 - B: y\n"
        "15/01/2021, 09:00 - A: z\n01/16/2021, 09:00 - A: odd one\n"
    )
    parse = parse_whatsapp(text.encode())
    records = list(parse)
    assert parse.report.decisions["date order"] == "day first"
    assert any("disagree" in f for f in parse.report.flags)
    assert len(records) == 3 and records[-1].flags  # the impossible date stays inside, flagged
    assert "01/16/2021" in records[-1].text


def test_a_typed_header_whose_time_goes_backwards_does_not_split_the_message_and_is_flagged():
    parse = parse_whatsapp(fixture("whatsapp_android_en_gb.txt"))
    records = list(parse)
    quoting = records[-1]
    assert quoting.sender == "Orin Vale"
    assert quoting.text == (
        "He said:\n31/12/2020, 23:59 - Zara Quell: Happy new year nearly\n"
        "see, that's what she wrote"
    )
    assert quoting.flags == (
        "line 14 looks like a message header but has an earlier time: kept inside the message "
        "of line 13, not split (check it)",
    )
    assert parse.report.flags == list(quoting.flags)


def test_a_header_in_another_style_inside_a_message_is_just_text():
    text = "31/12/2020, 23:58 - A: look\n[31/12/2020, 23:59:00] B: not a header here\n"
    records = list(parse_whatsapp(text.encode()))
    assert len(records) == 1 and records[0].text.endswith("not a header here")


def test_me_sets_the_direction_of_each_message():
    records = list(parse_whatsapp(fixture("whatsapp_android_fr.txt"), me="Zara Quell"))
    assert records[0].direction is Direction.OUTGOING
    assert records[1].direction is Direction.INCOMING


def test_records_point_back_to_their_line():
    records = list(parse_whatsapp(fixture("whatsapp_android_en_gb.txt")))
    assert [r.line for r in records][:4] == [1, 2, 3, 5]
    assert records[3].position == "line 5"


def test_small_reading_blocks_give_the_same_records(monkeypatch):
    """Messages that straddle the reader's blocks (and a file too big to keep) read the same."""
    expected = list(parse_whatsapp(fixture("whatsapp_android_en_gb.txt")))
    monkeypatch.setattr(wa, "CHUNK", 7)
    monkeypatch.setattr(wa._Text, "KEEP", 0)
    assert list(parse_whatsapp(fixture("whatsapp_android_en_gb.txt"))) == expected


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in FIXTURES.glob("whatsapp_*.txt")),
)
def test_a_file_read_whole_and_in_small_blocks_gives_the_same_records_and_report(
    name: str, monkeypatch
):
    """A file that fits in memory is split once for both passes; the piecewise reading of a large
    file must decide the same things from the same evidence."""
    whole = parse_whatsapp(fixture(name))
    expected = list(whole)
    monkeypatch.setattr(wa, "CHUNK", 64)
    monkeypatch.setattr(wa._Text, "KEEP", 0)
    pieces = parse_whatsapp(fixture(name))
    assert list(pieces) == expected
    assert pieces.report == whole.report


def test_a_generated_chat_reads_back_exactly_as_written(tmp_path: Path):
    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    try:
        from generate_exports import write_whatsapp
    finally:
        sys.path.pop(0)
    path = tmp_path / "chat.txt"
    truth = write_whatsapp(path, 3000, seed=5)
    records = list(parse_whatsapp(path))
    assert [(r.timestamp, r.sender, r.text) for r in records] == [
        (t.timestamp, t.sender, t.text) for t in truth
    ]


def test_a_file_that_is_not_utf8_is_refused_with_its_byte_offset():
    with pytest.raises(ParseError) as caught:
        list(parse_whatsapp(b"31/12/2020, 23:59 - A: caf\xe9\n"))
    assert caught.value.offset == 26


def test_a_file_not_starting_with_a_header_is_refused():
    with pytest.raises(ParseError, match="line 1 is not a WhatsApp message header"):
        list(parse_whatsapp(b"hello\n31/12/2020, 23:59 - A: x\n"))
    with pytest.raises(ParseError, match="empty"):
        list(parse_whatsapp(b""))


# --- zip archives ----------------------------------------------------------------------------


def _ios_zip() -> bytes:
    return make_zip(
        {
            "_chat.txt": fixture("whatsapp_ios_en_gb.txt").read_bytes(),
            "00000012-PHOTO-2021-01-01-00-10-00.jpg": b"\xff\xd8\xff\xe0 not really a jpeg",
        }
    )


def test_an_ios_zip_is_read_and_its_attachments_found_in_the_archive():
    parse = parse_whatsapp(_ios_zip())
    records = list(parse)
    assert len(records) == 8
    assert records[2].attachments[0].in_archive is True
    assert records[0].path == "_chat.txt"
    assert parse.report.format == "whatsapp-zip"


def test_an_android_zip_names_its_chat_after_the_contact():
    data = make_zip(
        {
            "WhatsApp Chat with Orin Vale.txt": fixture("whatsapp_android_en_gb.txt").read_bytes(),
            "IMG-20210101-WA0003.jpg": b"jpeg",
        }
    )
    records = list(parse_whatsapp(io.BytesIO(data)))
    assert len(records) == 11
    assert records[5].attachments[0].in_archive is True


@pytest.mark.parametrize(
    ("members", "symlink", "reason"),
    [
        ({"_chat.txt": b"x", "../../etc/cron.d/evil": b"x"}, None, "escapes the archive"),
        ({"_chat.txt": b"x", "/etc/evil": b"x"}, None, "absolute path"),
        ({"_chat.txt": b"x", "C:\\evil": b"x"}, None, "absolute path"),
        ({"_chat.txt": b"x"}, "media/link.jpg", "symbolic link"),
    ],
    ids=["dot-dot", "absolute", "drive", "symlink"],
)
def test_unsafe_zip_members_are_refused_before_anything_is_read(members, symlink, reason):
    with pytest.raises(ParseError, match=reason):
        list(parse_whatsapp(make_zip(members, symlink=symlink)))


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    bomb = make_zip({"_chat.txt": b"31/12/2020, 23:59 - A: " + b"a" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(ParseError, match="compression ratio"):
        list(parse_whatsapp(bomb))


def test_a_zip_declaring_more_than_the_limit_is_refused():
    data = make_zip({"_chat.txt": b"31/12/2020, 23:59 - A: x\n", "video.mp4": b"v" * 5000})
    with pytest.raises(ParseError, match="declares more than"):
        list(parse_whatsapp(data, limits=Limits(max_zip_total_bytes=1000)))


def test_a_member_that_inflates_past_its_declared_size_is_refused():
    data = bytearray(make_zip({"_chat.txt": b"31/12/2020, 23:59 - A: " + b"hello " * 200}))
    # lie about the uncompressed size, in the local header and in the central directory
    real = len(b"31/12/2020, 23:59 - A: " + b"hello " * 200)
    for sig, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = data.find(sig)
        assert struct.unpack_from("<I", data, pos + at)[0] == real
        struct.pack_into("<I", data, pos + at, 40)
    with pytest.raises(ParseError):
        list(parse_whatsapp(bytes(data)))


def test_a_zip_with_several_chats_must_be_told_which():
    data = make_zip(
        {"a.txt": b"31/12/2020, 23:59 - A: x\n", "b.txt": b"31/12/2020, 23:59 - B: y\n"}
    )
    with pytest.raises(ParseError, match="several"):
        list(parse_whatsapp(data))
    assert [r.sender for r in parse_whatsapp(data, member="b.txt")] == ["B"]


def test_a_corrupt_zip_is_a_parse_error():
    data = _ios_zip()
    with pytest.raises(ParseError, match="zip"):
        list(parse_whatsapp(data[:200] + b"\x00" * 50 + data[250:]))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "_chat.txt" in z.namelist()
