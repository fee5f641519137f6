"""Production settings: `check --deploy` is clean, transport protections are on, and Harbour refuses to
start without its secrets. Each case runs `harbour` in a fresh process with a clean environment."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from harbour.core.crypto import Keyring

HARBOUR = str(Path(sys.executable).with_name("harbour"))


def production_env(data_dir: Path, **overrides: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HARBOUR_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(
        HARBOUR_ENV="production",
        HARBOUR_DATA_DIR=str(data_dir),
        HARBOUR_SECRET_KEY=secrets.token_urlsafe(64),
        HARBOUR_KEYS=Keyring.generate().to_json(),
        HARBOUR_ALLOWED_HOSTS="harbour.example.org",
        HARBOUR_ALLOW_SQLITE="true",
        HARBOUR_TRUSTED_PROXIES="1",  # serve binds to loopback, behind a proxy
        # Alerts (docs/operations.md): where staff sign in, and the mail relay.
        HARBOUR_SITE_URL="https://harbour.example.org",
        HARBOUR_EMAIL_HOST="smtp.example.org",
        HARBOUR_EMAIL_FROM="harbour@example.org",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def harbour(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [HARBOUR, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = harbour("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_warns_behind_a_proxy_with_no_trusted_proxy_configured(tmp_path):
    env = production_env(tmp_path, HARBOUR_TRUSTED_PROXIES=None)
    result = harbour("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "harbour.W001" in result.stdout + result.stderr


def test_a_wrong_keyring_is_refused_by_check_and_migrate_before_anything_is_written(tmp_path):
    env = production_env(tmp_path)
    assert harbour("migrate", env=env).returncode == 0
    wrong = {**env, "HARBOUR_KEYS": Keyring.generate().to_json()}
    for command in (["check"], ["migrate"], ["keys", "status"]):
        result = harbour(*command, env=wrong)
        assert result.returncode != 0, command
        assert "does not match this database" in (result.stdout + result.stderr).replace(
            "does NOT match", "does not match"
        )
    assert harbour("check", env=env).returncode == 0


SHOW_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": s.SESSION_COOKIE_HTTPONLY,
    "SESSION_EXPIRE_AT_BROWSER_CLOSE": s.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
}))
"""


def test_production_turns_on_hsts_and_secure_cookies(tmp_path):
    env = {**production_env(tmp_path), "DJANGO_SETTINGS_MODULE": "harbour.settings"}
    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["DEBUG"] is False
    assert shown["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert shown["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert shown["SECURE_SSL_REDIRECT"] is True
    assert shown["SESSION_COOKIE_SECURE"] is True
    assert shown["CSRF_COOKIE_SECURE"] is True
    assert shown["SESSION_COOKIE_HTTPONLY"] is True
    assert shown["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert shown["ALLOWED_HOSTS"] == ["harbour.example.org"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"HARBOUR_SECRET_KEY": None}, "HARBOUR_SECRET_KEY must be set"),
        ({"HARBOUR_SECRET_KEY": "too-short"}, "HARBOUR_SECRET_KEY must be at least 50 characters"),
        ({"HARBOUR_DEBUG": "true"}, "HARBOUR_DEBUG cannot be true in production"),
        ({"HARBOUR_ALLOW_SQLITE": None}, "Set DATABASE_URL, or HARBOUR_ALLOW_SQLITE=true"),
        ({"HARBOUR_KEYS": None}, "Encryption keys are not available"),
        ({"HARBOUR_KEYS": '{"active": 1}'}, "keyring is malformed"),
        ({"HARBOUR_ENV": "prod"}, "HARBOUR_ENV must be one of"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(tmp_path, overrides, message):
    result = harbour("check", "--deploy", env=production_env(tmp_path, **overrides))
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


def test_production_never_generates_keys_or_a_secret_of_its_own(tmp_path):
    harbour("check", env=production_env(tmp_path, HARBOUR_KEYS=None))
    assert not (tmp_path / "keys").exists()
    assert not (tmp_path / "secret_key").exists()


def test_production_starts_with_a_key_file_made_by_keys_init(tmp_path):
    env = production_env(tmp_path, HARBOUR_KEYS=None)
    init = harbour("keys", "init", env=env)
    assert init.returncode == 0, init.stderr
    assert "Back this file up separately" in init.stdout
    key_file = tmp_path / "keys" / "harbour-keys.json"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    result = harbour("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
