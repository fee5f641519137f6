"""The WhatsApp byte reader (headers matched on the file's UTF-8 bytes, texts decoded one by one)
gives exactly the records and report of the text reader, whatever the file holds and wherever the
reading blocks fall."""

from __future__ import annotations

import random
from datetime import datetime

import pytest
from tests.parsers.helpers import FIXTURES, fixture

from harbour_parsers import ParseError, Record, Report, parse_whatsapp
from harbour_parsers import whatsapp as wa

NAMES = sorted(p.name for p in FIXTURES.glob("whatsapp_*.txt"))

# Text typed into messages that could trip one reader and not the other: headers of both styles,
# quotes and long runs before ": " (never a sender), invisible marks, CRLF, markers, attachments.
INSERTS = [
    "\u201cquoted\u201d: x",
    "\u00aba\u00bb b: c",
    "x" * 130 + ": long",
    "\u00e9" * 121 + ": y",
    "\u00e9" * 119 + ": y",
    "\u200e",
    "\u202a~ Zed\u202c: hi",
    "\r",
    "31/12/2020, 23:59 - A: typed",
    "01/01/2019, 00:00 - B: back",
    "[31/12/2020, 23:59:00] B: ios",
    "IMG-1.jpg (file attached)",
    "This message was deleted",
    "<Media omitted>",
    "Missed voice call",
    "\u00a0",
    "12/13/2020, 10:00 - D: x",
    "\n",
    "\n\n",
    ": ",
    " - ",
    "A: ",
    "\ufeff",
    "\U0001f600",
]


def _read(
    data: bytes, *, binary: bool, block: int | None, monkeypatch: pytest.MonkeyPatch, **options
) -> tuple[list[Record] | None, str | None, Report]:
    monkeypatch.setattr(wa, "BYTES_READER", binary)
    if block is not None:
        monkeypatch.setattr(wa, "CHUNK", block)
        monkeypatch.setattr(wa._Text, "KEEP", 0)
    parse = parse_whatsapp(data, **options)
    try:
        return list(parse), None, parse.report
    except ParseError as exc:
        return None, str(exc), parse.report


def _same(
    data: bytes, monkeypatch: pytest.MonkeyPatch, block: int | None = None, **options
) -> None:
    fast, fast_error, fast_report = _read(
        data, binary=True, block=block, monkeypatch=monkeypatch, **options
    )
    text, text_error, text_report = _read(
        data, binary=False, block=block, monkeypatch=monkeypatch, **options
    )
    assert (fast_error is None) == (text_error is None), (fast_error, text_error)
    assert fast == text
    if text_error is None:
        assert fast_report == text_report


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("block", [None, 7, 64])
def test_the_byte_reader_gives_the_text_readers_records_for_every_fixture(
    name: str, block: int | None, monkeypatch: pytest.MonkeyPatch
):
    _same(fixture(name).read_bytes(), monkeypatch, block)
    _same(fixture(name).read_bytes(), monkeypatch, block, me="Zara Quell")


def test_the_byte_reader_gives_the_text_readers_records_for_edited_files(
    monkeypatch: pytest.MonkeyPatch,
):
    """Fixtures with typed headers, quotes, long runs, marks and line endings put into them at
    random (a fixed seed, so a failure can be replayed)."""
    rng = random.Random(12)
    sources = [fixture(name).read_bytes() for name in NAMES]
    for _ in range(150):
        lines = rng.choice(sources).split(b"\n")
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(lines))
            at = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:at] + rng.choice(INSERTS).encode() + lines[i][at:]
        data = b"\n".join(lines)
        if rng.random() < 0.3:
            data = data.replace(b"\n", b"\r\n")
        options = rng.choice([{}, {"me": "Zara Quell"}, {"day_first": False}])
        _same(data, monkeypatch, rng.choice([None, 7, 64, 200]), **options)


def test_a_reading_block_ending_inside_a_multi_line_message_keeps_the_message_whole(
    monkeypatch: pytest.MonkeyPatch,
):
    text = (
        b"01/03/2021, 09:00 - Orin Vale: first line\nsecond line\nthird line\n"
        b"01/03/2021, 09:01 - Zara Quell: reply\n"
    )
    for block in range(1, len(text) + 1):
        monkeypatch.setattr(wa, "CHUNK", block)
        monkeypatch.setattr(wa._Text, "KEEP", 0)
        records = list(parse_whatsapp(text))
        assert [(r.sender, r.text, r.line) for r in records] == [
            ("Orin Vale", "first line\nsecond line\nthird line", 1),
            ("Zara Quell", "reply", 4),
        ], block


def test_a_run_too_long_or_quoted_to_be_a_sender_stays_in_the_text():
    long_name = "\u00e9" * 121
    text = (
        f"01/03/2021, 09:00 - {long_name}: hello\n"
        "01/03/2021, 09:01 - Orin said \u201cno\u201d: fine\n"
        f"01/03/2021, 09:02 - {long_name[:120]}: short enough\n"
    ).encode()
    records = list(parse_whatsapp(text))
    assert [r.sender for r in records] == [None, None, long_name[:120]]
    assert records[0].text == f"{long_name}: hello"
    assert records[1].text == "Orin said \u201cno\u201d: fine"


def test_a_header_typed_with_other_digits_inside_a_message_is_just_text():
    text = (
        "13/03/2021, 09:00 - Orin Vale: look\n"
        "\u0663\u0661/\u0661\u0662/\u0662\u0660\u0662\u0661, 23:59 - Zara Quell: not a header\n"
    ).encode()
    parse = parse_whatsapp(text)
    records = list(parse)
    assert len(records) == 1 and records[0].text.endswith("not a header")
    assert not any("looks like a message header" in flag for flag in parse.report.flags)


def test_a_file_whose_headers_use_other_digits_is_read_as_text():
    text = "\u0663\u0661/\u0661\u0662/\u0662\u0660\u0662\u0660, 23:59 - Zara Quell: hi\n".encode()
    records = list(parse_whatsapp(text))
    assert [(r.timestamp, r.sender, r.text) for r in records] == [
        (datetime(2020, 12, 31, 23, 59), "Zara Quell", "hi")
    ]


def test_bytes_that_are_not_utf8_deep_in_a_large_file_are_refused_with_their_offset(
    monkeypatch: pytest.MonkeyPatch,
):
    good = b"".join(b"01/03/2021, 09:%02d - A: line %d\n" % (i % 60, i) for i in range(200))
    data = good + b"01/03/2021, 10:00 - A: caf\xe9\n"
    monkeypatch.setattr(wa, "CHUNK", 100)
    monkeypatch.setattr(wa._Text, "KEEP", 0)
    with pytest.raises(ParseError, match="not UTF-8") as caught:
        list(parse_whatsapp(data))
    assert caught.value.offset == len(good) + len(b"01/03/2021, 10:00 - A: caf")
