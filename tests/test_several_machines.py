"""More than one machine: two `harbour serve` app servers and one `harbour worker`, separate
processes sharing one database and one S3-compatible object store on loopback (and nothing else:
no shared disk for evidence). A third process (the operator's `harbour import-evidence
--background`) stores an export and queues its import; the worker, which never saw the file, reads
it from the object store and imports it; each app server then serves the exhibit byte for byte and
shows the imported diary.

The database is the suite's own kind: a fresh PostgreSQL database on the suite's server when
DATABASE_URL is set (scripts/with-postgres), else one SQLite file the processes share.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from harbour.testing.chatserver import HARBOUR, environment, free_port
from harbour.testing.objectstore import ObjectStore, s3_server
from tests.imports.conftest import CLIENT, SUSPECT
from tests.imports.test_killed_worker import write_chat

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def shared_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        yield {}
        return
    import psycopg

    name = f"harbour_machines_{secrets.token_hex(4)}"
    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {"DATABASE_URL": urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))}
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def process(args: list[str], env: dict[str, str], ready: str) -> Iterator[subprocess.Popen[str]]:
    """Start a process and block until a line of its error output contains ``ready``."""
    running = subprocess.Popen(  # noqa: S603 - our own commands
        args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert running.stderr is not None
    lines = []
    for line in running.stderr:
        lines.append(line)
        if ready in line:
            break
    else:
        raise RuntimeError(f"{args[1]} stopped:\n" + "".join(lines[-30:]))
    threading.Thread(target=lambda: [None for _ in running.stderr or ()], daemon=True).start()
    try:
        yield running
    finally:
        running.terminate()
        running.wait(timeout=30)


def get(url: str, session: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": f"harbour_session={session}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        return response.status, response.read()


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)  # noqa: S603
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def store() -> Iterator[ObjectStore]:
    with s3_server() as running:
        yield running


def test_two_app_servers_and_a_worker_share_one_database_and_one_object_store(
    tmp_path: Path, store: ObjectStore
) -> None:
    with shared_database(tmp_path) as database:
        # On PostgreSQL each "machine" has its own data directory and only the keyring is shared
        # (as it must be); SQLite is one file, so its processes share one directory (one machine).
        machines = {
            name: tmp_path / (name if database else "shared")
            for name in ("operator", "worker", "app1", "app2")
        }
        common = {
            **store.environment(),
            **database,
            "PYTHONPATH": str(ROOT),
            # Shared by every machine, as in production (sessions are signed with it).
            "HARBOUR_SECRET_KEY": secrets.token_urlsafe(48),
        }
        env = {n: environment(d, **common) for n, d in machines.items()}
        keys = machines["operator"] / "keys" / "harbour-keys.json"
        for name in ("worker", "app1", "app2"):
            env[name]["HARBOUR_KEY_FILE"] = str(keys)
        env["worker"]["HARBOUR_LOG_LEVEL"] = "INFO"

        made = json.loads(
            run([sys.executable, "-m", "tests.machines_world", "setup"], env["operator"])
            .strip()
            .splitlines()[-1]
        )
        chat = tmp_path / "chat.txt"
        write_chat(chat, 400)
        run(
            [
                HARBOUR, "import-evidence", str(chat), "--case", made["case"], "--by", "alice",
                "--suspect", SUSPECT, "--client", CLIENT, "--background",
            ],
            env["operator"],
        )  # fmt: skip
        assert store.objects(), "the export went to the object store"
        assert not any(m.joinpath("evidence").exists() for m in machines.values())  # no local disk

        with process([HARBOUR, "worker"], env["worker"], ready=" done: "):
            pass  # the worker logged "import N done: ..." after reading the file from the store

        ports = [free_port(), free_port()]
        servers = [
            process(
                [
                    HARBOUR,
                    "serve",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--no-worker",
                    *(["--no-migrate"] if n else []),
                ],
                env[f"app{n + 1}"],
                ready="Application startup complete",
            )  # fmt: skip
            for n, port in enumerate(ports)
        ]
        with servers[0], servers[1]:
            state = json.loads(
                run([sys.executable, "-c", STATE, made["case"]], env["operator"]).strip()
            )
            assert state["imports"] == ["done"] and state["imported"] == 400  # every line
            original = chat.read_bytes()
            for port in ports:
                base = f"http://127.0.0.1:{port}"
                status, body = get(
                    f"{base}/evidence/files/{state['exhibit']}/download/", made["session"]
                )
                assert (status, body) == (200, original)
                status, page = get(f"{base}/cases/{state['case']}/", made["session"])
                assert status == 200 and made["case"].encode() in page


STATE = """
import json, os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
django.setup()
from harbour.cases.models import Case
from harbour.evidence.models import EvidenceItem
from harbour.imports.models import EvidenceImport, ImportedMessage
case = Case.unscoped.get(reference=sys.argv[1])
print(json.dumps({
    "case": str(case.public_id),
    "exhibit": str(EvidenceItem.unscoped.get(case=case).public_id),
    "imports": list(EvidenceImport.unscoped.values_list("status", flat=True)),
    "imported": ImportedMessage.unscoped.count(),
}))
"""
