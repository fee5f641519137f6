from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.audit.chain import AnchorError, read_anchor
from harbour.audit.log import anchor_key
from harbour.audit.verify import chain_head, make_anchor, verify_chain


class Command(BaseCommand):
    help = (
        "Audit trail tasks. `harbour audit verify [--anchor FILE]` checks the keyed hash chain end "
        "to end (and that nothing the anchor vouched for is gone); `harbour audit anchor "
        "[--output FILE]` writes the signed chain head to keep outside the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "anchor"])
        parser.add_argument("--anchor", type=Path, help="verify: an anchor written earlier")
        parser.add_argument("--output", type=Path, help="anchor: write here instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            text = json.dumps(make_anchor(), indent=2)
            if options["output"]:
                options["output"].write_text(text + "\n")
                self.stdout.write(f"Anchor written to {options['output']}. Keep it elsewhere.")
            else:
                self.stdout.write(text)
            return
        anchor = None
        if options["anchor"]:
            try:
                anchor = read_anchor(json.loads(options["anchor"].read_text()), anchor_key())
            except (OSError, ValueError, AnchorError) as exc:
                raise CommandError(f"Anchor refused: {exc}") from None
        checked, broken = verify_chain(anchor)
        if broken is not None:
            raise CommandError(
                f"Audit chain BROKEN at row #{broken.seq}: {broken.reason}. "
                f"{checked} rows before it are intact."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} rows verified."))
        if anchor is not None:
            self.stdout.write(f"Everything up to the anchor (row #{anchor.seq}) is present.")
        head = chain_head()
        if head is not None:
            # Recording this outside Harbour lets a later check prove the end was not cut off.
            self.stdout.write(f"Chain head: row #{head[0]}, hash {head[1]}")
