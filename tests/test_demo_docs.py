"""docs/demo.md stays true to the demo data, and `harbour demo` refuses to touch real data."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.oath import TOTP

from harbour.accounts.models import Organisation, Role, User
from harbour.core.models import Installation
from harbour.demo import data

DOC = Path(__file__).resolve().parent.parent / "docs" / "demo.md"
ROW = re.compile(r"^\| `([\w-]+)` \| (.+?) \| (.+?) \| `([A-Z2-7]+)` \|$", re.MULTILINE)


def documented_rows() -> set[tuple[str, str, str, str]]:
    return {tuple(m.groups()) for m in ROW.finditer(DOC.read_text())}  # type: ignore[misc]


def generated_rows() -> set[tuple[str, str, str, str]]:
    orgs = {org.key: org.name for org in data.ORGANISATIONS}
    return {
        (
            username,
            orgs[org],
            Role(role).label,
            data.totp_secret_base32(data.DEFAULT_SEED, username),
        )
        for username, org, role in data.USERS
    }


def test_the_demo_page_lists_exactly_the_users_and_secrets_the_demo_data_generates() -> None:
    documented = documented_rows()
    generated = generated_rows()
    assert documented - generated == set(), "listed in docs/demo.md but not generated"
    assert generated - documented == set(), "generated but missing from docs/demo.md"
    assert f"`{data.DEMO_PASSWORD}`" in DOC.read_text()
    assert f"seed {data.DEFAULT_SEED}" in DOC.read_text()


def test_the_script_on_the_demo_page_computes_the_same_codes_as_django_otp() -> None:
    snippet = re.search(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)
    assert snippet is not None
    namespace: dict[str, object] = {"print": lambda *args: None}
    exec(snippet.group(1), namespace)  # noqa: S102 - our own documentation
    totp = namespace["totp"]
    for username, _org, _role in data.USERS[:3]:
        key = data.totp_key(data.DEFAULT_SEED, username)
        for at in (0, 1_700_000_000, 1_800_000_015):
            expected = TOTP(key, t0=0, step=30, digits=6)
            expected.time = at
            secret = data.totp_secret_base32(data.DEFAULT_SEED, username)
            assert totp(secret, at=at) == f"{expected.token():06d}"  # type: ignore[operator]


@pytest.mark.django_db
def test_harbour_demo_prints_the_sign_ins_the_demo_page_lists() -> None:
    out = StringIO()
    call_command("demo", cases_per_provider=1, stdout=out)
    printed = {
        (m.group(1), m.group(2))
        for m in re.finditer(r"^\s+([\w-]+)\s+\w+\s+TOTP secret (\w+)$", out.getvalue(), re.M)
    }
    assert printed == {(row[0], row[3]) for row in documented_rows()}
    assert data.DEMO_PASSWORD in out.getvalue()
    assert User.objects.count() == len(data.USERS)


@pytest.mark.django_db
def test_harbour_demo_refuses_a_database_that_holds_users_and_changes_nothing(cast) -> None:
    before = (User.objects.count(), Organisation.objects.count())
    with pytest.raises(CommandError, match="already has users"):
        call_command("demo", stdout=StringIO())
    assert (User.objects.count(), Organisation.objects.count()) == before
    assert not Installation.objects.exists()


@pytest.mark.django_db
def test_harbour_demo_refuses_a_database_marked_as_real() -> None:
    Installation.objects.create(is_demo=False)
    with pytest.raises(CommandError, match="real data"):
        call_command("demo", stdout=StringIO())
    assert not User.objects.exists()


def test_harbour_demo_refuses_to_run_with_production_settings(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HARBOUR_ENV": "production",
        "HARBOUR_DATA_DIR": str(tmp_path),
        "HARBOUR_SECRET_KEY": "x" * 64,
        "HARBOUR_ALLOW_SQLITE": "true",
        "HARBOUR_ALLOWED_HOSTS": "harbour.example",
    }
    env.pop("DATABASE_URL", None)
    harbour = [sys.executable, "-m", "harbour.cli"]
    subprocess.run([*harbour, "keys", "init"], env=env, check=True, capture_output=True)
    result = subprocess.run([*harbour, "demo"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "refuses to run with production settings" in result.stderr
    assert not (tmp_path / "harbour.sqlite3").exists()
