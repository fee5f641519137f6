"""Import an evidence export into a case from the command line, with a progress bar.

Why unscoped: an operator's command run with the named advocate, whose access to the case is
checked before anything is read.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.accounts.models import User
from harbour.cases.models import Case
from harbour.evidence.services import EvidenceRuleError
from harbour.imports import services
from harbour.imports.models import EvidenceImport


class Command(BaseCommand):
    help = (
        "Import an evidence export (WhatsApp, SMS backup, email, Telegram, Facebook/Instagram) into "
        "a case: stored and hashed as an exhibit, read, the suspect's messages added to the diary, "
        "with a progress bar. Runs the import here, or with --background leaves it to the workers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?")
        parser.add_argument("--case", help="the case reference, e.g. HB-7KQ3-XD9M")
        parser.add_argument("--by", required=True, help="the username of the advocate importing")
        parser.add_argument(
            "--suspect", help="the suspect's name or number as the file writes it, or 'proposed'"
        )
        parser.add_argument(
            "--client", help="the client's name or number as the file writes it, or 'proposed'"
        )
        parser.add_argument(
            "--continue", dest="resume", help="an import waiting for a choice (its id)"
        )
        parser.add_argument(
            "--background", action="store_true", help="queue it for `harbour worker` and return"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["by"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['by']!r}")
        if options["resume"]:
            job = (
                EvidenceImport.unscoped.select_related("case", "exhibit")
                .filter(public_id=options["resume"])
                .first()
            )
            if job is None:
                raise CommandError("No such import")
        else:
            if not options["file"] or not options["case"]:
                raise CommandError("Give the FILE and --case REF (or --continue IMPORT)")
            case = Case.objects.for_user(user).filter(reference=options["case"].upper()).first()
            if case is None:
                raise CommandError(f"{options['by']} has no case {options['case']!r}")
            try:
                with open(options["file"], "rb") as handle:
                    job = services.start_import(case, File(handle, name=options["file"]), by=user)
            except OSError as exc:
                raise CommandError(f"Cannot read {options['file']}: {exc.strerror}") from exc
            except EvidenceRuleError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"Stored as exhibit {job.exhibit.ref}, SHA-256 {job.exhibit.sha256} "
                f"(import {job.public_id})"
            )
        if job.status == EvidenceImport.Status.QUEUED and job.stage == EvidenceImport.Stage.SCAN:
            self.stdout.write("Reading the file...")
            services.work_on(job.pk, progress=self.bar)
            job.refresh_from_db()
        if job.status == EvidenceImport.Status.FAILED:
            raise CommandError(f"The import failed: {job.failure}")
        if job.status == EvidenceImport.Status.CHOOSING:
            people = job.participant_list()
            suspect = self.pick(people, options["suspect"], "suspect")
            client = self.pick(people, options["client"], "client") if options["client"] else None
            if suspect is None:
                self.stdout.write("Who is who? People in the file:")
                for p in people:
                    note = f"  (proposed {p['proposed']}: {p['why']})" if p.get("proposed") else ""
                    self.stdout.write(
                        f"  {p['label']}: {p['messages']} messages, {p['calls']} calls{note}"
                    )
                self.stdout.write(
                    f"Run again with --continue {job.public_id} --suspect NAME [--client NAME], "
                    "or choose on the import's page."
                )
                return
            try:
                services.choose_participants(job, suspect=suspect, client=client, by=user)
            except EvidenceRuleError as exc:
                raise CommandError(str(exc)) from exc
            job.refresh_from_db()
        if options["background"]:
            services.enqueue(job)
            self.stdout.write("Queued for the workers (harbour worker).")
            return
        if job.status == EvidenceImport.Status.QUEUED:
            services.work_on(job.pk, progress=self.bar)
            job.refresh_from_db()
        self.stdout.write("")
        if job.status == EvidenceImport.Status.FAILED:
            raise CommandError(f"The import failed: {job.failure}")
        self.stdout.write(
            f"{job.get_status_display()}: {job.added} records added, {job.already_held} already on "
            f"the case, {job.entries} diary entries, {job.flags} flags to review."
        )

    def pick(self, people: list[dict[str, Any]], wanted: str | None, role: str) -> int | None:
        if not wanted:
            return None
        if wanted == "proposed":
            match = [i for i, p in enumerate(people) if p.get("proposed") == role]
        else:
            match = [i for i, p in enumerate(people) if wanted in (p["name"], p["label"])]
        if len(match) != 1:
            raise CommandError(f"No single {role} matches {wanted!r} in the file")
        return match[0]

    def bar(self, job: EvidenceImport) -> None:
        width = 40
        filled = width * job.percent // 100
        sys.stdout.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {job.percent:3d}% "
            f"{job.done:,} of {job.total:,} records"
        )
        sys.stdout.flush()
