"""HARBOUR_ENV=production refuses to serve a database that holds the demo data, whose sign-ins and
TOTP secrets are published in docs/demo.md."""

from __future__ import annotations

import pytest

from harbour.core.checks import production_holds_no_demo_data
from harbour.core.management.commands.serve import Command as Serve
from harbour.core.models import Installation

pytestmark = pytest.mark.django_db


def test_production_refuses_a_database_made_by_harbour_demo(settings):
    settings.PRODUCTION = True
    Installation.objects.create(is_demo=True, demo_seed=4)
    assert [e.id for e in production_holds_no_demo_data()] == ["harbour.E003"]


def test_production_accepts_a_database_without_demo_data(settings):
    settings.PRODUCTION = True
    Installation.objects.create(is_demo=False)
    assert production_holds_no_demo_data() == []


def test_development_may_use_the_demo_data(settings):
    settings.PRODUCTION = False
    Installation.objects.create(is_demo=True, demo_seed=4)
    assert production_holds_no_demo_data() == []


def test_serve_runs_the_start_up_checks_before_serving():
    assert Serve.requires_system_checks == "__all__"
