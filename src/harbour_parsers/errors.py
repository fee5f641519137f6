"""The package's one error type."""

from __future__ import annotations

from harbour_parsers.records import format_position


class ParseError(ValueError):
    """The input is not (a safe instance of) the format, with the reason and where.

    Every parser raises only this, whatever bytes it is given.
    """

    def __init__(
        self,
        reason: str,
        *,
        line: int | None = None,
        offset: int | None = None,
        path: str | None = None,
    ) -> None:
        self.reason = reason
        self.line = line
        self.offset = offset
        self.path = path
        super().__init__(f"{reason} ({self.position})")

    @property
    def position(self) -> str:
        return format_position(line=self.line, offset=self.offset, path=self.path)
