"""``harbour areas``: which provider covers which postcodes, and who triages the rest.

    harbour areas                         list rules, local authority mappings and triage teams
    harbour areas which POSTCODE          say where a referral from POSTCODE would go, and why
    harbour areas add PREFIX PROVIDER     PREFIX: area DE, district DE73, sector "DE73 5", postcode
    harbour areas remove PREFIX
    harbour areas import FILE.csv         load an ONS Postcode Directory extract (all or nothing)
    harbour areas map CODE PROVIDER       a local authority (ONS code) to a provider
    harbour areas unmap CODE
    harbour areas triage PROVIDER [--area PREFIX]   who acts on referrals no rule covers

PROVIDER is an organisation's name or short name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from harbour.accounts.models import Organisation, ServiceArea
from harbour.coverage import importer, routing, services
from harbour.coverage.models import (
    AuthorityProvider,
    CoverageRule,
    PostcodeAuthority,
    TriageTeam,
    UnroutedReferral,
)

USERNAME = "harbour areas"


def _provider(name: str) -> Organisation:
    org = Organisation.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name)).first()
    if org is None:
        raise CommandError(f"No organisation is called {name!r}")
    return org


class Command(BaseCommand):
    help = (
        "Coverage: list, add or remove postcode rules (area, district, sector, postcode), import an "
        "ONS postcode-to-local-authority file, map authorities and name triage teams."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action")
        sub.add_parser("list", help="List rules, mappings and triage teams (the default).")
        which = sub.add_parser("which", help="Where a referral from this postcode would go.")
        which.add_argument("postcode")
        add = sub.add_parser("add", help="A provider covers a postcode prefix.")
        add.add_argument("prefix")
        add.add_argument("provider")
        add.add_argument("--note", default="")
        remove = sub.add_parser("remove", help="Remove the rule for a prefix.")
        remove.add_argument("prefix")
        imp = sub.add_parser(
            "import", help="Load an ONS Postcode Directory CSV (replaces the table)."
        )
        imp.add_argument("file", type=Path)
        mapping = sub.add_parser("map", help="A local authority (ONS code) to a provider.")
        mapping.add_argument("code")
        mapping.add_argument("provider")
        mapping.add_argument("--name", default="", help="The authority's name, for people.")
        unmap = sub.add_parser("unmap", help="Remove a local authority mapping.")
        unmap.add_argument("code")
        triage = sub.add_parser("triage", help="Name who acts on referrals no rule covers.")
        triage.add_argument("provider")
        triage.add_argument("--area", default="", help="A postcode prefix; omit for everywhere.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action") or "list"
        try:
            getattr(self, f"_{action}")(options)
        except (services.CoverageError, importer.ImportRefused) as exc:
            raise CommandError(str(exc)) from exc

    def _list(self, options: dict[str, Any]) -> None:
        out = self.stdout.write
        rules = [
            (a.postcode_district, "district", a.organisation.label)
            for a in ServiceArea.objects.select_related("organisation")
        ]
        rules += [
            (r.prefix, r.level, r.organisation.label)
            for r in CoverageRule.objects.select_related("organisation")
        ]
        out(f"Rules ({len(rules)}; the longest matching prefix wins):")
        for prefix, level, label in sorted(rules):
            out(f"  {prefix:<10} {level:<9} {label}")
        out(f"Postcode table: {PostcodeAuthority.objects.count()} postcodes")
        out("Local authorities:")
        for m in AuthorityProvider.objects.select_related("organisation"):
            out(f"  {m.code} {m.name or '':<24} {m.organisation.label}")
        out("Triage teams (act on referrals no rule covers):")
        teams = list(TriageTeam.objects.select_related("organisation"))
        for t in teams:
            out(f"  {t.area or 'everywhere':<10} {t.organisation.label}")
        if not any(t.area == "" for t in teams):
            out("  WARNING: no platform-wide triage team: name one with 'harbour areas triage'.")
        waiting = UnroutedReferral.objects.system("harbour areas: count").filter(team__isnull=True)
        count = waiting.filter(referral__status__in=["received", "contact_attempted"]).count()
        if count:
            out(
                f"  WARNING: {count} open referral(s) reached no triage team: name one, then reroute."
            )

    def _which(self, options: dict[str, Any]) -> None:
        match = routing.provider_for_postcode(options["postcode"])
        if match:
            self.stdout.write(f"{match.organisation.label} (by {match.matched_by})")
            return
        team = routing.triage_team_for(options["postcode"])
        where = team.label if team else "nobody: name a triage team"
        self.stdout.write(f"No rule covers it: unrouted, triaged by {where}")

    def _add(self, options: dict[str, Any]) -> None:
        org = _provider(options["provider"])
        prefix, level = services.add_rule(
            options["prefix"], org, note=options["note"], username=USERNAME
        )
        self.stdout.write(f"{org.label} now covers {level.label.lower()} {prefix}")

    def _remove(self, options: dict[str, Any]) -> None:
        prefix = services.remove_rule(options["prefix"], username=USERNAME)
        self.stdout.write(f"Removed the rule for {prefix}")

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        summary = importer.import_file(path, username=USERNAME)
        self.stdout.write(
            f"Loaded {summary.loaded} postcodes (skipped {summary.skipped_terminated} terminated, "
            f"{summary.skipped_no_authority} with no local authority)"
        )

    def _map(self, options: dict[str, Any]) -> None:
        org = _provider(options["provider"])
        services.map_authority(options["code"], org, name=options["name"], username=USERNAME)
        self.stdout.write(f"{options['code'].upper()} -> {org.label}")

    def _unmap(self, options: dict[str, Any]) -> None:
        services.map_authority(options["code"], None, username=USERNAME)
        self.stdout.write(f"{options['code'].upper()} unmapped")

    def _triage(self, options: dict[str, Any]) -> None:
        org = _provider(options["provider"])
        area = services.set_triage_team(org, area=options["area"], username=USERNAME)
        self.stdout.write(
            f"{org.label} triages uncovered referrals {'in ' + area if area else 'everywhere'}"
        )
