"""`harbour bundle verify BUNDLE.zip`: check every hash in an evidence bundle against its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.evidence.manifest import verify_bundle


class Command(BaseCommand):
    help = (
        "Evidence bundles. `harbour bundle verify BUNDLE.zip` recomputes the SHA-256 of every file "
        "and reports each one changed, missing or added; exits non-zero unless the bundle is intact."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        report = verify_bundle(str(path))
        lines = report.lines()
        for line in lines[:-1]:
            self.stdout.write(line)
        if report.meta:
            self.stdout.write(
                f"Bundle {report.meta.get('reference', '?')} of case {report.meta.get('case', '?')}, "
                f"produced {report.meta.get('produced_at', '?')} by {report.meta.get('produced_by', '?')}"
            )
        if not report.ok:
            raise CommandError(lines[-1])
        self.stdout.write(self.style.SUCCESS(lines[-1]))
