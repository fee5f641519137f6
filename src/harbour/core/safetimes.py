"""Safe times: when it is safe to contact a client, as days and time windows.

Pure functions, no Django. People write safe times many ways; Harbour reads the common ones and
stores the canonical form, so every contact screen can say "weekdays 10:00-14:00" and logging an
outbound contact outside the windows can ask for a reason.

Accepted, one or more separated by ";" or new lines (case does not matter):

- days: ``weekdays``, ``weekends``, ``every day``/``any day``, a day (``Mon``, ``monday``), a range
  (``Mon-Thu``) or a list (``Mon, Wed, Fri``); no days means every day;
- times: ``10:00-14:00``, ``10am to 2pm``, ``9.30-12``, ``after 6pm`` (to midnight), ``before 3pm``
  (from midnight), or ``any time``.

``parse`` raises ``SafeTimesError`` naming the part it could not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_WORDS = {
    **{d: i for i, d in enumerate(DAYS)},
    **{name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday"))},
    "saturday": 5,
    "sunday": 6,
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
_GROUPS = {
    "weekdays": frozenset(range(5)),
    "weekday": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
    "weekend": frozenset({5, 6}),
    "every day": frozenset(range(7)),
    "any day": frozenset(range(7)),
    "daily": frozenset(range(7)),
}
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?"
_RANGE = re.compile(rf"^{_TIME}\s*(?:-|–|to|until)\s*{_TIME}$")
_AFTER = re.compile(rf"^(?:after|from)\s+{_TIME}$")
_BEFORE = re.compile(rf"^(?:before|until)\s+{_TIME}$")
END_OF_DAY = time(23, 59)


class SafeTimesError(ValueError):
    """Safe times Harbour cannot read; the message names the part."""


@dataclass(frozen=True, slots=True)
class Window:
    days: frozenset[int]
    start: time
    end: time

    def allows(self, moment: datetime) -> bool:
        clock = moment.time().replace(second=0, microsecond=0)
        return moment.weekday() in self.days and self.start <= clock <= self.end

    def describe(self) -> str:
        return f"{describe_days(self.days)} {self.start:%H:%M}-{self.end:%H:%M}"


def describe_days(days: frozenset[int]) -> str:
    for words, group in (("every day", range(7)), ("weekdays", range(5)), ("weekends", (5, 6))):
        if days == frozenset(group):
            return words
    ordered = sorted(days)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{DAY_NAMES[ordered[0]]}-{DAY_NAMES[ordered[-1]]}"
    return ", ".join(DAY_NAMES[d] for d in ordered)


def _clock(hour: str, minute: str | None, half: str | None, part: str) -> time:
    h, m = int(hour), int(minute or 0)
    if half:
        if not 1 <= h <= 12:
            raise SafeTimesError(f'"{part}": {h}{half} is not a time')
        h = h % 12 + (12 if half == "pm" else 0)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise SafeTimesError(f'"{part}": {hour}:{minute or "00"} is not a time')
    return time(h, m)


def _times(text: str, part: str) -> tuple[time, time]:
    text = text.strip()
    if text in ("", "any time", "anytime", "all day"):
        return time(0, 0), END_OF_DAY
    if match := _RANGE.match(text):
        start = _clock(match[1], match[2], match[3] or match[6], part)
        end = _clock(match[4], match[5], match[6], part)
        if end <= start:
            raise SafeTimesError(f'"{part}": the window must end after it starts')
        return start, end
    if match := _AFTER.match(text):
        return _clock(match[1], match[2], match[3], part), END_OF_DAY
    if match := _BEFORE.match(text):
        return time(0, 0), _clock(match[1], match[2], match[3], part)
    raise SafeTimesError(
        f'"{part}": write the times as 10:00-14:00, 10am to 2pm, after 6pm or before 3pm'
    )


def _days(text: str, part: str) -> frozenset[int]:
    text = text.strip().rstrip(",")
    if not text:
        return frozenset(range(7))
    if text in _GROUPS:
        return _GROUPS[text]
    days: set[int] = set()
    for piece in re.split(r"\s*(?:,|\band\b|&)\s*", text):
        if not piece:
            continue
        bounds = re.split(r"\s*(?:-|–|to)\s*", piece)
        try:
            numbers = [_DAY_WORDS[b] for b in bounds]
        except KeyError:
            raise SafeTimesError(
                f'"{part}": "{piece}" is not a day (write Mon, Tue... or weekdays)'
            ) from None
        if len(numbers) == 1:
            days.add(numbers[0])
        elif len(numbers) == 2 and numbers[0] <= numbers[1]:
            days.update(range(numbers[0], numbers[1] + 1))
        else:
            raise SafeTimesError(f'"{part}": "{piece}" is not a range of days')
    return frozenset(days)


_DAY_PART = re.compile(
    r"^(?P<days>(?:(?:weekdays?|weekends?|every day|any day|daily|[a-z]+day|mon|tue|tues|wed|weds"
    r"|thu|thur|thurs|fri|sat|sun)(?:\s*(?:,|-|–|to|and|&)\s*)?)*)\s*(?P<times>.*)$"
)


def parse(text: str) -> tuple[Window, ...]:
    """The windows ``text`` describes; () for blank text (no restriction recorded)."""
    windows = []
    for raw in re.split(r"[;\n]+", text or ""):
        part = raw.strip().strip(".")
        if not part:
            continue
        lowered = re.sub(r"\s+", " ", part.lower())
        lowered = re.sub(r"^(?:only\s+)?on\s+", "", lowered)
        match = _DAY_PART.match(lowered)
        days_text, times_text = (match["days"], match["times"]) if match else ("", lowered)
        days_text = re.sub(r"\s*(?:-|–|to)\s*$", "", days_text)
        windows.append(Window(_days(days_text, part), *_times(times_text, part)))
    return tuple(windows)


def canonical(text: str) -> str:
    """The stored form: one window per line, e.g. "weekdays 10:00-14:00"."""
    return "\n".join(window.describe() for window in parse(text))


def allows(windows: tuple[Window, ...], moment: datetime) -> bool:
    """True when no windows are recorded (no restriction) or ``moment`` falls in one of them."""
    return not windows or any(window.allows(moment) for window in windows)
