"""Encryption at rest for identifying fields, and keyed hashes for exact-match lookups.

Values are sealed with AES-256-GCM under a versioned data key. The stored form is
``hb1:<key version>:<hex(nonce || ciphertext+tag)>``. Hex, not base64, so that searching the raw
database for a person's name cannot find it by chance inside a ciphertext (base64 spells short
words such as "Katy" now and then; hex holds only 0-9 and a-f). The associated data binds each value
to its table and column, so a ciphertext copied into another column does not decrypt. Blind indexes are
HMAC-SHA256 under a separate index key, so a lookup never needs plaintext in the database.

Keys live outside the database: a JSON key file (generated on first run for the embedded default) or
the HARBOUR_KEYS environment variable. A wrong or missing key raises; ciphertext is never returned as
if it were text.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "hb1"
KEY_CHECK_PLAINTEXT = "harbour key check"
KEY_CHECK_CONTEXT = "core.keycheck"


class KeyringError(RuntimeError):
    """The keyring is missing, malformed, or lacks the key a value needs."""


class DecryptionError(RuntimeError):
    """A stored value could not be authenticated with the available keys."""


def _b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Keyring:
    data_keys: dict[int, bytes]
    active: int
    index_key: bytes

    def __post_init__(self) -> None:
        if self.active not in self.data_keys:
            raise KeyringError(f"active data key {self.active} is not in the keyring")
        for version, key in self.data_keys.items():
            if len(key) != 32:
                raise KeyringError(f"data key {version} must be 32 bytes")
        if len(self.index_key) < 32:
            raise KeyringError("index key must be at least 32 bytes")

    @classmethod
    def generate(cls) -> Keyring:
        return cls(data_keys={1: AESGCM.generate_key(256)}, active=1, index_key=os.urandom(32))

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        try:
            raw = json.loads(text)
            keys = {int(v): _b64d(k) for v, k in raw["data_keys"].items()}
            return cls(data_keys=keys, active=int(raw["active"]), index_key=_b64d(raw["index_key"]))
        except (ValueError, TypeError, KeyError) as exc:
            raise KeyringError(f"keyring is malformed: {exc.__class__.__name__}") from None

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": "harbour-keys/1",
                "active": self.active,
                "data_keys": {str(v): _b64e(k) for v, k in sorted(self.data_keys.items())},
                "index_key": _b64e(self.index_key),
            },
            indent=2,
        )

    def with_new_data_key(self) -> Keyring:
        version = max(self.data_keys) + 1
        keys = {**self.data_keys, version: AESGCM.generate_key(256)}
        return Keyring(data_keys=keys, active=version, index_key=self.index_key)

    @functools.cached_property
    def _ciphers(self) -> dict[int, AESGCM]:
        """One AES-GCM object per data key, made once: making it costs more than a short value's
        decryption, and a page decrypts hundreds of values (issue #8). It holds no per-message
        state, so threads share it."""
        return {version: AESGCM(key) for version, key in self.data_keys.items()}

    # Sealing -----------------------------------------------------------------------------------

    def encrypt(self, plaintext: str, context: str) -> str:
        nonce = secrets.token_bytes(12)
        sealed = self._ciphers[self.active].encrypt(
            nonce, plaintext.encode("utf-8"), context.encode("utf-8")
        )
        return f"{PREFIX}:{self.active}:{(nonce + sealed).hex()}"

    def decrypt(self, token: str, context: str) -> str:
        try:
            prefix, version_text, body = token.split(":", 2)
            version = int(version_text)
        except ValueError:
            raise DecryptionError(f"{context}: stored value is not Harbour ciphertext") from None
        if prefix != PREFIX:
            raise DecryptionError(f"{context}: unknown ciphertext format {prefix!r}")
        cipher = self._ciphers.get(version)
        if cipher is None:
            raise DecryptionError(f"{context}: data key {version} is not in the keyring")
        try:
            raw = bytes.fromhex(body)
        except ValueError:
            raise DecryptionError(f"{context}: stored value is not Harbour ciphertext") from None
        if len(raw) < 12 + 16:  # nonce + GCM tag: anything shorter was cut or made up
            raise DecryptionError(f"{context}: stored value is truncated")
        try:
            plain = cipher.decrypt(raw[:12], raw[12:], context.encode("utf-8"))
        except InvalidTag:
            raise DecryptionError(
                f"{context}: value failed authentication (wrong key, or tampered)"
            ) from None
        return plain.decode("utf-8")

    @staticmethod
    def key_version_of(token: str) -> int | None:
        parts = token.split(":", 2)
        if len(parts) == 3 and parts[0] == PREFIX and parts[1].isdigit():
            return int(parts[1])
        return None

    def derived_key(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose (the audit chain, anchors), derived from the index key so
        the keyring format stays the same; never stored in the database."""
        return hmac.new(
            self.index_key, f"harbour-derived\x00{purpose}".encode(), hashlib.sha256
        ).digest()

    def blind_index(self, kind: str, normalised: str) -> str:
        """Keyed hash of a normalised value; equal inputs give equal outputs within one keyring."""
        message = f"{kind}\x00{normalised}".encode()
        return hmac.new(self.index_key, message, hashlib.sha256).hexdigest()


_lock = threading.Lock()
_cached: Keyring | None = None


def load_keyring(*, key_file: Path, keys_json: str, generate: bool) -> Keyring:
    if keys_json:
        return Keyring.from_json(keys_json)
    if key_file.exists():
        return Keyring.from_json(key_file.read_text())
    if not generate:
        raise KeyringError(
            f"no encryption keys: set HARBOUR_KEYS or create {key_file} (harbour keys init)"
        )
    keyring = Keyring.generate()
    write_key_file(key_file, keyring)
    return keyring


def write_key_file(key_file: Path, keyring: Keyring) -> None:
    key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = key_file.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(keyring.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, key_file)


def keyring() -> Keyring:
    """The process-wide keyring, loaded once from settings."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                _cached = load_keyring(
                    key_file=settings.HARBOUR_KEY_FILE,
                    keys_json=settings.HARBOUR_KEYS_JSON,
                    generate=settings.HARBOUR_GENERATE_KEYS,
                )
    return _cached


def _load_from_settings() -> Keyring:
    return load_keyring(
        key_file=settings.HARBOUR_KEY_FILE,
        keys_json=settings.HARBOUR_KEYS_JSON,
        generate=False,
    )


def refresh_keyring() -> Keyring:
    """Re-read the keyring, e.g. when a value names a data key this process has not seen: another
    process ran ``harbour keys rotate``. The new keyring is taken only if it extends the one in use
    (same index key, every data key unchanged); anything else is a wrong keyring and raises."""
    global _cached
    current = keyring()
    fresh = _load_from_settings()
    if fresh.index_key != current.index_key or any(
        fresh.data_keys.get(version) != key for version, key in current.data_keys.items()
    ):
        raise KeyringError("the key file changed to a keyring that does not extend the one in use")
    with _lock:
        _cached = fresh
    return fresh


def open_value(token: str, context: str) -> str:
    """Decrypt with the process keyring, re-reading it once if the value's key is newer."""
    ring = keyring()
    version = Keyring.key_version_of(token)
    if version is not None and version not in ring.data_keys:
        # If the file holds nothing better, decrypt below raises DecryptionError naming the key.
        with contextlib.suppress(KeyringError):
            ring = refresh_keyring()
    return ring.decrypt(token, context)


def key_check_values(ring: Keyring) -> tuple[str, str]:
    """What the database keeps to recognise its keyring: a value sealed under the active data key
    and a blind index under the index key. Neither reveals a key."""
    return ring.encrypt(KEY_CHECK_PLAINTEXT, KEY_CHECK_CONTEXT), ring.blind_index(
        "key-check", KEY_CHECK_PLAINTEXT
    )


def keyring_matches(ring: Keyring, sealed: str, index: str) -> str | None:
    """None when ``ring`` opens the stored check values, else why not."""
    try:
        if ring.decrypt(sealed, KEY_CHECK_CONTEXT) != KEY_CHECK_PLAINTEXT:
            return "the key check value opened to something else"
    except DecryptionError as exc:
        return str(exc)
    if not hmac.compare_digest(ring.blind_index("key-check", KEY_CHECK_PLAINTEXT), index):
        return "the index key is not the one this database was written with"
    return None


def set_keyring(new: Keyring | None) -> None:
    """Replace the process keyring (key rotation and tests)."""
    global _cached
    with _lock:
        _cached = new
