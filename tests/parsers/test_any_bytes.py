"""Whatever bytes a parser is given, it yields records or raises its own ParseError with a
reason: never another exception, a hang or unbounded memory (property tests, modest budgets)."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.parsers.helpers import fixture, make_zip

from harbour_parsers import (
    CsvMapping,
    Limits,
    ParseError,
    Record,
    parse,
    parse_csv,
    parse_eml,
    parse_mbox,
    parse_meta,
    parse_sms_backup,
    parse_telegram,
    parse_whatsapp,
)

SMALL = Limits(
    max_document_bytes=1 << 20,
    max_record_bytes=1 << 20,
    max_zip_member_bytes=1 << 20,
    max_zip_total_bytes=4 << 20,
    max_buffer_bytes=1 << 20,
)
MAPPING = CsvMapping(timestamp="timestamp", text="body", sender="from", duration="duration")

PARSERS: dict[str, Callable[[bytes], object]] = {
    "whatsapp": lambda b: parse_whatsapp(b, limits=SMALL),
    "sms": lambda b: parse_sms_backup(b, limits=SMALL),
    "mbox": lambda b: parse_mbox(b, limits=SMALL),
    "eml": lambda b: parse_eml(b, limits=SMALL),
    "telegram": lambda b: parse_telegram(b, limits=SMALL),
    "meta": lambda b: parse_meta(b, limits=SMALL),
    "csv": lambda b: parse_csv(b, MAPPING, limits=SMALL),
    "detected": lambda b: parse(b, limits=SMALL),
}
SEEDS = {
    "whatsapp": ["whatsapp_android_en_gb.txt", "whatsapp_ios_en_gb.txt", "whatsapp_android_es.txt"],
    "sms": ["sms_backup_messages.xml", "sms_backup_calls.xml"],
    "mbox": ["mbox_thunderbird.mbox", "mbox_gmail_crlf.mbox"],
    "eml": ["email_message.eml"],
    "telegram": ["telegram_full_export.json", "telegram_single_chat.json"],
    "meta": ["facebook_message_1.json", "messenger_e2ee.json"],
    "csv": ["messages_log.csv"],
}
# HARBOUR_FUZZ_EXAMPLES=2000 for a longer hunt; the default keeps the suite fast
BUDGET = settings(
    max_examples=int(os.environ.get("HARBOUR_FUZZ_EXAMPLES", "40")),
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _holds(name: str, data: bytes) -> None:
    try:
        records = list(PARSERS[name](data))  # type: ignore[call-overload]
    except ParseError as exc:
        assert exc.reason and not exc.reason.startswith("unexpected"), exc.reason
        assert exc.position
        return
    assert all(isinstance(r, Record) for r in records)


@st.composite
def mutated(draw: st.DrawFn, names: list[str]) -> bytes:
    data = bytearray(fixture(draw(st.sampled_from(names))).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "truncate", "duplicate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        elif op == "truncate":
            del data[at:]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
    return bytes(data)


def _fuzz(name: str):  # type: ignore[no-untyped-def]
    @BUDGET
    @given(st.binary(max_size=2000))
    def any_bytes(data: bytes) -> None:
        _holds(name, data)

    @BUDGET
    @given(mutated(SEEDS.get(name, [n for ns in SEEDS.values() for n in ns])))
    def damaged_exports(data: bytes) -> None:
        _holds(name, data)

    return any_bytes, damaged_exports


test_whatsapp_any_bytes, test_whatsapp_damaged_exports = _fuzz("whatsapp")
test_sms_backup_any_bytes, test_sms_backup_damaged_exports = _fuzz("sms")
test_mbox_any_bytes, test_mbox_damaged_exports = _fuzz("mbox")
test_eml_any_bytes, test_eml_damaged_exports = _fuzz("eml")
test_telegram_any_bytes, test_telegram_damaged_exports = _fuzz("telegram")
test_meta_any_bytes, test_meta_damaged_exports = _fuzz("meta")
test_csv_any_bytes, test_csv_damaged_exports = _fuzz("csv")
test_detected_format_any_bytes, test_detected_format_damaged_exports = _fuzz("detected")


@BUDGET
@given(mutated(["whatsapp_ios_en_gb.txt"]), st.data())
def test_whatsapp_damaged_zip_archives(chat: bytes, data: st.DataObject) -> None:
    archive = bytearray(make_zip({"_chat.txt": chat, "IMG-1.jpg": b"\xff\xd8" * 50}))
    for _ in range(data.draw(st.integers(0, 3))):
        at = data.draw(st.integers(0, len(archive) - 1))
        archive[at] = data.draw(st.integers(0, 255))
    _holds("whatsapp", bytes(archive))


@BUDGET
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2021-03-01T09:00:00", "x", "", "1614589200", "2021-03-01 09:00"]),
            st.text(max_size=30),
            st.text(max_size=10),
            st.sampled_from(["", "1:05", "-3", "abc", "99999999999", "1:2:3:4"]),
        ),
        max_size=10,
    )
)
def test_csv_rows_of_any_text(rows: list[tuple[str, str, str, str]]) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["timestamp", "body", "from", "duration"])
    writer.writerows(rows)
    _holds("csv", out.getvalue().encode("utf-8", "surrogatepass"))


def test_inputs_the_property_tests_once_broke_stay_parse_errors_or_records():
    """Regressions found by the property tests."""
    eml = fixture("email_message.eml").read_bytes().replace(b"charset=iso", b"charset=\x00so")
    _holds("eml", eml)  # a charset naming NUL
    _holds("sms", b"<?xml version='1.0' encoding='TF-8'?><smses/>")  # an unknown XML encoding
    nameless = io.BytesIO()
    with zipfile.ZipFile(nameless, "w") as z:
        z.writestr("_chat.txt", b"31/12/2020, 23:59 - A: x\n")
        z.writestr(zipfile.ZipInfo(""), b"y")
    _holds("whatsapp", nameless.getvalue())  # a member without a name
