"""Normalise identifiers before they are hashed into blind indexes.

A blind index is a keyed hash of a value, used for exact-match lookups
(duplicate referrals, a perpetrator's phone number seen in two cases) without
storing plaintext. Two spellings of the same thing must hash alike, so every
value is normalised first by the functions here. They are pure and
deterministic: changing one changes every stored index, so a change needs a
re-index (and a note in the changelog).

Each function returns ``None`` (or ``""`` for names and emails) when nothing
usable is left, and callers must not index such values.

Names (:func:`normalise_name`)
    Unicode NFKD, case folded (so "ß" matches "ss"), accents and other
    combining marks removed ("Zoë" -> "zoe"), a few letters that do not
    decompose transliterated ("Ø" -> "o", "Æ" -> "ae", "Ł" -> "l").
    Apostrophes of every kind are deleted, joining the parts ("O'Brien",
    "O’Brien" and "OBrien" all give "obrien"). Hyphens and dashes, like all
    other punctuation and symbols, become spaces ("Smith-Jones" and
    "Smith Jones" both give "smith jones"). Whitespace is collapsed to single
    spaces and trimmed. Letters and digits of every script are kept.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

__all__ = [
    "normalise_email",
    "normalise_name",
    "normalise_phone",
    "normalise_postcode",
    "normalise_vehicle_reg",
    "postcode_district",
]

_MAX_INPUT = 512  # longer input is not an identifier; refuse to normalise it


def normalise_phone(raw: str | None, region: str = "GB") -> str | None:
    """E.164 form (``+447700900123``) of a valid phone number, else ``None``.

    National numbers are read in ``region`` (default GB), so ``07700 900123``
    and ``+44 7700 900123`` agree. Numbers that ``phonenumbers`` does not
    consider valid for their country give ``None``.
    """
    if not raw or len(raw) > _MAX_INPUT:
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def possible_phone(raw: str | None, region: str = "GB") -> str | None:
    """E.164 form of any number a person may have seen, UK or international: the right length for
    its country, whether or not a numbering plan says it is allocated (a suspect's burner, a number
    from a range the plan does not list yet). For matching suspects, not for contacting anyone."""
    if not raw or len(raw) > _MAX_INPUT:
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


#: "Withheld", "private number", "no caller ID", "unknown number": a call the victim could not trace.
WITHHELD = re.compile(
    r"^\s*(withheld|private|hidden|blocked|unknown|no caller id|number withheld|caller id withheld)"
    r"(\s+(number|caller|id|caller id))*\s*$",
    re.IGNORECASE,
)


def normalise_email(raw: str | None) -> str:
    """An email address trimmed and lower-cased (``""`` for nothing).

    Local parts are lower-cased too: in practice every mail provider treats
    them case-insensitively, and a missed match costs more than a false one
    that a person then checks. Dots and ``+tags`` are kept.
    """
    if not raw:
        return ""
    return raw.strip().lower()


_APOSTROPHES = dict.fromkeys(map(ord, "'’‘ʼʻ`´′"), None)
_TRANSLITERATE = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
    }
)


def normalise_name(raw: str | None) -> str:
    """A person's name in comparable form (see the module docstring)."""
    if not raw:
        return ""
    text = unicodedata.normalize("NFKD", raw.translate(_APOSTROPHES)).casefold()
    text = unicodedata.normalize("NFKD", text).translate(_APOSTROPHES)
    text = text.translate(_TRANSLITERATE)
    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category.startswith("M"):
            continue  # combining accent
        kept.append(char if category[0] in "LN" else " ")
    return " ".join("".join(kept).split())


# UK postcodes (BS 7666 shapes, with the letters each position allows).
# Outward code: A9, A99, AA9, AA99, A9A, AA9A. Inward code: 9AA.
_OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9][0-9]?"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE_RE = re.compile(rf"(?P<outward>{_OUTWARD}|GIR)(?P<inward>{_INWARD})")
_OUTWARD_RE = re.compile(_OUTWARD)
_SPACES_RE = re.compile(r"\s+")


def _compact_upper(raw: str) -> str:
    return _SPACES_RE.sub("", unicodedata.normalize("NFKC", raw)).upper()


def normalise_postcode(raw: str | None) -> str | None:
    """A UK postcode as ``"DE1 3AB"`` (upper case, one space), else ``None``.

    Spacing and case are ignored on input (``"de13ab"`` is fine). The shape
    and the letters allowed in each position are checked; whether the
    postcode exists is not. GIR 0AA is accepted; overseas territory codes
    (ASCN 1ZZ and the like) are not.
    """
    if not raw or len(raw) > 32:
        return None
    match = _POSTCODE_RE.fullmatch(_compact_upper(raw))
    if match is None or (match["outward"] == "GIR" and match["inward"] != "0AA"):
        return None
    return f"{match['outward']} {match['inward']}"


def postcode_district(raw: str | None) -> str | None:
    """The outward code of a full postcode, or of an outward code given alone.

    ``"DE1 3AB"`` -> ``"DE1"``, ``"me14 1xx"`` -> ``"ME14"``, ``"TN1"`` ->
    ``"TN1"``, ``"SW1A 1AA"`` -> ``"SW1A"``. ``None`` when neither shape fits.
    Districts are coarse enough for area reports and safety-planning hints.
    """
    full = normalise_postcode(raw)
    if full is not None:
        return full.split(" ", 1)[0]
    if not raw or len(raw) > 32:
        return None
    compact = _compact_upper(raw)
    return compact if _OUTWARD_RE.fullmatch(compact) else None


_NOT_PLATE_CHAR = re.compile(r"[^A-Z0-9]")


def normalise_vehicle_reg(raw: str | None) -> str | None:
    """A vehicle registration mark with only ``A-Z`` and ``0-9``, else ``None``.

    Case, spaces, hyphens and accents are dropped (``"ab12 cde"`` ->
    ``"AB12CDE"``). The format is not checked, because cherished, Northern
    Irish, older and foreign plates all occur; marks longer than 10
    characters are refused. Look-alike characters (O/0, I/1) are *not*
    folded together: a witness's misreading is a question for a person.
    """
    if not raw or len(raw) > 32:
        return None
    decomposed = unicodedata.normalize("NFKD", raw).upper()
    plate = _NOT_PLATE_CHAR.sub("", decomposed)
    if not plate or len(plate) > 10:
        return None
    return plate
