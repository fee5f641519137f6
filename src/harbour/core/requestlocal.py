"""The current request's address, for audit rows written deep inside domain code."""

from __future__ import annotations

from contextvars import ContextVar, Token

_ip: ContextVar[str | None] = ContextVar("harbour_request_ip", default=None)


def set_current_ip(value: str | None) -> Token[str | None]:
    return _ip.set(value)


def reset_current_ip(token: Token[str | None]) -> None:
    _ip.reset(token)


def current_ip() -> str | None:
    return _ip.get()
