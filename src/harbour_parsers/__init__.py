"""Evidence export parsers: pure Python, no Django. See docs/evidence-parsers.md."""

from harbour_parsers.base import DEFAULT_LIMITS, Limits, Parse
from harbour_parsers.errors import ParseError
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
from harbour_parsers.whatsapp import parse_whatsapp

__all__ = [
    "DEFAULT_LIMITS",
    "Attachment",
    "Call",
    "CallType",
    "Direction",
    "Kind",
    "Limits",
    "Parse",
    "ParseError",
    "Record",
    "Report",
    "matching_text",
    "parse_whatsapp",
]
