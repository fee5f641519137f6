"""A worker killed with SIGKILL in the middle of an import: nothing half-done is shown, and the next
worker resumes the import from its checkpoint to exactly the right result. Real processes, a real
SQLite file."""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.imports.conftest import CLIENT, SUSPECT

ROOT = Path(__file__).resolve().parents[2]
HARBOUR = [sys.executable, "-m", "harbour.cli"]


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def write_chat(path: Path, n: int) -> None:
    start = datetime.datetime(2025, 3, 13, 7, 0)  # noqa: DTZ001 - WhatsApp writes local time
    with open(path, "w", encoding="utf-8") as f:
        f.write("13/03/2025, 07:00 - Messages and calls are end-to-end encrypted.\n")
        for i in range(n - 1):
            stamp = f"{start + datetime.timedelta(seconds=20 * i):%d/%m/%Y, %H:%M}"
            who = SUSPECT if i % 3 else CLIENT
            f.write(f"{stamp} - {who}: message number {i} I saw you at the shop\n")


def test_a_worker_killed_mid_import_leaves_nothing_half_done_and_the_import_resumes(
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "HARBOUR_ENV": "test",
        "HARBOUR_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(ROOT),
        "HARBOUR_LOG_LEVEL": "INFO",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)  # its own SQLite file, also when the suite runs on PostgreSQL
    run([*HARBOUR, "migrate", "-v", "0"], env)
    chat = tmp_path / "chat.txt"
    write_chat(chat, 60_000)
    made = json.loads(
        run([sys.executable, "-m", "tests.imports.worker_world", "setup", str(chat)], env)
    )
    assert made["total"] == 60_000

    worker = subprocess.Popen(
        [*HARBOUR, "worker"], env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True
    )
    assert worker.stderr is not None
    for line in worker.stderr:  # blocks until the worker logs its first checkpoint
        if "checkpoint" in line:
            os.kill(worker.pid, signal.SIGKILL)
            break
    worker.wait(timeout=60)
    assert worker.returncode == -signal.SIGKILL

    killed = json.loads(run([sys.executable, "-m", "tests.imports.worker_world", "state"], env))
    assert killed["status"] == "running"
    assert 0 < killed["done"] < 60_000 and killed["done"] % 5000 == 0
    assert killed["rows"] == killed["done"]  # whole batches only
    assert (killed["shown"], killed["incidents"]) == (0, 0)  # nothing of it is shown

    run([*HARBOUR, "worker", "--batch"], env)  # sees the dead worker, resumes, finishes
    after = json.loads(run([sys.executable, "-m", "tests.imports.worker_world", "state"], env))
    assert after["status"] == "done" and after["resumed"] == 1
    assert after["rows"] == after["distinct"] == after["shown"] == after["added"] == 60_000
    assert after["incidents"] == after["entries"] > 0
