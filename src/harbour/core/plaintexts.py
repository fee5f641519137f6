"""The plaintext values of encrypted fields this request (or task) has touched, so an error report
can be scrubbed of them before it leaves (``harbour.operations.errors``).

Off unless error reporting is configured: then every value an encrypted field encrypts or decrypts
is remembered, per request context, up to a bound (oldest forgotten first).
"""

from __future__ import annotations

from collections import OrderedDict
from contextvars import ContextVar

#: Set by settings when a Sentry DSN is configured.
enabled = False
LIMIT = 20_000
#: Shorter values are not scrubbed (a one- or two-letter value would blank out ordinary words).
SHORTEST = 3

_seen: ContextVar[OrderedDict[str, None] | None] = ContextVar("harbour_plaintexts", default=None)


def start() -> None:
    """A new request: forget what earlier ones touched."""
    if enabled:
        _seen.set(OrderedDict())


def remember(value: str) -> None:
    if not enabled or len(value) < SHORTEST:
        return
    seen = _seen.get()
    if seen is None:
        seen = OrderedDict()
        _seen.set(seen)
    seen[value] = None
    seen.move_to_end(value)
    if len(seen) > LIMIT:
        seen.popitem(last=False)


def touched() -> list[str]:
    """Longest first, so a value containing another is replaced whole."""
    seen = _seen.get()
    return sorted(seen or (), key=len, reverse=True)
