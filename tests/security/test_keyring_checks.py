"""A wrong keyring is refused before anything is written under it, and a running service picks up a
key that `harbour keys rotate` added in another process."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from harbour.accounts.models import User
from harbour.core import crypto, keycheck
from harbour.core.checks import keyring_matches_database
from harbour.core.models import KeyCheck

pytestmark = pytest.mark.django_db


def test_the_database_remembers_the_keyring_it_was_written_with(fresh_keys):
    assert KeyCheck.objects.count() == 1
    assert keycheck.status()[0] == "match"
    assert keyring_matches_database() == []


def test_a_wrong_keyring_is_refused_by_the_start_up_check(fresh_keys):
    crypto.set_keyring(crypto.Keyring.generate())
    errors = keyring_matches_database()
    assert [e.id for e in errors] == ["harbour.E002"]
    with pytest.raises(SystemCheckError):
        call_command("check")


def test_a_keyring_with_the_right_data_key_but_another_index_key_is_refused(fresh_keys):
    right = crypto.keyring()
    other = crypto.Keyring(data_keys=right.data_keys, active=right.active, index_key=b"\x01" * 32)
    crypto.set_keyring(other)
    assert keycheck.status()[0] == "mismatch"


def test_keys_status_says_whether_the_keyring_matches(fresh_keys, capsys):
    call_command("keys", "status")
    assert "Keyring matches this database." in capsys.readouterr().out
    crypto.set_keyring(crypto.Keyring.generate())
    with pytest.raises(CommandError, match="does NOT match"):
        call_command("keys", "status")


def test_a_wrong_keyring_cannot_rotate(fresh_keys):
    crypto.set_keyring(crypto.Keyring.generate())
    with pytest.raises(CommandError, match="does NOT match"):
        call_command("keys", "rotate")


def test_the_key_check_value_survives_a_rotation(fresh_keys):
    call_command("keys", "rotate")
    assert keycheck.status()[0] == "match"


def _client(name: str) -> User:
    return User.objects.create(username="someone", full_name=name)


def test_a_running_process_reads_values_sealed_under_a_key_added_elsewhere(fresh_keys):
    client = _client("Philippa")
    running = crypto.keyring()  # what this (long-running) process has cached
    # Another process rotates: writes the extended keyring, re-encrypts every value.
    rotated = running.with_new_data_key()
    crypto.write_key_file(fresh_keys, rotated)
    crypto.set_keyring(rotated)
    from harbour.core.rotation import reencrypt_all

    reencrypt_all(dry_run=False)
    crypto.set_keyring(running)  # this process still holds the old keyring
    again = User.objects.get(pk=client.pk)
    assert again.full_name == "Philippa"
    assert crypto.keyring().active == rotated.active  # and now writes under the new key


def test_a_key_file_swapped_for_another_keyring_is_not_taken_mid_run(fresh_keys):
    client = _client("Philippa")
    running = crypto.keyring()
    impostor = crypto.Keyring.generate().with_new_data_key().with_new_data_key()
    crypto.write_key_file(fresh_keys, impostor)
    crypto.set_keyring(impostor)
    User.objects.filter(pk=client.pk).update(full_name="Philippa")
    crypto.set_keyring(running)
    with pytest.raises(crypto.DecryptionError):
        User.objects.get(pk=client.pk).full_name  # noqa: B018
    assert crypto.keyring() is running
