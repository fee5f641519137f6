"""harbour parse-export FILE: what an evidence export holds, without showing any message.

Reads the file with the pure parsers in ``harbour_parsers`` (docs/evidence-parsers.md); touches no
database and stores nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour_parsers import ParseError
from harbour_parsers.cli import HELP, add_arguments, summary


class Command(BaseCommand):
    help = HELP
    requires_system_checks: list[str] = []  # no database, no keys: only the file is read

    def add_arguments(self, parser: CommandParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            lines = summary(options)
        except ParseError as exc:
            raise CommandError(str(exc)) from exc
        for line in lines:
            self.stdout.write(line)
