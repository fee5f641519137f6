"""``harbour instruments load FILE`` / ``harbour instruments list``: versioned risk instruments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.accounts.models import Organisation
from harbour.risk.instrument import MAX_INSTRUMENT_BYTES, InstrumentError
from harbour.risk.models import InstrumentVersion
from harbour.risk.services import InstrumentConflict, ensure_shipped_instruments, store_instrument


class Command(BaseCommand):
    help = "Load a risk instrument file (harbour-instrument/1), or list the loaded instruments."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="validate and store an instrument file")
        load.add_argument("file", type=Path)
        load.add_argument(
            "--organisation",
            help="name of the organisation that may use it (default: every organisation)",
        )
        sub.add_parser("list", help="list stored instruments")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            ensure_shipped_instruments()
            for v in InstrumentVersion.objects.select_related("organisation"):
                owner = v.organisation.name if v.organisation else "all organisations"
                self.stdout.write(f"{v.slug} {v.version}  {v.name}  ({owner}) {v.digest[:12]}")
            return
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if path.stat().st_size > MAX_INSTRUMENT_BYTES:
            raise CommandError(f"{path}: larger than {MAX_INSTRUMENT_BYTES} bytes")
        organisation = None
        if options.get("organisation"):
            organisation = Organisation.objects.filter(name=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"no organisation named {options['organisation']!r}")
        try:
            stored, created = store_instrument(path.read_bytes(), organisation=organisation)
        except (InstrumentError, InstrumentConflict) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        verb = "Loaded" if created else "Already loaded"
        self.stdout.write(f"{verb}: {stored.slug} {stored.version} ({stored.digest[:12]})")
