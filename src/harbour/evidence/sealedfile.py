"""Files encrypted at rest in chunks (AES-256-GCM), so any size streams in constant memory. No Django.

Layout: ``HBF1`` | key version (2 bytes) | file nonce prefix (7 bytes) | chunks. Each chunk is
``length (4 bytes) | ciphertext+tag`` of up to ``CHUNK`` plaintext bytes, sealed with nonce
``prefix || counter (4 bytes) || last (1 byte)`` and associated data naming the file (its context),
so chunks cannot be reordered, dropped, moved between files, or the file cut short without
decryption failing (the last chunk is marked; a file that ends without it is truncated).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"HBF1"
CHUNK = 256 * 1024
_HEADER = struct.Struct(">4sH7s")
_LEN = struct.Struct(">I")


class SealedFileError(RuntimeError):
    """The stored file is not Harbour's, was altered or cut short, or its key is missing."""


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


def seal_stream(
    source: IO[bytes], target: IO[bytes], *, key: bytes, version: int, context: str
) -> None:
    """Encrypt ``source`` into ``target`` chunk by chunk (reads ahead one chunk to mark the last)."""
    aead = AESGCM(key)
    prefix = os.urandom(7)
    target.write(_HEADER.pack(MAGIC, version, prefix))
    aad = context.encode()
    counter = 0
    current = source.read(CHUNK)
    while True:
        following = source.read(CHUNK) if current else b""
        last = not following
        sealed = aead.encrypt(_nonce(prefix, counter, last), current, aad)
        target.write(_LEN.pack(len(sealed)))
        target.write(sealed)
        if last:
            return
        counter += 1
        current = following


def key_version(source: IO[bytes]) -> int:
    header = source.read(_HEADER.size)
    if len(header) != _HEADER.size:
        raise SealedFileError("not a Harbour sealed file (too short)")
    magic, version, _prefix = _HEADER.unpack(header)
    if magic != MAGIC:
        raise SealedFileError("not a Harbour sealed file")
    return int(version)


def open_stream(source: IO[bytes], *, keys: dict[int, bytes], context: str) -> Iterator[bytes]:
    """Yield the plaintext chunk by chunk; raises ``SealedFileError`` on any alteration."""
    header = source.read(_HEADER.size)
    if len(header) != _HEADER.size:
        raise SealedFileError(f"{context}: not a Harbour sealed file (too short)")
    magic, version, prefix = _HEADER.unpack(header)
    if magic != MAGIC:
        raise SealedFileError(f"{context}: not a Harbour sealed file")
    key = keys.get(version)
    if key is None:
        raise SealedFileError(f"{context}: data key {version} is not in the keyring")
    aead = AESGCM(key)
    aad = context.encode()
    counter = 0
    while True:
        raw_len = source.read(_LEN.size)
        if len(raw_len) != _LEN.size:
            raise SealedFileError(f"{context}: file is truncated")
        (length,) = _LEN.unpack(raw_len)
        if length > CHUNK + 16:
            raise SealedFileError(f"{context}: chunk length is corrupt")
        sealed = source.read(length)
        if len(sealed) != length:
            raise SealedFileError(f"{context}: file is truncated")
        for last in (False, True):
            try:
                plain = aead.decrypt(_nonce(prefix, counter, last), sealed, aad)
            except InvalidTag:
                continue
            break
        else:
            raise SealedFileError(f"{context}: chunk {counter} failed authentication")
        yield plain
        if last:
            if source.read(1):
                raise SealedFileError(f"{context}: data after the last chunk")
            return
        counter += 1
