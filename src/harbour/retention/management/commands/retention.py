"""``harbour retention [--dry-run]``: apply the retention rules (daily, from a scheduler)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from harbour.retention.policy_rules import RuleError, load_rules
from harbour.retention.services import apply_rule


class Command(BaseCommand):
    help = (
        "Apply the retention rules (HARBOUR_RETENTION_RULES or Harbour's own): anonymise closed "
        "cases, unaccepted referrals and unconverted chats past their time, keeping the figures; "
        "every erasure audited. --dry-run says what would go and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count only; change nothing")
        parser.add_argument("--rules", type=Path, help="a rules file instead of the configured one")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rules = load_rules(options["rules"])
        except RuleError as exc:
            raise CommandError(str(exc)) from None
        now = timezone.now()
        dry = options["dry_run"]
        for rule in rules:
            run = apply_rule(rule, now, dry_run=dry)
            what = f"{rule.record}: kept {rule.keep_text} after {rule.starts_from}"
            if dry:
                self.stdout.write(f"{what}: {run.due} due (dry run: nothing changed)")
            else:
                self.stdout.write(f"{what}: {run.done} of {run.due} anonymised")
            for refusal in run.refused:
                self.stderr.write(f"  kept: {refusal}")
