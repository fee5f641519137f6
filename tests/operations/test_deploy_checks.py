"""`harbour check --deploy`: silent on a correct production configuration, and naming each
problem (Django's deployment checks and Harbour's own) otherwise."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.checks import WARNING, run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

#: What an operator following docs/operations.md sets (as settings.py would compute it).
PRODUCTION = {
    "PRODUCTION": True,
    "DEBUG": False,
    "SECRET_KEY": "k" * 20 + "Q9x!v2Lr7#pZ0tY4wN8sB1mC6dF3hJ5g",
    "ALLOWED_HOSTS": ["harbour.example.org"],
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 63072000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "HARBOUR_BEHIND_PROXY": True,
    "HARBOUR_TRUSTED_PROXIES": 1,
    "HARBOUR_SITE_URL": "https://harbour.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "EMAIL_USE_TLS": True,
    "EMAIL_USE_SSL": False,
    "DEFAULT_FROM_EMAIL": "harbour@example.org",
    "HARBOUR_SENTRY_DSN": "https://public@errors.example.org/3",
    "HARBOUR_METRICS_ALLOWED_NETWORKS": ["10.20.0.0/24"],
    "HARBOUR_READY_NEEDS_WORKER": True,
}


def problems() -> list[str]:
    return sorted(m.id for m in run_checks(include_deployment_checks=True) if m.level >= WARNING)


@pytest.fixture
def production(settings, db, monkeypatch):
    # The browser tests' Playwright needs DJANGO_ALLOW_ASYNC_UNSAFE in the same process (xdist);
    # a real deployment never sets it, and Django's deployment check says so (async.E001).
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    return settings


def test_a_correct_production_configuration_passes_every_deployment_check(production):
    assert problems() == []
    out = StringIO()
    call_command("check", "--deploy", stdout=out)
    assert "no issues" in out.getvalue()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"HARBOUR_SITE_URL": ""}, "harbour.E010"),
        ({"HARBOUR_SITE_URL": "http://harbour.example.org"}, "harbour.E011"),
        ({"EMAIL_HOST": ""}, "harbour.W010"),
        ({"EMAIL_USE_TLS": False}, "harbour.W011"),
        ({"DEFAULT_FROM_EMAIL": "harbour@localhost"}, "harbour.W012"),
        ({"HARBOUR_SENTRY_DSN": "http://public@errors.example.org/3"}, "harbour.E012"),
        ({"HARBOUR_METRICS_ALLOWED_NETWORKS": ["0.0.0.0/0"]}, "harbour.E013"),
        ({"HARBOUR_READY_NEEDS_WORKER": False}, "harbour.W013"),
        ({"HARBOUR_TRUSTED_PROXIES": 0}, "harbour.W001"),
        ({"SECURE_HSTS_SECONDS": 0}, "security.W004"),
        ({"SESSION_COOKIE_SECURE": False}, "security.W012"),
        ({"DEBUG": True}, "security.W018"),
    ],
)
def test_each_problem_is_named(production, change, expected):
    for name, value in change.items():
        setattr(production, name, value)
    assert problems() == [expected]


def test_errors_stop_the_command_naming_each_one(production):
    production.HARBOUR_SITE_URL = ""
    production.HARBOUR_METRICS_ALLOWED_NETWORKS = ["0.0.0.0/0"]
    with pytest.raises(SystemCheckError) as failed:
        call_command("check", "--deploy", stdout=StringIO(), stderr=StringIO())
    assert "harbour.E010" in str(failed.value)
    assert "harbour.E013" in str(failed.value)
