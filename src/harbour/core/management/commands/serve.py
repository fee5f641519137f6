"""Run Harbour under gunicorn with uvicorn workers (ASGI); whitenoise serves static files.

Ordinary pages run in each worker's thread pool as under a WSGI server; the live chat's event
streams run on the worker's event loop (``harbour.asgi``), so one command serves both.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from gunicorn.app.base import BaseApplication
from uvicorn_worker import UvicornWorker

from harbour.asgi import build
from harbour.core.statistics import analyse_database, analyse_unanalysed


def gunicorn_config(bind: str, *, workers: int, threads: int) -> dict[str, Any]:
    """gunicorn's settings for `harbour serve`."""
    return {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "harbour.core.management.commands.serve.HarbourWorker",
        "accesslog": None,  # Harbour logs its own request lines without paths or queries
        "errorlog": "-",
        "timeout": 60,
        # Idle keep-alive connections stay open 75 s (gunicorn's default is 2 s). A client that
        # reuses a connection just as the server closes it gets no response at all; behind a
        # reverse proxy that is a 502, so the server must outwait the proxy's idle timeout
        # (commonly 60 s). Seen as "status 0" errors under load (benchmarks/load.py).
        "keepalive": 75,
        # Chat streams end by themselves within a minute; do not hold a restart for them.
        "graceful_timeout": 10,
        "forwarded_allow_ips": "127.0.0.1",
        "limit_request_line": 8190,
    }


class Command(BaseCommand):
    help = (
        "Serve Harbour with gunicorn and uvicorn workers, live chat streams included "
        "(migrates and collects static files first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=settings.HARBOUR_BIND)
        parser.add_argument("--workers", type=int, default=settings.HARBOUR_WORKERS)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--no-migrate", action="store_true")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a background worker (run `harbour worker` elsewhere)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        optimise_planner()
        call_command("collectstatic", interactive=False, verbosity=0)

        bind = options["bind"]
        config = gunicorn_config(bind, workers=options["workers"], threads=options["threads"])

        class Harbour(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
            def load_config(self) -> None:
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                # In each worker, after the fork: the thread pool and event loop are its own.
                return build(threads=options["threads"])

        self.stdout.write(f"Harbour is running on http://{bind}/ ({settings.HARBOUR_ENV})")
        worker = None if options["no_worker"] else start_worker()
        try:
            Harbour().run()
        finally:
            if worker is not None:
                worker.terminate()


def start_worker() -> subprocess.Popen[bytes]:
    """One background worker beside the web server (evidence imports); it exits with it."""
    return subprocess.Popen(  # noqa: S603 - our own command, no shell
        [sys.executable, "-m", "harbour.cli", "worker", "--parent", str(os.getpid())]
    )


class HarbourWorker(UvicornWorker):  # type: ignore[misc]  # no type hints shipped
    """Harbour decides the client address itself (``harbour.core.client_ip``, one trusted-proxy
    setting): uvicorn must not rewrite it from ``X-Forwarded-For`` first."""

    CONFIG_KWARGS = {"loop": "asyncio", "http": "h11", "proxy_headers": False, "lifespan": "on"}


def optimise_planner() -> None:
    """Give SQLite's planner statistics before the first request: for the whole database if it has
    none (one loaded or restored in bulk), else for any table with an index it has never analysed.
    Afterwards each connection keeps them current as it closes; PostgreSQL's autovacuum does the
    same there."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            analyse_database()
            return
    analyse_unanalysed()
