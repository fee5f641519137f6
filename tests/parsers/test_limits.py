"""One oversized record is refused, in every streaming parser, rather than held in memory."""

from __future__ import annotations

import pytest

from harbour_parsers import Limits, ParseError, parse_mbox, parse_meta, parse_telegram
from harbour_parsers import whatsapp as wa

TINY = Limits(max_record_bytes=2000, max_document_bytes=2000)


def test_a_whatsapp_message_larger_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(wa, "CHUNK", 256)
    text = b"31/12/2020, 23:59 - A: start\n" + b"more words on a line\n" * 400
    with pytest.raises(ParseError, match="larger than the limit"):
        list(wa.parse_whatsapp(text, limits=TINY))


def test_a_telegram_message_larger_than_the_limit_is_refused():
    data = b'{"name": "x", "messages": [{"id": 1, "text": "' + b"a" * 100_000 + b'"}]}'
    with pytest.raises(ParseError, match="larger than"):
        list(parse_telegram(data, limits=TINY))


def test_an_email_larger_than_the_limit_is_refused():
    data = b"From - Mon Mar 01 09:00:00 2021\nFrom: a@example.org\n\n" + b"line\n" * 1000
    with pytest.raises(ParseError, match="larger than the limit"):
        list(parse_mbox(data, limits=TINY))


def test_a_facebook_file_larger_than_the_limit_is_refused():
    data = b'{"participants": [], "messages": [' + b'{"content": "x"},' * 500 + b"{}]}"
    with pytest.raises(ParseError, match="larger than"):
        list(parse_meta(data, limits=TINY))
