"""Inputs, limits and the iterable every parser returns."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from types import GeneratorType
from typing import IO, Any, Protocol, Union

from harbour_parsers.errors import ParseError
from harbour_parsers.records import Record, Report

Source = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]", IO[bytes], "Input"]

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile file from exhausting memory or time."""

    # whole-document formats (one email, a Facebook message_N.json) are read whole up to this
    max_document_bytes: int = 256 * MB
    # one record (a message with its attachments, an XML element) may not exceed this
    max_record_bytes: int = 64 * MB
    # zip archives
    max_zip_members: int = 100_000
    max_zip_total_bytes: int = 16 * 1024 * MB  # declared uncompressed total
    max_zip_member_bytes: int = 2 * 1024 * MB  # the member we extract (a chat's text)
    max_zip_ratio: int = 200  # uncompressed / compressed, for members over 1 MB
    # a non-seekable stream read twice (WhatsApp decides day/month order from the whole file)
    max_buffer_bytes: int = 1024 * MB


DEFAULT_LIMITS = Limits()


class Input:
    """A binary input that can be opened more than once."""

    def __init__(self, source: Source, limits: Limits = DEFAULT_LIMITS) -> None:
        self.name = "input"
        self._bytes: bytes | None = None
        self._path: str | None = None
        self._file: IO[bytes] | None = None
        self._start = 0
        if isinstance(source, Input):
            self.__dict__.update(source.__dict__)
        elif isinstance(source, bytes | bytearray | memoryview):
            self._bytes = bytes(source)
        elif isinstance(source, str | os.PathLike):
            self._path = os.fspath(source)
            self.name = Path(self._path).name
        else:
            name = getattr(source, "name", None)
            if isinstance(name, str):
                self.name = Path(name).name
            try:
                seekable = source.seekable()
                if seekable:
                    self._start = source.tell()
            except (OSError, ValueError, AttributeError):
                seekable = False
            if seekable:
                self._file = source
            else:
                data = _read_bounded(source, limits.max_buffer_bytes)
                self._bytes = data

    def open(self) -> IO[bytes]:
        if self._bytes is not None:
            return io.BytesIO(self._bytes)
        if self._path is not None:
            try:
                return open(self._path, "rb")  # noqa: SIM115 - caller closes
            except OSError as exc:
                raise ParseError(f"cannot read the file: {exc.strerror or exc}") from exc
        assert self._file is not None
        try:
            self._file.seek(self._start)
        except (OSError, ValueError) as exc:
            raise ParseError(f"cannot read the file: {exc}") from exc
        return _NoClose(self._file)  # type: ignore[return-value]

    def head(self, size: int = 65536) -> bytes:
        with self.open() as f:
            try:
                return f.read(size)
            except (OSError, ValueError) as exc:
                raise ParseError(f"cannot read the file: {exc}") from exc


class _NoClose:
    """A caller's file object that a parser may ``with``-close without closing it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw

    def __getattr__(self, name: str) -> object:
        return getattr(self._raw, name)

    def close(self) -> None:
        pass

    def __enter__(self) -> _NoClose:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def _read_bounded(f: IO[bytes], limit: int) -> bytes:
    try:
        data = f.read(limit + 1)
    except (OSError, ValueError) as exc:
        raise ParseError(f"cannot read the input: {exc}") from exc
    if data is None or not isinstance(data, bytes | bytearray):
        raise ParseError("the input is not a binary stream")
    if len(data) > limit:
        raise ParseError(f"the input is larger than {limit // MB} MB", offset=limit)
    return bytes(data)


def read_document(inp: Input, limits: Limits) -> bytes:
    with inp.open() as f:
        return _read_bounded(f, limits.max_document_bytes)


class Parse:
    """What a parser returns: iterate it for records (once); ``report`` fills in as you go.

    Any exception other than :class:`ParseError` escaping a parser is a bug; it is turned into a
    ``ParseError`` whose reason starts with "unexpected" so callers still only see one type.

    A parser may instead give ``batches``: an iterator of iterables of records (the WhatsApp
    reader's fast path hands over a whole block of the file at a time). Iterating the parse then
    chains the batches in C, with no Python frame per record. A batch that is a generator is
    guarded record by record, as above; any other batch (a ``map`` over prepared columns, a
    tuple) must not raise, because its records are taken outside the guard. Such a parser keeps
    ``report.records`` itself.
    """

    def __init__(
        self,
        fmt: str,
        run: Callable[[Report], Iterator[Record]] | None = None,
        *,
        counts_itself: bool = False,
        batches: Callable[[Report], Iterator[Iterable[Record]]] | None = None,
    ) -> None:
        assert (run is None) != (batches is None)
        self.report = Report(format=fmt)
        self._run = run
        self._batches = batches
        self._used = False
        self._counts_itself = counts_itself  # the parser keeps report.records itself (fast path)

    def __iter__(self) -> Iterator[Record]:
        if self._used:
            raise ParseError("a parse can be iterated only once; call the parser again")
        self._used = True
        if self._batches is not None:
            return chain.from_iterable(self._guarded_batches(self._batches))
        return self._records()

    def _records(self) -> Iterator[Record]:
        assert self._run is not None
        report = self.report
        try:
            if self._counts_itself:
                yield from self._run(report)
            else:
                for record in self._run(report):
                    report.records += 1
                    yield record
        except (ParseError, MemoryError, KeyboardInterrupt, GeneratorExit):
            raise
        except Exception as exc:  # the contract: one error type, whatever the bytes
            raise _unexpected(exc) from exc

    def _guarded_batches(
        self, batches: Callable[[Report], Iterator[Iterable[Record]]]
    ) -> Iterator[Iterable[Record]]:
        try:
            for batch in batches(self.report):
                yield _guarded(batch) if isinstance(batch, GeneratorType) else batch
        except (ParseError, MemoryError, KeyboardInterrupt, GeneratorExit):
            raise
        except Exception as exc:
            raise _unexpected(exc) from exc

    def records(self) -> list[Record]:
        return list(self)


def _unexpected(exc: Exception) -> ParseError:
    return ParseError(f"unexpected {type(exc).__name__}: {exc}")


def _guarded(records: Iterator[Record]) -> Iterator[Record]:
    try:
        yield from records
    except (ParseError, MemoryError, KeyboardInterrupt, GeneratorExit):
        raise
    except Exception as exc:
        raise _unexpected(exc) from exc


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class ReadableFile(Readable, Protocol):
    def __enter__(self) -> Any: ...

    def __exit__(self, *exc: Any) -> Any: ...


class CountingReader(io.RawIOBase):
    """Wraps a stream: counts bytes, and refuses a record growing past the limit.

    The parser calls ``record_done()`` after each record; if more than ``max_record`` bytes are
    read without one, the input is refused (one giant element or string cannot eat memory).
    """

    def __init__(self, raw: Readable, max_record: int, what: str = "record") -> None:
        self._raw = raw
        self.total = 0
        self._mark = 0
        self._max = max_record
        self._what = what

    def readable(self) -> bool:
        return True

    def record_done(self) -> None:
        self._mark = self.total

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = 1 << 20
        data = self._raw.read(size)
        self.total += len(data)
        if self.total - self._mark > self._max:
            raise ParseError(
                f"one {self._what} is larger than {self._max // MB} MB", offset=self._mark
            )
        return data

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)
