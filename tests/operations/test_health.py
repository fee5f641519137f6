"""Liveness and readiness: safe to expose to a load balancer, naming only the checks that fail."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from harbour.core import keycheck
from harbour.operations import health
from harbour.operations.models import WorkerHeartbeat, beat


class Idle:
    """django-tasks' worker with nothing to do."""

    def __init__(self, **kwargs):
        pass

    def run(self) -> None:
        pass


@pytest.fixture
def worker_seen(db):
    beat("worker-1")


def test_liveness_answers_anyone_and_says_nothing_else(db):
    response = Client().get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "live"}


def test_a_service_with_everything_in_place_is_ready(worker_seen):
    response = Client().get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_no_worker_seen_recently_is_not_ready_and_says_only_that(db):
    beat("worker-1")
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - datetime.timedelta(minutes=10))
    response = Client().get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "not ready", "failing": ["worker"]}


def test_a_running_worker_is_what_makes_it_ready(db, monkeypatch):
    assert Client().get("/health/ready").status_code == 503
    # The worker (and django-tasks' own runner inside it) closes stale connections each pass;
    # here that would be the test's own, so both stand aside: the heartbeat is what is tested.
    command = "harbour.imports.management.commands.worker"
    monkeypatch.setattr(f"{command}.close_old_connections", lambda: None)
    monkeypatch.setattr(f"{command}.Worker", Idle)
    call_command("worker", "--batch")
    assert Client().get("/health/ready").status_code == 200


def test_a_keyring_that_does_not_match_the_database_is_not_ready(worker_seen, monkeypatch):
    monkeypatch.setattr(keycheck, "status", lambda: ("mismatch", "wrong keyring"))
    response = Client().get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["keyring"]
    assert "wrong keyring" not in response.content.decode()


def test_a_migration_not_yet_applied_is_not_ready(worker_seen, monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'operations'")
    response = Client().get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]


def test_an_unreachable_database_fails_every_check(monkeypatch):
    monkeypatch.setattr(health, "database_ok", lambda: False)
    assert health.failing() == ["database", "migrations", "keyring", "worker"]


def test_the_worker_check_can_be_turned_off(db, settings):
    settings.HARBOUR_READY_NEEDS_WORKER = False
    assert Client().get("/health/ready").status_code == 200
