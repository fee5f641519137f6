"""``harbour subject-access REF --by USER --output FILE.zip``: everything held about a client.

Why unscoped: an operator's command has no signed-in user; it finds the case by reference, then
refuses unless the named manager belongs to the case's organisation.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.accounts.models import User
from harbour.cases.models import Case
from harbour.core import policy
from harbour.retention.services import write_subject_access_archive


class Command(BaseCommand):
    help = (
        "Export everything held about the client of case REF (their cases and every record under "
        "them, referrals, chats, evidence files, and the audit of who viewed or changed them) as a "
        "readable ZIP; --by names the provider manager answering the request (audited)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="case reference, e.g. HB-7KQ3-XD9M")
        parser.add_argument("--by", required=True, help="username of the provider manager")
        parser.add_argument("--output", type=Path, required=True, help="the ZIP to write")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["by"], is_active=True).first()
        case = Case.unscoped.filter(reference=options["reference"]).first()
        if user is None or case is None:
            raise CommandError("No such active user or case reference.")
        if not (policy.is_provider_manager(user) and user.organisation_id == case.organisation_id):
            raise CommandError("Only a manager of the case's organisation may export it.")
        path: Path = options["output"]
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(f"{path} already exists.") from None
        try:
            with os.fdopen(fd, "wb") as handle:
                counts = write_subject_access_archive(case, handle, by=user)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        self.stdout.write(
            f"Wrote {path}: {counts['records']} records, {counts['audit_events']} audit events, "
            f"{counts['evidence_files']} evidence files (owner-only file; review before release)."
        )
