"""Evidence files at rest: chunked AES-GCM that detects any change, truncation or misplacement."""

from __future__ import annotations

import io
import os

import pytest

from harbour.evidence import sealedfile
from harbour.evidence.sealedfile import SealedFileError

KEY = bytes(range(32))


def seal(data: bytes, context: str = "evidence.original:1") -> bytes:
    out = io.BytesIO()
    sealedfile.seal_stream(io.BytesIO(data), out, key=KEY, version=1, context=context)
    return out.getvalue()


def unseal(blob: bytes, context: str = "evidence.original:1") -> bytes:
    return b"".join(sealedfile.open_stream(io.BytesIO(blob), keys={1: KEY}, context=context))


@pytest.mark.parametrize(
    "size", [0, 1, sealedfile.CHUNK - 1, sealedfile.CHUNK, sealedfile.CHUNK * 2 + 5]
)
def test_files_of_any_size_come_back_byte_for_byte(size):
    data = os.urandom(size)
    blob = seal(data)
    assert data[:64] not in blob or size < 16
    assert unseal(blob) == data


def test_a_flipped_byte_fails_authentication():
    blob = bytearray(seal(b"x" * 1000))
    blob[-20] ^= 1
    with pytest.raises(SealedFileError, match="authentication"):
        unseal(bytes(blob))


def test_a_file_cut_at_a_chunk_boundary_is_truncated():
    blob = seal(os.urandom(sealedfile.CHUNK * 2 + 10))
    first_chunk_end = 13 + 4 + sealedfile.CHUNK + 16
    with pytest.raises(SealedFileError):
        unseal(blob[:first_chunk_end])


def test_a_file_sealed_for_another_item_does_not_open():
    with pytest.raises(SealedFileError):
        unseal(seal(b"hello"), context="evidence.original:2")


def test_a_missing_key_version_is_named():
    blob = seal(b"hello")
    with pytest.raises(SealedFileError, match="data key 1"):
        b"".join(sealedfile.open_stream(io.BytesIO(blob), keys={2: KEY}, context="x"))
