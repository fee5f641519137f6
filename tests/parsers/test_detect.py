"""parse() picks the parser from a file's first bytes; an unknown format must be named."""

from __future__ import annotations

import pytest
from tests.parsers.helpers import FIXTURES, fixture, make_zip

from harbour_parsers import ParseError, detect_format, parse

EXPECTED = {
    "whatsapp_": "whatsapp",
    "sms_backup_": "sms-backup",
    "mbox_": "mbox",
    "email_": "eml",
    "telegram_": "telegram",
    "facebook_": "meta",
    "instagram_": "meta",
    "messenger_": "meta",
    "calls_": None,
    "messages_log": None,
}


@pytest.mark.parametrize("path", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_every_fixture_is_detected_as_its_format(path):
    expected = next(fmt for prefix, fmt in EXPECTED.items() if path.name.startswith(prefix))
    assert detect_format(path.read_bytes()[:65536]) == expected
    if expected is not None:
        assert list(parse(path))


def test_a_whatsapp_zip_is_detected():
    data = make_zip({"_chat.txt": fixture("whatsapp_ios_de.txt").read_bytes()})
    assert detect_format(data[:65536]) == "whatsapp"
    assert len(list(parse(data))) == 5


def test_a_csv_or_unknown_file_must_be_named():
    with pytest.raises(ParseError, match="not recognised"):
        parse(fixture("calls_carrier.csv"))
    with pytest.raises(ParseError, match="needs a column mapping"):
        parse(fixture("calls_carrier.csv"), "csv")
    with pytest.raises(ParseError, match="unknown format"):
        parse(fixture("calls_carrier.csv"), "fax")
