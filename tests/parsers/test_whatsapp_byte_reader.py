"""The WhatsApp byte reader (headers matched on the file's UTF-8 bytes, texts decoded one by one)
gives exactly the records and report of the text reader, whatever the file holds and wherever the
reading blocks fall."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import pytest
from tests.parsers.helpers import FIXTURES, fixture

from harbour_parsers import Kind, ParseError, Record, Report, parse_whatsapp
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
    # headers the full pattern finds and the narrow split (zero-padded, plain spaces) does not
    "\u200e31/12/2021, 23:59 - A: marked",
    "1/3/2021, 10:00 - A: short day",
    "01/03/21, 10:00 - A: short year",
    "31/12/2021, 9:00 - A: short hour",
    "31/12/2021,\u00a010:00 - A: no-break space",
    "31/12/2021, 10:00 \u2013 A: dash",
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


# --- the fast blocks (records built column by column) against the message-by-message loop --------

SENDERS = [
    "Orin Vale",
    "Zara Quell",
    "~\u202fNia Holt",
    "\u202a+44 7700 900461\u202c",
    "\u200eOrin Vale",
    "Orin Vale\u200f",  # a mark only at the end: stripped when the record is not ordinary
    "x" * 130,
    "Orin \u201cO\u201d Vale",
    None,  # a system line
]
BODIES = [
    "See you at the station",
    "Running late \U0001f697",
    "first line\nsecond line",
    "one\ntwo\nthree",
    "<Media omitted>",
    "\u200e<Media omitted>",
    "This message was deleted",
    "This message was deleted.",
    "Diese Nachricht wurde gel\u00f6scht.",
    "\u200eimage omitted",
    "IMG-20210101-WA0004.jpg (file attached)",
    "IMG-20210101-WA0005.jpg (file attached)\nthe car again",
    "\u200e<attached: 00000012-PHOTO-2021-01-01-00-10-00.jpg>",
    "Missed voice call",
    "I am outside <This message was edited>",
    "",
    "a note (in brackets) here",
    "ends with a bracket)",
    "<angle>",
    "\u200f",
    "\ufeffbom first",
    "12 eggs\n3 milk",  # a body line starting with digits
    "01/01/2019, 00:00 - Orin Vale: a typed header, back in time",  # kept inside, flagged
    "x\n01/01/2019, 00:00 - Orin Vale: a typed header on its own line",
    "\u00e9" * 40,
]


def _mixed_export(rng: random.Random, n: int, *, ios: bool, crlf: bool) -> bytes:
    """An export mixing every kind of message, sender and marker, with a clock that now and then
    goes back (a header look-alike the readers must keep inside the message before it)."""
    t = datetime(2021, 3, 1, 7, 30)  # noqa: DTZ001 - WhatsApp writes local time
    lines = []
    for _ in range(n):
        # now and then a year back: kept inside the message before, and flagged
        t = t.replace(year=2020 if rng.random() < 0.004 else 2021)
        t += rng.choice([timedelta(0), timedelta(minutes=1), timedelta(hours=7)])
        sender = rng.choice(SENDERS)
        body = rng.choice(BODIES)
        if ios:
            head = ("\u200e" if rng.random() < 0.1 else "") + t.strftime("[%d/%m/%Y, %H:%M:%S] ")
        else:
            head = t.strftime("%d/%m/%Y, %H:%M - ")
        lines.append(head + (body if sender is None else f"{sender}: {body}"))
    text = "\n".join(lines) + "\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    return text.encode()


def _fast_and_general(
    data: bytes, monkeypatch: pytest.MonkeyPatch, block: int | None, **options
) -> None:
    monkeypatch.setattr(wa, "FAST_BLOCKS", True)
    fast = _read(data, binary=True, block=block, monkeypatch=monkeypatch, **options)
    monkeypatch.setattr(wa, "FAST_BLOCKS", False)
    general = _read(data, binary=True, block=block, monkeypatch=monkeypatch, **options)
    assert fast[1] == general[1]  # the same error, or none
    assert fast[0] == general[0]
    if fast[1] is None:
        assert fast[2] == general[2]
    monkeypatch.setattr(wa, "FAST_BLOCKS", True)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("block", [None, 7, 64, 1000])
def test_the_fast_blocks_give_the_message_by_message_records_for_every_fixture(
    name: str, block: int | None, monkeypatch: pytest.MonkeyPatch
):
    _fast_and_general(fixture(name).read_bytes(), monkeypatch, block)
    _fast_and_general(fixture(name).read_bytes(), monkeypatch, block, day_first=False)


@pytest.mark.parametrize(("ios", "crlf"), [(False, False), (False, True), (True, False)])
def test_the_fast_blocks_and_both_readers_agree_on_a_generated_export_of_every_variant(
    ios: bool, crlf: bool, monkeypatch: pytest.MonkeyPatch
):
    """Every marker, attachment, odd sender, multi-line and empty message, header look-alike and
    backwards clock, read whole and in blocks of several sizes: the fast blocks, the
    message-by-message loop and the text reader give the same records and report."""
    rng = random.Random(24)
    data = _mixed_export(rng, 1500, ios=ios, crlf=crlf)
    taken = {True: 0, False: 0}  # blocks the fast way, and blocks handed to the general loop
    fast_block = wa._fast_block

    def counting(*args: Any) -> Any:
        block = fast_block(*args)
        taken[block is not None] += 1
        return block

    monkeypatch.setattr(wa, "_fast_block", counting)
    for block in (None, 97, 1024, 8192):
        _fast_and_general(data, monkeypatch, block)
        _same(data, monkeypatch, block)
    assert taken[True] > 20 and taken[False] > 2
    records = list(parse_whatsapp(data))
    kinds = {r.kind for r in records}
    assert {Kind.MESSAGE, Kind.SYSTEM, Kind.MEDIA, Kind.DELETED, Kind.EDITED} <= kinds
    assert any(r.flags for r in records)  # look-alikes were kept inside and flagged
    assert any("\n" in r.text for r in records)


def test_the_fast_blocks_give_the_message_by_message_records_for_edited_files(
    monkeypatch: pytest.MonkeyPatch,
):
    rng = random.Random(1224)
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
        _fast_and_general(data, monkeypatch, rng.choice([None, 7, 64, 200]))


def test_a_message_longer_than_many_blocks_is_read_whole_and_split_a_few_times_not_once_a_block(
    monkeypatch: pytest.MonkeyPatch,
):
    long_text = "\n".join(f"line {i} of a long message" for i in range(20_000))
    data = (
        f"01/03/2021, 09:00 - Orin Vale: {long_text}\n01/03/2021, 09:01 - Zara Quell: reply\n"
    ).encode()
    splits = 0
    fast_block = wa._fast_block

    def counting(*args: Any) -> Any:
        nonlocal splits
        splits += 1
        return fast_block(*args)

    monkeypatch.setattr(wa, "_fast_block", counting)
    monkeypatch.setattr(wa, "CHUNK", 1024)
    monkeypatch.setattr(wa._Text, "KEEP", 0)
    records = list(parse_whatsapp(data))
    assert [(r.sender, r.text, r.line) for r in records] == [
        ("Orin Vale", long_text, 1),
        ("Zara Quell", "reply", 20_001),
    ]
    assert len(data) // 1024 > 500
    assert splits < 40  # the carried message doubles at least each time, never once a block


def test_a_line_longer_than_many_blocks_is_read_whole(monkeypatch: pytest.MonkeyPatch):
    data = b"01/03/2021, 09:00 - Orin Vale: " + b"x" * 100_000 + b"\n01/03/2021, 09:01 - Z: y"
    monkeypatch.setattr(wa, "CHUNK", 100)
    monkeypatch.setattr(wa._Text, "KEEP", 0)
    records = list(parse_whatsapp(data))
    assert [len(r.text) for r in records] == [100_000, 1]


def test_a_file_of_more_senders_than_are_remembered_reads_the_same_every_way(
    monkeypatch: pytest.MonkeyPatch,
):
    """Past 10,000 senders the reader forgets them (between blocks only): odd senders ("~", marks)
    are still stripped wherever they fall."""
    lines = [
        f"01/03/2021, 09:00 - {'~ ' if i % 7 == 0 else ''}Person {i}: hello {i}"
        for i in range(12_000)
    ]
    data = ("\n".join(lines) + "\n").encode()
    for block in (None, 4096):
        _fast_and_general(data, monkeypatch, block)
        _same(data, monkeypatch, block)
    assert list(parse_whatsapp(data))[7].sender == "Person 7"


# --- the narrow split (headers as the first line writes them) against the full pattern -----------

FIRST_LINES = [
    "01/03/2021, 07:30 - Orin Vale: hi",
    "1/3/21, 7:30 PM - Orin Vale: hi",
    "[01/03/2021, 07:30:00] Orin Vale: hi",
    "\u200e[1/3/21, 7:30:00\u202fPM] Orin Vale: hi",
    "2021-03-01 07:30 - Orin Vale: hi",
    "01.03.21, 07:30 \u2013 Orin Vale: hi",
    "3/1/2021, 07:30 - Orin Vale: hi",
]
HEADER_LINES = [
    "01/03/2021, 07:30 - Orin Vale: x",
    "1/3/2021, 7:30 - Orin Vale: x",
    "12/13/21, 12:30 PM - Zara: x",
    "01/03/2021, 07:30 - no sender here",
    "\u200e01/03/2021, 07:30 - Orin Vale: x",
    "01/03/2021,\u00a007:30 - Orin Vale: x",
    "01/03/2021, 07:30 \u2013 Orin Vale: x",
    "[01/03/2021, 07:30:00] Orin Vale: x",
    "[1/3/21, 7:30:00\u202fPM] A: x",
    "[\u200e01/03/2021, 07:30:00\u200f] A: x",
    "01.03.21, 07:30 \u2013 A: x",
    "2021-03-01 07:30 - A: x",
    "2021-3-1 7:30 - A: x",
    "01/03/2021, 07:30 - " + "x" * 500 + ": long",
    "01/03/2021, 07:30 - \u201cq\u201d: x",
    "01/03/20211, 07:30 - A: x",
]


@pytest.mark.parametrize("first", FIRST_LINES)
def test_the_narrow_split_finds_a_header_as_the_full_pattern_does_or_not_at_all(first: str):
    style = wa._style_of(first)
    assert style is not None
    narrow, full = style.narrow_header_regex_bytes(), style.header_regex_bytes(head=False)
    assert narrow is not None and narrow.groups == full.groups == 3
    found = 0
    for line in [first.lstrip("\u200e"), first, *HEADER_LINES]:
        data = b"\n" + line.encode()
        n = narrow.match(data)
        if n is not None:
            found += 1
            f = full.match(data)
            assert f is not None and (f.span(), f.groups()) == (n.span(), n.groups()), line
    assert found >= 2  # the first line itself, and at least one more
    assert narrow.match(b"\n" + first.lstrip("\u200e").encode())  # its own headers, unmarked


def test_a_first_line_with_two_kinds_of_space_gets_no_narrow_split():
    style = wa._style_of("[1/3/21, 7:30:00\u202fPM] A: x")
    assert style is not None and style.narrow_header_regex_bytes() is not None
    style = wa._style_of("1/3/21,\u00a07:30\u202fPM - A: x")
    assert style is not None and style.narrow_header_regex_bytes() is None


def _padded_export(n: int, odd: dict[int, str]) -> bytes:
    """An Android export written zero-padded, with some messages of several lines; message ``i``
    in ``odd`` gets that header instead (a header the narrow split does not find)."""
    t = datetime(2021, 3, 1, 7, 30)  # noqa: DTZ001 - WhatsApp writes local time
    lines = []
    for i in range(n):
        t += timedelta(minutes=i % 3)
        body = f"message {i}" + ("\nsecond line\nthird" if i % 5 == 0 else "")
        head = odd.get(i, "%d/%m/%Y, %H:%M - ")
        lines.append(t.strftime(head) + ("Orin Vale" if i % 2 else "Zara Quell") + ": " + body)
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(
    "odd",
    [
        {},
        {1: "%-d/%-m/%Y, %H:%M - "},  # not zero-padded: the second message
        {700: "%-d/%-m/%Y, %-H:%M - ", 701: "%d/%m/%Y, %-H:%M - "},
        {900: "\u200e%d/%m/%Y, %H:%M - "},
        {1200: "%d/%m/%y, %H:%M - "},
        {1500: "%d/%m/%Y,\u00a0%H:%M - ", 1501: "%d/%m/%Y, %H:%M \u2013 "},
    ],
)
def test_a_header_the_narrow_split_misses_is_split_all_the_same(
    odd: dict[int, str], monkeypatch: pytest.MonkeyPatch
):
    """The narrow split is taken while it misses nothing; a block where the full pattern finds a
    header it missed (after a line break inside a text, or at the block's start) is split again
    with the full pattern, and so is every block after it. The same records every way."""
    data = _padded_export(2000, odd)
    calls = {"narrow": 0, "missed": 0}
    fast_block = wa._fast_block

    def counting(*args: Any) -> Any:
        block = fast_block(*args)
        if len(args) > 9:
            calls["narrow"] += 1
            calls["missed"] += block is wa._MISSED
        return block

    monkeypatch.setattr(wa, "_fast_block", counting)
    for block in (None, 97, 1024, 8192):
        _fast_and_general(data, monkeypatch, block)
        _same(data, monkeypatch, block)
        monkeypatch.setattr(wa, "NARROW_SPLIT", False)
        without = _read(data, binary=True, block=block, monkeypatch=monkeypatch)
        monkeypatch.setattr(wa, "NARROW_SPLIT", True)
        with_ = _read(data, binary=True, block=block, monkeypatch=monkeypatch)
        assert with_[0] == without[0] and with_[2] == without[2]
        assert with_[0] is not None and len(with_[0]) == 2000
    # three readings with the narrow split for each block size; in each, one miss at most:
    # after a miss the rest of the file takes the full split
    assert calls["missed"] == (3 * 4 if odd else 0)
    assert calls["narrow"] > (3 * 4 if odd else 20)


def test_the_clock_reads_every_five_character_time_as_its_general_parse_does():
    """A 24-hour clock's "HH:MM" is read without the general parse (once per minute of the day in
    a file): the same time, or the same refusal, for every pair of two digits, bytes or text."""
    for example in ("01/03/2021, 07:30 - A: x", "01.03.21, 07.30 - A: x"):
        style = wa._style_of(example)
        assert style is not None
        clock = wa._Clock(style, True)
        assert clock._hh_mm
        sep = style.tsep
        for h in range(100):
            for m in range(100):
                for s in (f"{h:02d}{sep}{m:02d}", f"{h:02d}{sep}{m:02d}".encode()):
                    quick = clock.time(s)
                    clock._hh_mm = False
                    assert quick == clock.time(s), s
                    clock._hh_mm = True
