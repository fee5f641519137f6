"""``harbour parse-export FILE`` prints a summary of an export and never its messages; the same
summary runs without Django as ``python -m harbour_parsers.cli``."""

from __future__ import annotations

import subprocess
import sys

import pytest
from tests.parsers.helpers import fixture

from harbour.cli import main


def _harbour(capsys, *args: str) -> tuple[int, str, str]:
    try:
        main(["harbour", "parse-export", *args])
        code = 0
    except SystemExit as exited:
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_export_prints_counts_decisions_and_flags_but_no_message(capsys):
    code, out, _err = _harbour(capsys, str(fixture("whatsapp_android_en_gb.txt")))
    assert code == 0
    assert "format: whatsapp" in out
    assert "records: 11 (deleted 2, edited 1, media 2, message 4, system 2)" in out
    assert "date order: day first" in out
    assert "check: line 14 looks like a message header" in out
    assert "Happy new year" not in out and "Zara" not in out


def test_parse_export_takes_an_order_override_and_a_csv_mapping(capsys):
    code, out, _err = _harbour(
        capsys, str(fixture("whatsapp_android_ambiguous.txt")), "--month-first"
    )
    assert code == 0 and "date order: month first (given by the caller)" in out
    code, out, _err = _harbour(
        capsys, str(fixture("calls_carrier.csv")), "--format", "csv",
        "--map", "timestamp=Date", "--map", "call_type=Direction", "--time-format", "%d/%m/%Y",
    )  # fmt: skip
    assert code == 0 and "records: 3 (call 3)" in out


def test_parse_export_reports_an_unreadable_file_and_exits_non_zero(capsys, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02")
    code, out, err = _harbour(capsys, str(junk))
    assert code == 1 and "not recognised" in err and out == ""


@pytest.mark.parametrize(
    ("args", "code", "expect"),
    [
        (["tests/parsers/fixtures/telegram_full_export.json"], 0, "format: telegram-full-export"),
        (
            ["tests/parsers/fixtures/calls_carrier.csv", "--format", "csv"],
            2,
            "needs --map timestamp",
        ),
    ],
)
def test_the_summary_runs_without_django(args, code, expect):
    done = subprocess.run(
        [sys.executable, "-c", "import sys, harbour_parsers.cli as c; "
         "r = c.main(sys.argv[1:]); assert 'django' not in sys.modules; sys.exit(r)", *args],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == code
    assert expect in done.stdout + done.stderr
