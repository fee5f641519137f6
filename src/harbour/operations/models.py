"""What the readiness check needs to know that no other table records: that a worker is alive."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """Written by each ``harbour worker`` on every pass of its loop (one row per worker)."""

    worker_id = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.worker_id


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id[:64], defaults={"seen_at": timezone.now()}
    )
    # Workers that stopped long ago leave no rows behind.
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - datetime.timedelta(days=1)).delete()
