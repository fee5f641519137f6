from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harbour.core import crypto


@pytest.fixture
def fresh_keys(request: pytest.FixtureRequest, tmp_path: Path, settings) -> Iterator[Path]:
    """A keyring of its own in a temporary key file; the process keyring is restored afterwards.

    Request it before any fixture that writes encrypted data, so that data is sealed under it.
    """
    previous = crypto.keyring()
    key_file = tmp_path / "keys" / "harbour-keys.json"
    settings.HARBOUR_KEY_FILE = key_file
    settings.HARBOUR_KEYS_JSON = ""
    settings.HARBOUR_GENERATE_KEYS = True
    crypto.set_keyring(None)
    crypto.keyring()  # generates and writes the key file
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        from harbour.core import keycheck
        from harbour.core.models import KeyCheck

        KeyCheck.objects.all().delete()  # this database now belongs to the new keyring
        keycheck.ensure()
    yield key_file
    crypto.set_keyring(previous)
