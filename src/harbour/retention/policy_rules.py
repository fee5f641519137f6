"""Retention rules as data: a TOML file (Harbour's own, or the service's) read into plain rules."""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DEFAULT_RULES = Path(__file__).with_name("rules.toml")

#: Each record type a rule can name, and the moment its clock starts from.
RECORD_TYPES = {
    "closed_case": "the case's closure",
    "unaccepted_referral": "the referral's outcome (declined, signposted, unable to contact, "
    "merged) when it never became a case",
    "unconverted_chat": "the end of a live chat that did not become a referral",
}
_UNITS = {"day": 1, "days": 1, "month": 30, "months": 30, "year": 365, "years": 365}


class RuleError(ValueError):
    """The rules file is wrong; the message names the rule and what to fix."""


@dataclass(frozen=True)
class Rule:
    record: str
    keep: datetime.timedelta
    keep_text: str
    why: str

    @property
    def starts_from(self) -> str:
        return RECORD_TYPES[self.record]


def parse_keep(text: str) -> datetime.timedelta:
    match = re.fullmatch(r"\s*(\d+)\s+([a-z]+)\s*", text)
    if not match or match.group(2) not in _UNITS:
        raise RuleError(f"keep = {text!r}: write it as 'N days', 'N months' or 'N years'")
    return datetime.timedelta(days=int(match.group(1)) * _UNITS[match.group(2)])


def load_rules(path: Path | None = None) -> list[Rule]:
    if path is None:
        configured = getattr(settings, "HARBOUR_RETENTION_RULES", "")
        path = Path(configured) if configured else DEFAULT_RULES
    try:
        raw = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"{path}: {exc}") from None
    rules: list[Rule] = []
    for number, item in enumerate(raw.get("rule", []), start=1):
        record = item.get("record")
        if record not in RECORD_TYPES:
            raise RuleError(
                f"{path}: rule {number} names record {record!r}; choose from "
                + ", ".join(RECORD_TYPES)
            )
        if any(r.record == record for r in rules):
            raise RuleError(f"{path}: rule {number}: {record} has two rules")
        keep = parse_keep(str(item.get("keep", "")))
        if keep < datetime.timedelta(days=1):
            raise RuleError(f"{path}: rule {number}: keep at least a day")
        rules.append(Rule(record, keep, str(item["keep"]), str(item.get("why", ""))))
    return rules
