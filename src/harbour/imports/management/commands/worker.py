"""Run background tasks (evidence imports) from the database queue."""

from __future__ import annotations

import os
import signal
import sys
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Worker

from harbour.imports import services
from harbour.operations.models import beat

HEARTBEAT_SECONDS = 15


class Command(BaseCommand):
    help = (
        "Run background tasks (evidence imports): resume imports whose worker died, then run "
        "queued tasks; `harbour serve` starts one. --batch exits when the queue is empty."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="exit when nothing is queued")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument(
            "--parent", type=int, default=0, help="exit when this process (harbour serve) ends"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            self.running = False
            if not getattr(self, "busy", False):
                sys.exit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        worker_id = services.worker_name()
        self.stdout.write(f"Harbour worker {worker_id} is running", ending="\n")
        self.stdout.flush()
        last_beat = 0.0
        while self.running:
            close_old_connections()
            if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                beat(worker_id)  # the readiness check's "a worker was seen recently"
                last_beat = time.monotonic()
            resumed = services.recover_stale()
            if resumed:
                self.stdout.write(f"resumed imports: {', '.join(map(str, resumed))}")
            self.busy = True
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id[:64],
                excluded_queue_names=[],
            ).run()
            self.busy = False
            if options["batch"]:
                return
            if options["parent"] and os.getppid() != options["parent"]:
                return  # harbour serve has gone: so does its worker
            time.sleep(options["interval"])
