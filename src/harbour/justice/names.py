"""Comparing suspects' names without decrypting them in bulk: plain Python, no Django.

Exact identifiers (phone, email, handle, vehicle) already have blind indexes on
``cases.SuspectIdentifier``. Names are weaker evidence: spellings vary ("Jon Smyth", "John Smith").
Each name is reduced to *keys* that are hashed into blind indexes (``justice.SuspectNameKey``):

- ``full``: the whole normalised name (``harbour.core.identifiers.normalise_name``);
- ``sound``: a Soundex code of each part of the name longer than one letter.

Suspects that share enough keys are *candidates*; only the few candidates' names are then decrypted
and scored with rapidfuzz (token sort ratio), and a score at or above ``NAME_MATCH_SCORE`` is shown
as a possible name match, always marked as weaker than a shared identifier.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from harbour.core.identifiers import normalise_name

NAME_MATCH_SCORE = 85.0

_CODES = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def soundex(word: str) -> str:
    """American Soundex of a normalised word (letters a-z; others ignored): ``smith`` -> ``S530``."""
    letters = [c for c in word if "a" <= c <= "z"]
    if not letters:
        return ""
    first = letters[0]
    out = [first.upper()]
    last = _CODES.get(first, "")
    for c in letters[1:]:
        code = _CODES.get(c, "")
        if code and code != last:
            out.append(code)
        if c not in "hw":  # h and w do not separate equal codes; vowels do
            last = code
        if len(out) == 4:
            break
    return "".join(out).ljust(4, "0")


def name_lines(names: str) -> list[str]:
    """The names a suspect is known by (one per line), normalised, blanks dropped."""
    return [n for n in (normalise_name(line) for line in (names or "").splitlines()) if n]


def name_keys(names: str) -> set[tuple[str, str]]:
    """(kind, value) keys for the blind indexes of a suspect's names and aliases."""
    keys: set[tuple[str, str]] = set()
    for name in name_lines(names):
        keys.add(("full", name))
        for part in name.split():
            if len(part) > 1 and part.isalpha():
                code = soundex(part)
                if code:
                    keys.add(("sound", code))
    return keys


def sound_parts(names: str) -> int:
    """How many distinct Soundex keys a suspect's names give (candidates must share ``min(2, n)``)."""
    return len({v for k, v in name_keys(names) if k == "sound"})


def best_name_score(ours: str, theirs: str) -> float:
    """The highest token-sort similarity (0 to 100) between any of our names and any of theirs."""
    best = 0.0
    for a in name_lines(ours):
        for b in name_lines(theirs):
            best = max(best, float(fuzz.token_sort_ratio(a, b)))
    return best
