"""Zip archives opened safely: bombs, escaping paths and symlinks refused before anything is read."""

from __future__ import annotations

import stat
import zipfile
from typing import IO

from harbour_parsers.base import MB, Limits
from harbour_parsers.errors import ParseError


def _unreadable(exc: BaseException, path: str | None = None) -> ParseError:
    return ParseError(f"unreadable zip archive: {type(exc).__name__}: {exc}", path=path)


def _unsafe_name(name: str) -> str | None:
    if not name:
        return "a member has no name"
    if "\x00" in name:
        return "a member name holds a NUL byte"
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return "a member has an absolute path"
    if any(part == ".." for part in norm.split("/")):
        return "a member's path escapes the archive (..)"
    return None


class SafeZip:
    """A zip whose member list has been checked; members are read through a bounded stream."""

    def __init__(self, f: IO[bytes], limits: Limits) -> None:
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(f)
            infos = self._zip.infolist()
        except Exception as exc:  # zipfile raises many types for corrupt input
            raise _unreadable(exc) from exc
        if len(infos) > limits.max_zip_members:
            raise ParseError(f"the archive has more than {limits.max_zip_members} members")
        total = 0
        for info in infos:
            problem = _unsafe_name(info.filename)
            if problem:
                raise ParseError(f"refused: {problem}", path=info.filename)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise ParseError("refused: the archive holds a symbolic link", path=info.filename)
            total += info.file_size
            if total > limits.max_zip_total_bytes:
                raise ParseError(
                    f"refused: the archive declares more than {limits.max_zip_total_bytes // MB} MB"
                )
        self.infos = [i for i in infos if not i.is_dir()]

    def names(self) -> list[str]:
        return [i.filename for i in self.infos]

    def open(self, info: zipfile.ZipInfo) -> _BoundedMember:
        limits = self.limits
        if info.flag_bits & 0x1:
            raise ParseError("the archive member is encrypted", path=info.filename)
        if info.file_size > limits.max_zip_member_bytes:
            raise ParseError(
                f"refused: the member declares more than {limits.max_zip_member_bytes // MB} MB",
                path=info.filename,
            )
        if info.file_size > MB and info.file_size > limits.max_zip_ratio * max(
            info.compress_size, 1
        ):
            raise ParseError(
                f"refused: compression ratio above {limits.max_zip_ratio} (a zip bomb?)",
                path=info.filename,
            )
        try:
            member = self._zip.open(info)
        except Exception as exc:
            raise _unreadable(exc, info.filename) from exc
        return _BoundedMember(member, info, limits)

    def close(self) -> None:
        self._zip.close()


class _BoundedMember:
    """Reads a member, checking actual bytes against its declared size and the ratio limit."""

    def __init__(self, member: IO[bytes], info: zipfile.ZipInfo, limits: Limits) -> None:
        self._member = member
        self._info = info
        self._limit = min(info.file_size, limits.max_zip_member_bytes)
        self._ratio_cap = max(info.compress_size, 1) * limits.max_zip_ratio
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._member.read(size)
        except Exception as exc:
            raise _unreadable(exc, self._info.filename) from exc
        self.read_bytes += len(data)
        if self.read_bytes > self._limit:
            raise ParseError(
                "refused: the member inflates past its declared size", path=self._info.filename
            )
        if self.read_bytes > MB and self.read_bytes > self._ratio_cap:
            raise ParseError(
                "refused: compression ratio above the limit while reading (a zip bomb?)",
                path=self._info.filename,
            )
        return data

    def close(self) -> None:
        self._member.close()

    def __enter__(self) -> _BoundedMember:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_zip(head: bytes) -> bool:
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")
