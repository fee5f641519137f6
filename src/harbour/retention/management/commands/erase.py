"""``harbour erase REF --by USER --ground GROUND [--yes]``: erase a closed case where the law allows.

Why unscoped: an operator's command has no signed-in user; it finds the case by reference, then
refuses unless the named manager belongs to the case's organisation.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.accounts.models import User
from harbour.cases.models import Case
from harbour.core import policy
from harbour.retention.models import Erasure
from harbour.retention.services import ErasureRefused, erase_case


class Command(BaseCommand):
    help = (
        "Erase (anonymise) a closed case and everything under it, keeping the figures and the "
        "audit trail; refused while the case is open. --by names the provider manager (audited)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="case reference")
        parser.add_argument("--by", required=True, help="username of the provider manager")
        parser.add_argument(
            "--ground",
            required=True,
            choices=[g for g in Erasure.Ground.values if g != Erasure.Ground.RETENTION],
        )
        parser.add_argument("--yes", action="store_true", help="do not ask to confirm")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["by"], is_active=True).first()
        case = Case.unscoped.filter(reference=options["reference"]).first()
        if user is None or case is None:
            raise CommandError("No such active user or case reference.")
        if not (policy.is_provider_manager(user) and user.organisation_id == case.organisation_id):
            raise CommandError("Only a manager of the case's organisation may erase it.")
        if not options["yes"] and input("Type the case reference to erase it: ") != case.reference:
            raise CommandError("Not erased.")
        try:
            counts = erase_case(case, ground=options["ground"], by=user)
        except ErasureRefused as exc:
            raise CommandError(f"Refused: {exc}") from None
        self.stdout.write(f"Erased {case.reference}: {sum(counts.values())} records anonymised.")
