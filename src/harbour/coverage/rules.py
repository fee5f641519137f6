"""Coverage rules as plain data: which postcode prefix a rule names, and which rule wins.

A rule names a postcode area (``DE``), a district (``DE73``), a sector (``DE73 5``) or a full
postcode (``DE73 5AB``). For a postcode, the rule with the longest matching prefix wins: a sector
rule beats its district's rule, which beats its area's rule. No Django imports (fast, fuzzable).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from harbour.core.identifiers import normalise_postcode, postcode_district

T = TypeVar("T")

_AREA_RE = re.compile(r"[A-Z]{1,2}")
_SECTOR_RE = re.compile(r"(?P<district>[A-Z0-9]{2,4}) ?(?P<digit>[0-9])")


class Level(StrEnum):
    AREA = "area"
    DISTRICT = "district"
    SECTOR = "sector"
    POSTCODE = "postcode"

    @property
    def label(self) -> str:
        return {
            "area": "Postcode area",
            "district": "Postcode district",
            "sector": "Postcode sector",
            "postcode": "Full postcode",
        }[self.value]


class BadPrefix(ValueError):
    """Text that is not a postcode area, district, sector or full postcode."""


def parse_prefix(raw: str) -> tuple[str, Level]:
    """``" de73 5 "`` -> ``("DE73 5", Level.SECTOR)``; raises BadPrefix with words for a person."""
    text = " ".join((raw or "").upper().split())
    if not text:
        raise BadPrefix("Enter a postcode area, district, sector or full postcode")
    full = normalise_postcode(text)
    if full is not None:
        return full, Level.POSTCODE
    if _AREA_RE.fullmatch(text):
        return text, Level.AREA
    if " " not in text and postcode_district(text) == text:
        return text, Level.DISTRICT
    sector = _SECTOR_RE.fullmatch(text)
    if sector and postcode_district(sector["district"]) == sector["district"]:
        return f"{sector['district']} {sector['digit']}", Level.SECTOR
    raise BadPrefix(
        "Enter a postcode area (DE), district (DE73), sector (DE73 5) or full postcode (DE73 5AB)"
    )


def prefixes_of(postcode: str | None) -> list[str]:
    """Every rule prefix that covers ``postcode``, longest first.

    ``"DE73 5AB"`` -> ``["DE73 5AB", "DE73 5", "DE73", "DE"]``. An outward code alone gives its
    district and area; anything else gives nothing.
    """
    full = normalise_postcode(postcode)
    out: list[str] = []
    if full is not None:
        outward, inward = full.split(" ")
        out = [full, f"{outward} {inward[0]}"]
        district = outward
    else:
        found = postcode_district(postcode)
        if found is None:
            return []
        district = found
    area = re.match(r"[A-Z]+", district)
    out.append(district)
    if area and area.group() != district:
        out.append(area.group())
    return out


def longest_match(postcode: str | None, rules: Mapping[str, T]) -> tuple[str, T] | None:
    """The rule with the longest prefix covering ``postcode`` as ``(prefix, value)``, or None."""
    for prefix in prefixes_of(postcode):
        if prefix in rules:
            return prefix, rules[prefix]
    return None
