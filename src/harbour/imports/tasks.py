"""The background task: one function that runs whatever stage an import is at."""

from __future__ import annotations

from django_tasks import task

from harbour.imports import services


@task()
def run_evidence_import(import_id: int) -> str:
    return services.work_on(import_id)
