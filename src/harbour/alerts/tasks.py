"""Background sending of alerts (``harbour worker`` runs them; ``harbour serve`` starts one)."""

from __future__ import annotations

from django_tasks import task

from harbour.alerts import services


@task()
def send_alerts(user_id: int, digest: bool = False) -> str:
    return services.send_waiting(user_id, digest=digest)
