"""Liveness and readiness: what a load balancer or orchestrator asks, answered with names only.

Liveness: the process answers (no database). Readiness: the database answers, every migration is
applied, the keyring opens this database's key check value, and a background worker was seen
recently. The answer names which checks fail and nothing else (no versions, hosts or counts).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

_migrated = False


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def migrations_ok() -> bool:
    """Every migration of the running code is applied (once true, it stays true: cached)."""
    global _migrated
    if _migrated:
        return True
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False
    _migrated = not plan
    return _migrated


def keyring_ok() -> bool:
    from harbour.core import crypto, keycheck

    try:
        state, _detail = keycheck.status()
    except (crypto.KeyringError, DatabaseError):
        return False
    return state == "match"


def worker_ok(now: datetime.datetime | None = None) -> bool:
    from harbour.operations.models import WorkerHeartbeat

    if not settings.HARBOUR_READY_NEEDS_WORKER:
        return True
    now = now or timezone.now()
    since = now - datetime.timedelta(seconds=settings.HARBOUR_WORKER_STALE_SECONDS)
    try:
        return WorkerHeartbeat.objects.filter(seen_at__gte=since).exists()
    except DatabaseError:
        return False


def failing() -> list[str]:
    """The names of the readiness checks that fail, in a fixed order (empty: ready)."""
    if not database_ok():
        return ["database", "migrations", "keyring", "worker"]
    checks: dict[str, Callable[[], bool]] = {
        "migrations": migrations_ok,
        "keyring": keyring_ok,
        "worker": worker_ok,
    }
    return [name for name, check in checks.items() if not check()]
