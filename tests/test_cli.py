"""`harbour --help` and README's operations table list every one of Harbour's own commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harbour.cli import harbour_commands, main

README = Path(__file__).resolve().parents[1] / "README.md"


def test_harbours_commands_are_found_from_the_installed_apps():
    assert {"serve", "demo", "audit", "keys", "backup", "api-token", "instruments"} <= set(
        harbour_commands()
    )


@pytest.mark.parametrize("args", [[], ["--help"], ["help"]])
def test_help_lists_every_harbour_command_with_what_it_does_then_djangos(capsys, args):
    main(["harbour", *args])
    out = capsys.readouterr().out
    for name, summary in harbour_commands().items():
        assert re.search(rf"^  {re.escape(name)} +\S", out, re.M), name
        assert summary.split()[0] in out
    assert out.index("Harbour's commands") < out.index("[django]")
    assert "migrate" in out


def test_the_readme_operations_table_has_a_row_for_every_harbour_command():
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Operations") : text.index("## Benchmarks")]
    rows = {m.group(1) for m in re.finditer(r"^\| `harbour ([a-z-]+)", table, re.M)}
    assert set(harbour_commands()) <= rows
    assert rows <= set(harbour_commands()) | {"createsuperuser", "check"}  # Django's, for operators
