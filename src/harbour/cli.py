"""The ``harbour`` command: every operator task, as Django management commands.

``harbour --help`` (or ``harbour`` alone) lists Harbour's own commands with what each does, then
every other subcommand (Django's ``migrate``, ``createsuperuser``...). README's operations table
lists the same commands; tests/test_cli.py keeps the two in step.
"""

from __future__ import annotations

import os
import sys
import textwrap

import django
from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line, get_commands, load_command_class

from harbour.core.env import ConfigError

HELP_ARGS: tuple[list[str], ...] = ([], ["--help"], ["-h"], ["help"])


def harbour_commands() -> dict[str, str]:
    """Harbour's own subcommands (name -> its help), in name order."""
    return {
        name: " ".join(load_command_class(app, name).help.split())
        for name, app in sorted(get_commands().items())
        if app.startswith("harbour.")
    }


def print_harbour_commands() -> None:
    commands = harbour_commands()
    width = max(map(len, commands)) + 4
    print("Harbour's commands (harbour <command> --help for each one's options):\n")
    for name, summary in commands.items():
        lines = textwrap.wrap(summary, 100 - width, break_on_hyphens=False)
        print(f"  {name:<{width - 2}}{lines[0]}")
        for line in lines[1:]:
            print(" " * width + line)
    print()


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "harbour"
    if args[1:2] == ["serve"] and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several server processes (and the worker beside them) share their metrics through files
        # in a fresh directory; it must be set before anything imports prometheus_client.
        import tempfile

        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="harbour-metrics-")
    if args[1:] in HELP_ARGS:
        try:
            django.setup()
        except (ConfigError, ImproperlyConfigured):
            pass  # the settings are wrong: Django's help below says how, as before
        else:
            print_harbour_commands()
        args[1:] = ["help"]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
