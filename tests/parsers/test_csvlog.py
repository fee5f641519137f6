"""CSV call and message logs, read with the column mapping a person chooses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.parsers.helpers import fixture

from harbour_parsers import CallType, CsvMapping, Direction, Kind, ParseError, parse_csv

CALLS = CsvMapping(
    timestamp="Date",
    timestamp_format="%d/%m/%Y",
    sender="Number",
    call_type="Direction",
    duration="Duration",
)


def test_a_carrier_call_log_with_semicolons_and_h_mm_ss_durations():
    mapping = CsvMapping(
        timestamp="Time", timestamp_format="%H:%M:%S", sender="Number", call_type="Direction",
        duration="Duration",
    )  # fmt: skip
    parse = parse_csv(fixture("calls_carrier.csv"), mapping)
    records = list(parse)
    assert parse.report.decisions["delimiter"] == "';'"
    assert [r.call.type for r in records] == [CallType.INCOMING, CallType.MISSED, CallType.OUTGOING]
    assert records[0].call.duration_seconds == 65
    assert records[0].kind is Kind.CALL and records[0].direction is Direction.INCOMING
    assert records[0].extra == {"Date": "01/03/2021", "Cost": "0.00"}
    assert [r.line for r in records] == [2, 3, 4]


def test_a_message_log_with_iso_times_and_a_quoted_multi_line_body():
    mapping = CsvMapping(
        timestamp="timestamp", sender="from", recipients="to", direction="direction", text="body"
    )
    records = list(parse_csv(fixture("messages_log.csv"), mapping))
    assert records[1].text == "No. Go away,\nor I call the police"
    assert records[1].direction is Direction.OUTGOING
    assert records[0].timestamp == datetime(2021, 3, 1, 9, 0, tzinfo=UTC)
    assert records[2].local_time and records[2].timestamp == datetime(2021, 3, 1, 9, 2)
    assert [r.line for r in records] == [2, 3, 5]


def test_a_mapping_naming_a_missing_column_is_refused_with_the_columns_there_are():
    with pytest.raises(ParseError, match="no column 'When'.*Date"):
        list(parse_csv(fixture("calls_carrier.csv"), CsvMapping(timestamp="When")))


def test_a_time_that_does_not_read_with_the_chosen_format_is_refused_not_guessed():
    mapping = CsvMapping(timestamp="Date", timestamp_format="%Y-%m-%d")
    with pytest.raises(ParseError) as caught:
        list(parse_csv(fixture("calls_carrier.csv"), mapping))
    assert caught.value.line == 2
