"""``harbour reminders``: run daily by a scheduler (cron, a systemd timer)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from harbour.justice.services import run_reminders


class Command(BaseCommand):
    help = (
        "Record expired orders and write deadline reminders (SPO notification, order renewal and "
        "expiry, court dates) for each case's advocate; safe to run twice (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="run as if on this date (YYYY-MM-DD), for testing")

    def handle(self, *args: Any, **options: Any) -> None:
        today = datetime.date.fromisoformat(options["today"]) if options["today"] else None
        result = run_reminders(today)
        self.stdout.write(
            f"Reminders written: {result['written']}; orders recorded as expired: "
            f"{result['expired']}."
        )
