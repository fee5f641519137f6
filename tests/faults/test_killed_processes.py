"""A process killed with SIGKILL in the middle of a bundle export or an evidence import (the same
code the page runs in a `harbour serve` worker): no partial record is left, nothing half-made is
shown, and running it again succeeds as if the first attempt never happened. Real processes, a real
SQLite file and evidence directory; the kill lands at a fixed point (the file is stored, its rows
are not yet committed), announced by the process, so there are no sleeps. Killed workers mid-import
are covered by tests/imports/test_killed_worker.py."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.imports.test_killed_worker import write_chat

ROOT = Path(__file__).resolve().parents[2]
HARBOUR = [sys.executable, "-m", "harbour.cli"]
WORLD = [sys.executable, "-m", "tests.faults.world"]


def run(args: list[str], env: dict[str, str]) -> Any:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else None


def killed_at_the_pause(args: list[str], env: dict[str, str]) -> None:
    process = subprocess.Popen(
        args, env=env, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    for line in process.stdout:  # blocks until the process reaches the pause
        if line.startswith("PAUSED"):
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "HARBOUR_ENV": "test",
        "HARBOUR_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)  # its own SQLite file, also when the suite runs on PostgreSQL
    run([*HARBOUR, "migrate", "-v", "0"], env)
    run([*WORLD, "setup"], env)
    return env


def test_a_bundle_export_killed_midway_leaves_no_bundle_and_the_next_export_is_whole(env):
    before = run([*WORLD, "state"], env)
    killed_at_the_pause([*WORLD, "bundle", "--stop"], env)

    after_kill = run([*WORLD, "state"], env)
    assert after_kill["bundles"] == []  # no partial record
    assert "evidence.bundle_produced" not in after_kill["verbs"]
    # The only trace is one sealed (encrypted) file no row names.
    stray = set(after_kill["files"]) - set(before["files"])
    assert len(stray) == 1 and next(iter(stray)).startswith("bundles/")

    assert run([*WORLD, "bundle"], env) == {"bundle": "B01"}  # numbered as if never tried
    done = run([*WORLD, "state"], env)
    assert done["bundles"] == [1]
    assert done["verbs"].count("evidence.bundle_produced") == 1
    bundle_file = Path(env["HARBOUR_DATA_DIR"]) / "evidence" / done["bundle_files"][0]
    assert bundle_file.exists()


def test_an_evidence_import_killed_while_storing_leaves_no_exhibit_and_can_be_run_again(
    env, tmp_path
):
    chat = tmp_path / "chat.txt"
    write_chat(chat, 500)
    before = run([*WORLD, "state"], env)
    killed_at_the_pause([*WORLD, "import", str(chat), "--stop"], env)

    after_kill = run([*WORLD, "state"], env)
    assert after_kill["exhibits"] == before["exhibits"] == [1]  # no exhibit without its import
    assert after_kill["imports"] == []
    assert "import.started" not in after_kill["verbs"]
    assert "evidence.uploaded" not in after_kill["verbs"][len(before["verbs"]) :]

    run([*WORLD, "import", str(chat)], env)  # not refused as "already imported"
    done = run([*WORLD, "state"], env)
    assert done["exhibits"] == [1, 2] and len(done["imports"]) == 1
    assert done["verbs"].count("import.started") == 1
