"""Evidence export parsers: pure Python, no Django. See docs/evidence-parsers.md.

Every parser takes bytes, a path or a binary file, and returns a :class:`Parse`: iterate it for
:class:`Record` objects, one per message or call, streaming; its ``report`` says what was decided
and what a person should check. Whatever the input, the only exception is :class:`ParseError`.
"""

from harbour_parsers.base import DEFAULT_LIMITS, Limits, Parse
from harbour_parsers.csvlog import CsvMapping, parse_csv
from harbour_parsers.detect import FORMATS, detect_format, parse
from harbour_parsers.errors import ParseError
from harbour_parsers.mail import parse_eml, parse_mbox
from harbour_parsers.meta import parse_meta
from harbour_parsers.records import (
    Attachment,
    Call,
    CallType,
    Direction,
    Kind,
    Record,
    Report,
    matching_text,
)
from harbour_parsers.sms import parse_sms_backup
from harbour_parsers.telegram import parse_telegram
from harbour_parsers.whatsapp import parse_whatsapp

__all__ = [
    "DEFAULT_LIMITS",
    "FORMATS",
    "Attachment",
    "Call",
    "CallType",
    "CsvMapping",
    "Direction",
    "Kind",
    "Limits",
    "Parse",
    "ParseError",
    "Record",
    "Report",
    "detect_format",
    "matching_text",
    "parse",
    "parse_csv",
    "parse_eml",
    "parse_mbox",
    "parse_meta",
    "parse_sms_backup",
    "parse_telegram",
    "parse_whatsapp",
]
