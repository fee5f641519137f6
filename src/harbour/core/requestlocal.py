"""The current request's address, for audit rows written deep inside domain code."""

from __future__ import annotations

from contextvars import ContextVar

_ip: ContextVar[str | None] = ContextVar("harbour_request_ip", default=None)


def set_current_ip(value: str | None) -> object:
    return _ip.set(value)


def reset_current_ip(token: object) -> None:
    _ip.reset(token)  # type: ignore[arg-type]


def current_ip() -> str | None:
    return _ip.get()
