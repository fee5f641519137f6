"""The ``harbour`` command: every operator task, as Django management commands.

harbour serve            production-grade server (gunicorn) with static files
harbour demo             load reproducible synthetic demo data (refuses on real data)
harbour audit verify     check the tamper-evident audit chain
harbour keys rotate      add a data key and re-encrypt every encrypted field
harbour backup           consistent copy of the database (keys are backed up separately)
harbour parse-export F   read an evidence export and print a summary (no Django, no database)
harbour <anything else>  any Django management command (migrate, check, ...)
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if args[1:2] == ["parse-export"]:
        from harbour_parsers.cli import main as parse_export

        raise SystemExit(parse_export(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
    from django.core.management import execute_from_command_line

    args[0] = "harbour"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
