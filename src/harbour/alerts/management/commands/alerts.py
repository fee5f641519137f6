"""``harbour alerts daily`` (once a day, from a scheduler) and ``harbour alerts test USERNAME``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.accounts.models import User
from harbour.alerts import services


class Command(BaseCommand):
    help = (
        "daily: raise the alerts no single change raises (referrals near the first-contact "
        "target, referrals still waiting for a triage team) and queue each person's daily "
        "summary for the workers; safe to run twice. test USERNAME: send that person a test "
        "alert now, to check the mail relay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("daily", help="raise the day's alerts and queue the daily summaries")
        test = sub.add_parser("test", help="send a test alert to one person now")
        test.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "daily":
            raised = services.sweep()
            queued = services.queue_digests()
            self.stdout.write(
                f"Alerts raised: {sum(raised.values())}; daily summaries queued: {queued}."
            )
            return
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError("No active account has that username.")
        services.raise_alert("account_change", [user], key=f"test:{services.new_test_key()}")
        outcome = services.send_waiting(user.pk)
        if outcome == "nothing":
            raise CommandError(
                "That person has no alert address, or chose never to get account alerts."
            )
        self.stdout.write(f"Test alert: {outcome}.")
