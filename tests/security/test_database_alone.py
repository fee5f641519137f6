"""Someone who can read the database alone (a stolen backup, a read-only SQL account) gets nothing
that signs them in or tells them what a referral said: session keys are stored only as keyed
hashes, TOTP secrets are sealed with the keyring, the SQLite file and its WAL and journal are the
owner's only, and the signposting text is encrypted."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client as HttpClient
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.accounts.totp_keys import PREFIX
from harbour.core.dbbackends.sqlite3.base import make_private
from harbour.core.sessions import stored_key
from tests.accounts.flow import device_of, sign_in, totp_code

pytestmark = pytest.mark.django_db


def _raw(sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return list(cursor.fetchall())


def test_the_session_table_never_holds_the_cookies_key(cast):
    client = HttpClient()
    sign_in(client, cast["alice"])
    cookie = client.cookies["harbour_session"].value
    keys = [row[0] for row in _raw("SELECT session_key FROM django_session")]
    assert cookie not in keys
    assert stored_key(cookie) in keys


def test_a_session_key_copied_from_the_database_does_not_sign_anyone_in(cast):
    client = HttpClient()
    sign_in(client, cast["alice"])
    assert client.get("/home/").status_code == 200
    thief = HttpClient()
    for (row_key,) in _raw("SELECT session_key FROM django_session"):
        thief.cookies["harbour_session"] = row_key
        assert thief.get("/home/").status_code == 302


def test_signing_out_deletes_the_stored_session(cast):
    client = HttpClient()
    sign_in(client, cast["alice"])
    client.post("/accounts/sign-out/")
    assert not Session.objects.exists()


def test_totp_secrets_in_the_database_are_sealed_and_codes_still_work(cast):
    alice = cast["alice"]
    stored = _raw("SELECT key FROM otp_totp_totpdevice WHERE user_id = %s", [alice.pk])[0][0]
    device = device_of(alice)
    assert str(stored).startswith(PREFIX) and device.key not in str(stored)
    assert len(str(stored)) <= 80  # fits django-otp's column on PostgreSQL
    assert len(device.key) == 40 and int(device.key, 16) >= 0  # django-otp sees plain hex
    client = HttpClient()
    sign_in(client, alice, code=totp_code(device))
    assert client.get("/home/").status_code == 200


def test_a_device_saved_by_django_otp_stays_sealed(cast):
    device = device_of(cast["alice"])
    plain = device.key
    device.verify_token(totp_code(device))  # django-otp saves last_t
    device.save()
    assert device.key == plain
    assert str(
        _raw("SELECT key FROM otp_totp_totpdevice WHERE id = %s", [device.pk])[0][0]
    ).startswith(PREFIX)
    assert TOTPDevice.objects.get(pk=device.pk).key == plain


def test_the_sqlite_file_its_wal_and_journal_are_the_owners_only(tmp_path: Path):
    path = tmp_path / "harbour.sqlite3"
    make_private(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (x)")
    db.execute("INSERT INTO t VALUES (1)")
    db.commit()
    made = [p for p in tmp_path.iterdir() if p.name.startswith("harbour.sqlite3")]
    assert {p.name for p in made} >= {
        "harbour.sqlite3",
        "harbour.sqlite3-wal",
        "harbour.sqlite3-shm",
    }
    for p in made:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p.name
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("BEGIN")
    db.execute("INSERT INTO t VALUES (2)")
    journal = tmp_path / "harbour.sqlite3-journal"
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    db.rollback()
    db.close()


def test_an_existing_database_with_wide_permissions_is_narrowed(tmp_path: Path):
    path = tmp_path / "harbour.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o644)
    make_private(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_harbour_creates_its_database_owner_only(tmp_path: Path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(HARBOUR_ENV="development", HARBOUR_DATA_DIR=str(tmp_path))
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "harbour.cli", "migrate", "-v", "0"],
        env=env,
        check=True,
        capture_output=True,
    )
    for p in tmp_path.iterdir():
        if p.name.startswith("harbour.sqlite3"):
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p.name


def test_the_signposting_text_is_encrypted(orgs, cast):
    from harbour.referrals.models import Referral
    from harbour.referrals.services import receive_referral, signpost

    referral = receive_referral(
        source=Referral.Source.SELF,
        fields={"given_name": "Wilhelmina", "postcode": "NS1 2AB", "consent_to_contact": True},
        via="public",
    )
    signpost(referral, to="National Stalking Helpline (0808 802 0300)", by=cast["alice"])
    stored = _raw("SELECT signposted_to FROM referrals_referral WHERE id = %s", [referral.pk])[0][0]
    assert str(stored).startswith("hb1:")
    assert Referral.objects.system("test").get(pk=referral.pk).signposted_to
