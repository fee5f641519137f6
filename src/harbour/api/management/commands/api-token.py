"""harbour api-token create|list|revoke: manage an organisation's API tokens."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from harbour.accounts.models import Organisation
from harbour.api.models import ApiToken
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb


def _organisation(value: str) -> Organisation:
    query = Organisation.objects.filter(name=value) | Organisation.objects.filter(short_name=value)
    if value.isdigit():
        query = query | Organisation.objects.filter(pk=int(value))
    found = list(query.distinct())
    if len(found) != 1:
        raise CommandError(f"No single organisation matches {value!r} (use its name or id).")
    return found[0]


class Command(BaseCommand):
    help = "Create, list or revoke API tokens. A token is shown once, when it is created."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token for an organisation")
        create.add_argument("--org", required=True, help="organisation name, short name or id")
        create.add_argument("--label", default="", help="what the token is for")
        listing = sub.add_parser("list", help="list tokens (prefixes only)")
        listing.add_argument("--org", default=None)
        revoke = sub.add_parser(
            "revoke",
            help="revoke a token by its prefix (one issued before 2026-12-02 may start with '-': "
            "put -- before it)",
        )
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            organisation = _organisation(options["org"])
            with transaction.atomic():
                row, token = ApiToken.issue(organisation, options["label"])
                record(
                    actor=None,
                    username="harbour api-token",
                    verb=AuditVerb.API_TOKEN_CREATED,
                    object_type="api.apitoken",
                    object_id=row.prefix,
                    payload={"organisation": organisation.pk},
                )
            self.stdout.write(f"Token for {organisation.name} (shown once, store it safely):")
            self.stdout.write(token)
        elif action == "list":
            rows = ApiToken.objects.select_related("organisation")
            if options["org"]:
                rows = rows.filter(organisation=_organisation(options["org"]))
            for row in rows:
                state = "revoked" if row.revoked_at else "active"
                used = row.last_used_at.isoformat() if row.last_used_at else "never"
                self.stdout.write(
                    f"{row.prefix}  {state:8} {row.organisation.name}  {row.label}  last used {used}"
                )
        else:
            with transaction.atomic():
                updated = ApiToken.objects.filter(
                    prefix=options["prefix"], revoked_at__isnull=True
                ).update(revoked_at=timezone.now())
                if not updated:
                    raise CommandError("No active token has that prefix.")
                record(
                    actor=None,
                    username="harbour api-token",
                    verb=AuditVerb.API_TOKEN_REVOKED,
                    object_type="api.apitoken",
                    object_id=options["prefix"],
                )
            self.stdout.write("Revoked.")
