"""A parser may hand over its records in batches (the WhatsApp fast reader does): the caller still
sees one stream of records, iterable once, and only ParseError, whatever goes wrong."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

import pytest

from harbour_parsers import Kind, Parse, ParseError, Record, Report


def _record(n: int) -> Record:
    return Record(Kind.MESSAGE, datetime(2021, 3, 1), True, "Orin Vale", f"message {n}")  # noqa: DTZ001


def test_batches_are_read_as_one_stream_of_records():
    def batches(report: Report) -> Iterator[Iterable[Record]]:
        yield map(_record, range(3))
        report.records += 3
        yield (_record(3),)
        report.records += 1

    parse = Parse("test", batches=batches, counts_itself=True)
    assert [r.text for r in parse] == [f"message {n}" for n in range(4)]
    assert parse.report.records == 4


def test_a_parse_given_in_batches_can_be_iterated_only_once():
    parse = Parse("test", batches=lambda report: iter([(_record(1),)]), counts_itself=True)
    assert len(list(parse)) == 1
    with pytest.raises(ParseError, match="only once"):
        list(parse)


def test_an_unexpected_error_in_a_batch_or_between_batches_is_a_parse_error():
    def failing_records() -> Iterator[Record]:
        yield _record(1)
        raise ValueError("a bug")

    def in_a_batch(report: Report) -> Iterator[Iterable[Record]]:
        yield failing_records()

    def between_batches(report: Report) -> Iterator[Iterable[Record]]:
        yield (_record(1),)
        raise KeyError("a bug")

    for batches in (in_a_batch, between_batches):
        parse = Parse("test", batches=batches, counts_itself=True)
        with pytest.raises(ParseError, match="unexpected"):
            list(parse)
