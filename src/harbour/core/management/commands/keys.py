from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.core import crypto, keycheck
from harbour.core.rotation import reencrypt_all


class Command(BaseCommand):
    # `keys init` must work before keys exist, which the start-up checks refuse.
    requires_system_checks: list[str] = []
    help = (
        "Encryption keys. `init` writes a new key file; `rotate` adds a data key and re-encrypts "
        "every encrypted field under it; `status` shows key versions in use."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["init", "rotate", "status"])
        parser.add_argument("--dry-run", action="store_true", help="rotate: count, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        key_file = settings.HARBOUR_KEY_FILE
        if action == "init":
            if key_file.exists() or settings.HARBOUR_KEYS_JSON:
                raise CommandError("Keys already exist; use `harbour keys rotate`.")
            crypto.write_key_file(key_file, crypto.Keyring.generate())
            self.stdout.write(f"Wrote new keys to {key_file}. Back this file up separately.")
            return
        ring = crypto.keyring()
        state, detail = keycheck.status()
        if state == "mismatch":
            raise CommandError(f"The keyring does NOT match this database: {detail}.")
        if action == "status":
            self.stdout.write(
                "Keyring matches this database."
                if state == "match"
                else f"No key check value in this database yet ({detail})."
            )
            counts = reencrypt_all(dry_run=True)
            self.stdout.write(f"Active data key: {ring.active}; versions: {sorted(ring.data_keys)}")
            for label, n in counts.items():
                self.stdout.write(f"  {label}: {n} values not under the active key")
            return
        if settings.HARBOUR_KEYS_JSON:
            raise CommandError(
                "Keys come from HARBOUR_KEYS; rotate by generating a new keyring with an added "
                "data key, deploying it, then running `harbour keys rotate` against a key file."
            )
        if options["dry_run"]:
            counts = reencrypt_all(dry_run=True)
            self.stdout.write(f"Would re-encrypt {sum(counts.values())} values.")
            return
        new_ring = ring.with_new_data_key()
        # Write the new keyring first: values re-encrypted under the new key must never exist
        # without the key that opens them on disk.
        crypto.write_key_file(key_file, new_ring)
        crypto.set_keyring(new_ring)
        counts = reencrypt_all(dry_run=False)
        self.stdout.write(
            self.style.SUCCESS(
                f"Data key {new_ring.active} is active; re-encrypted {sum(counts.values())} values. "
                "Old keys stay in the file so backups remain readable."
            )
        )
