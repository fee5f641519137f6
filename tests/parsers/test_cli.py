"""``harbour parse-export FILE`` prints a summary of an export and never its messages."""

from __future__ import annotations

import pytest
from tests.parsers.helpers import fixture

from harbour.cli import main


def _run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["harbour", "parse-export", *args])
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_parse_export_prints_counts_decisions_and_flags_but_no_message(capsys):
    code, out, _err = _run(capsys, str(fixture("whatsapp_android_en_gb.txt")))
    assert code == 0
    assert "format: whatsapp" in out
    assert "records: 11 (deleted 2, edited 1, media 2, message 4, system 2)" in out
    assert "date order: day first" in out
    assert "check: line 14 looks like a message header" in out
    assert "Happy new year" not in out and "Zara" not in out


def test_parse_export_takes_an_order_override_and_a_csv_mapping(capsys):
    code, out, _err = _run(capsys, str(fixture("whatsapp_android_ambiguous.txt")), "--month-first")
    assert code == 0 and "date order: month first (given by the caller)" in out
    code, out, _err = _run(
        capsys, str(fixture("calls_carrier.csv")), "--format", "csv",
        "--map", "timestamp=Date", "--map", "call_type=Direction", "--time-format", "%d/%m/%Y",
    )  # fmt: skip
    assert code == 0 and "records: 3 (call 3)" in out


def test_parse_export_reports_an_unreadable_file_and_exits_2(capsys, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02")
    code, out, err = _run(capsys, str(junk))
    assert code == 2 and "not recognised" in err and out == ""
