"""Identifying fields are encrypted at rest, fail loudly under the wrong key, and never leak.

The leak tests seed known names, phone numbers, addresses and emails through the models and then
read the storage itself: the raw SQLite file (always), and a ``pg_dump`` when the suite runs on
PostgreSQL (``scripts/with-postgres``).
"""

from __future__ import annotations

import datetime
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from harbour.accounts.models import Organisation, User
from harbour.cases.models import Client
from harbour.cases.services import open_case
from harbour.core import crypto
from harbour.core.crypto import DecryptionError, Keyring
from harbour.core.fields import blind_index
from harbour.core.identifiers import normalise_email, normalise_phone

pytestmark = pytest.mark.django_db

PERSON = {
    "given_name": "Zebedee",
    "family_name": "Quillfeather",
    "preferred_name": "Zeb Quill",
    "date_of_birth": datetime.date(1984, 2, 29),
    "address": "14 Larkspur Crescent\nNorthtown",
    "postcode": "NS1 4ZZ",
    "phone": "07700 900123",
    "email": "Zeb.Quillfeather@example.org",
}

#: Seeded by the leak tests; every value (and its normalised form) must be absent from storage.
LEAK_PEOPLE = [
    {
        "given_name": "Wilhelmina",
        "family_name": "Thistlewaite",
        "address": "27 Marigoldhaven Terrace",
        "postcode": "NS1 7QX",
        "phone": "07700 900456",
        "email": "wthistlewaite@example.net",
        "date_of_birth": "1979-11-03",
    },
    {
        "given_name": "Bartholomew",
        "family_name": "Ravensclough",
        "address": "Flat 9, Juniperwick Mansions",
        "postcode": "NS1 2JU",
        "phone": "+44 7700 900789",
        "email": "b.ravensclough@example.com",
        "date_of_birth": "1991-06-17",
    },
]
LEAK_STAFF_NAME = "Philippa Cattermole-Drax"
LEAK_ORG = "Leakcheck Advocacy"


def forbidden_strings() -> list[str]:
    """Every seeded value, plus the normalised forms a careless index might store."""
    found = [LEAK_STAFF_NAME]
    for person in LEAK_PEOPLE:
        for value in person.values():
            found.append(value)
        found.append(max(person["address"].split(), key=len).strip(","))  # its longest word
        found.append(normalise_phone(person["phone"]) or "")
        found.append(person["phone"].replace(" ", ""))
        found.append(normalise_email(person["email"]))
        found.append(person["postcode"].replace(" ", ""))
    return [value for value in found if value]


def assert_no_plaintext(blob: bytes, where: str) -> None:
    lowered = blob.lower()
    leaked = [value for value in forbidden_strings() if value.lower().encode() in lowered]
    assert not leaked, f"plaintext found in {where}: {leaked}"


def raw_column(model: type[Any], column: str, pk: int) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def set_raw_column(model: type[Any], column: str, pk: int, value: str) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {connection.ops.quote_name(column)} = %s WHERE id = %s",  # noqa: S608
            [value, pk],
        )


def make_client(**overrides: Any) -> Client:
    organisation = Organisation.objects.create(name="Cipher Test Advocacy", kind="provider")
    case = open_case(
        organisation=organisation, client_fields={**PERSON, **overrides}, by=None, source="test"
    )
    return Client.objects.system("test").get(pk=case.client_id)


# Round trips ------------------------------------------------------------------------------------


def test_every_encrypted_field_type_round_trips_through_the_database(fresh_keys):
    client = make_client()
    assert client.given_name == "Zebedee"  # EncryptedCharField
    assert client.address == "14 Larkspur Crescent\nNorthtown"  # EncryptedTextField
    assert client.date_of_birth == datetime.date(1984, 2, 29)  # EncryptedDateField
    assert client.email == "Zeb.Quillfeather@example.org"
    values = Client.objects.system("test").filter(pk=client.pk).values_list("phone", "postcode")
    assert list(values) == [("07700 900123", "NS1 4ZZ")]


def test_the_stored_form_is_versioned_ciphertext_never_the_value(fresh_keys):
    client = make_client()
    for field, plain in [
        ("given_name", "Zebedee"),
        ("address", "Larkspur"),
        ("date_of_birth", "1984-02-29"),
        ("phone", "900123"),
    ]:
        stored = raw_column(Client, field, client.pk)
        assert stored.startswith("hb1:1:"), field
        assert plain not in stored


def test_the_same_value_encrypts_differently_each_time(fresh_keys):
    ring = crypto.keyring()
    assert ring.encrypt("Zebedee", "cases.client.given_name") != ring.encrypt(
        "Zebedee", "cases.client.given_name"
    )


def test_blank_and_missing_values_stay_blank_rather_than_becoming_ciphertext(fresh_keys):
    client = make_client(preferred_name="", date_of_birth=None)
    assert raw_column(Client, "preferred_name", client.pk) == ""
    assert raw_column(Client, "date_of_birth", client.pk) is None
    assert client.preferred_name == ""
    assert client.date_of_birth is None


def test_staff_names_are_encrypted_too(fresh_keys):
    organisation = Organisation.objects.create(name="Staff Cipher Org", kind="provider")
    user = User.objects.create(
        username="cipher-staff", organisation=organisation, role="advocate", full_name="Ingrid Oak"
    )
    assert raw_column(User, "full_name", user.pk).startswith("hb1:")
    assert User.objects.get(pk=user.pk).full_name == "Ingrid Oak"


# Failing loudly -----------------------------------------------------------------------------------


def test_reading_under_the_wrong_key_raises_decryption_error_instead_of_returning_ciphertext(
    fresh_keys,
):
    client = make_client()
    crypto.set_keyring(Keyring.generate())  # same version number, different key
    with pytest.raises(DecryptionError, match="failed authentication"):
        Client.objects.system("test").get(pk=client.pk)
    with pytest.raises(DecryptionError):
        list(Client.objects.system("test").filter(pk=client.pk).values_list("given_name"))


def test_reading_a_value_whose_key_version_is_missing_raises_decryption_error(fresh_keys):
    client = make_client()
    crypto.set_keyring(Keyring(data_keys={2: os.urandom(32)}, active=2, index_key=os.urandom(32)))
    with pytest.raises(DecryptionError, match="data key 1 is not in the keyring"):
        Client.objects.system("test").get(pk=client.pk)


def test_plaintext_written_behind_the_models_back_is_refused_not_shown(fresh_keys):
    client = make_client()
    set_raw_column(Client, "given_name", client.pk, "Zebedee")
    with pytest.raises(DecryptionError, match="not Harbour ciphertext"):
        Client.objects.system("test").get(pk=client.pk)


def test_a_tampered_ciphertext_is_refused(fresh_keys):
    client = make_client()
    stored = raw_column(Client, "family_name", client.pk)
    # A different hex digit by value: "a" and "A" decode to the same byte, so they are no tampering.
    flipped = stored[:-2] + ("0" if stored[-2].lower() != "0" else "1") + stored[-1]
    set_raw_column(Client, "family_name", client.pk, flipped)
    with pytest.raises(DecryptionError):
        Client.objects.system("test").get(pk=client.pk)


def test_ciphertext_moved_to_another_column_does_not_decrypt(fresh_keys):
    client = make_client()
    set_raw_column(Client, "family_name", client.pk, raw_column(Client, "given_name", client.pk))
    with pytest.raises(DecryptionError, match="cases.client.family_name"):
        Client.objects.system("test").get(pk=client.pk)


def test_ciphertext_moved_to_another_table_does_not_decrypt(fresh_keys):
    client = make_client()
    organisation = Organisation.objects.create(name="Moved Cipher Org", kind="provider")
    user = User.objects.create(
        username="moved-staff", organisation=organisation, role="advocate", full_name="Staff"
    )
    set_raw_column(User, "full_name", user.pk, raw_column(Client, "given_name", client.pk))
    with pytest.raises(DecryptionError, match="accounts.user.full_name"):
        User.objects.get(pk=user.pk)


# Lookups ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lookup",
    [
        {"given_name": "Zebedee"},
        {"given_name__exact": "Zebedee"},
        {"given_name__iexact": "zebedee"},
        {"family_name__icontains": "quill"},
        {"address__startswith": "14"},
        {"email__in": ["zeb.quillfeather@example.org"]},
        {"date_of_birth__gt": datetime.date(1980, 1, 1)},
        {"date_of_birth__year": 1984},
        {"given_name__lower": "zebedee"},
    ],
)
def test_encrypted_fields_refuse_every_lookup_but_isnull(fresh_keys, lookup):
    with pytest.raises(FieldError, match="encrypted"):
        Client.objects.system("test").filter(**lookup)


def test_isnull_is_the_one_lookup_an_encrypted_field_allows(fresh_keys):
    with_dob = make_client()
    other_org = Organisation.objects.create(name="Second Cipher Org", kind="provider")
    case = open_case(
        organisation=other_org,
        client_fields={"given_name": "Nodob"},
        by=None,
        source="test",
    )
    scoped = Client.objects.system("test")
    assert list(scoped.filter(date_of_birth__isnull=True).values_list("pk", flat=True)) == [
        case.client_id
    ]
    assert list(scoped.filter(date_of_birth__isnull=False).values_list("pk", flat=True)) == [
        with_dob.pk
    ]


# Blind indexes ----------------------------------------------------------------------------------


def test_blind_index_finds_a_client_by_phone_written_differently(fresh_keys):
    client = make_client()
    wanted = blind_index("phone", normalise_phone("+44 (0)7700 900 123"))
    assert wanted == client.phone_index
    assert list(Client.objects.system("test").filter(phone_index=wanted)) == [client]


def test_blind_index_finds_an_email_regardless_of_case(fresh_keys):
    client = make_client()
    wanted = blind_index("email", normalise_email("  ZEB.QUILLFEATHER@EXAMPLE.ORG "))
    assert list(Client.objects.system("test").filter(email_index=wanted)) == [client]


def test_blind_indexes_are_keyed_hashes_separated_by_kind(fresh_keys):
    ring = crypto.keyring()
    phone = ring.blind_index("phone", "+447700900123")
    assert len(phone) == 64 and "447700900123" not in phone
    assert phone != ring.blind_index("email", "+447700900123")
    assert phone != Keyring.generate().blind_index("phone", "+447700900123")
    assert phone == ring.blind_index("phone", "+447700900123")


def test_an_empty_value_has_no_blind_index_so_blanks_never_match(fresh_keys):
    assert blind_index("email", "") == ""
    assert blind_index("phone", None) == ""
    client = make_client(email="", phone="not a phone number")
    assert client.email_index == ""
    assert client.phone_index == ""


def test_blind_indexes_survive_a_data_key_rotation(fresh_keys):
    client = make_client()
    before = client.phone_index
    call_command("keys", "rotate", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert blind_index("phone", normalise_phone("07700 900123")) == before


# Key rotation -----------------------------------------------------------------------------------


def test_keys_rotate_re_encrypts_every_value_under_the_new_key(fresh_keys, capsys):
    client = make_client()
    organisation = Organisation.objects.get(pk=client.organisation_id)
    staff = User.objects.create(
        username="rotate-staff", organisation=organisation, role="manager", full_name="Rota Staff"
    )
    old_given = raw_column(Client, "given_name", client.pk)
    old_staff = raw_column(User, "full_name", staff.pk)

    call_command("keys", "rotate")

    assert "Data key 2 is active" in capsys.readouterr().out
    for column in ("given_name", "family_name", "address", "postcode", "phone", "email"):
        assert raw_column(Client, column, client.pk).startswith("hb1:2:"), column
    assert raw_column(Client, "date_of_birth", client.pk).startswith("hb1:2:")
    assert raw_column(User, "full_name", staff.pk).startswith("hb1:2:")
    reread = Client.objects.system("test").get(pk=client.pk)
    assert (reread.given_name, reread.address, reread.date_of_birth) == (
        "Zebedee",
        "14 Larkspur Crescent\nNorthtown",
        datetime.date(1984, 2, 29),
    )
    assert User.objects.get(pk=staff.pk).full_name == "Rota Staff"

    # The old key stays in the key file, so values from before (e.g. in a backup) still open.
    on_disk = Keyring.from_json(fresh_keys.read_text())
    assert on_disk.active == 2 and sorted(on_disk.data_keys) == [1, 2]
    assert on_disk.decrypt(old_given, "cases.client.given_name") == "Zebedee"
    assert on_disk.decrypt(old_staff, "accounts.user.full_name") == "Rota Staff"
    assert stat.S_IMODE(fresh_keys.stat().st_mode) == 0o600


def test_keys_rotate_twice_keeps_every_earlier_key(fresh_keys):
    client = make_client()
    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("keys", "rotate", stdout=quiet)
    call_command("keys", "rotate", stdout=quiet)
    assert raw_column(Client, "email", client.pk).startswith("hb1:3:")
    assert sorted(Keyring.from_json(fresh_keys.read_text()).data_keys) == [1, 2, 3]
    assert Client.objects.system("test").get(pk=client.pk).email == PERSON["email"]


def test_keys_rotate_dry_run_changes_nothing(fresh_keys, capsys):
    client = make_client()
    before = raw_column(Client, "given_name", client.pk)
    call_command("keys", "rotate", "--dry-run")
    assert "Would re-encrypt 0 values" in capsys.readouterr().out
    assert raw_column(Client, "given_name", client.pk) == before
    assert Keyring.from_json(fresh_keys.read_text()).active == 1


def test_keys_status_counts_values_still_under_an_old_key(fresh_keys, capsys):
    make_client()
    ring = crypto.keyring().with_new_data_key()
    crypto.write_key_file(fresh_keys, ring)
    crypto.set_keyring(ring)
    call_command("keys", "status")
    out = capsys.readouterr().out
    assert "Active data key: 2" in out
    assert "cases.Client: 1 values not under the active key" in out


# Nothing identifying reaches storage -----------------------------------------------------------

SEED_SCRIPT = """
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.db import connection
from harbour.accounts.models import Organisation, User
from harbour.cases.services import open_case

spec = json.loads(sys.argv[1])
org = Organisation.objects.create(name=spec["org"], kind="provider")
staff = User(username="leak-manager", organisation=org, role="manager", full_name=spec["staff"])
staff.set_password("leak-check-password-123")
staff.save()
for person in spec["people"]:
    open_case(organisation=org, client_fields=person, by=staff, source="leak-test")
connection.close()
"""


def test_seeded_names_phones_addresses_and_emails_never_appear_in_the_sqlite_file(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "HARBOUR_KEYS", "HARBOUR_KEY_FILE", "HARBOUR_SECRET_KEY"}
    }
    env.update(
        HARBOUR_ENV="test",
        HARBOUR_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="harbour.settings",
    )
    spec = {"org": LEAK_ORG, "staff": LEAK_STAFF_NAME, "people": LEAK_PEOPLE}
    result = subprocess.run(
        [sys.executable, "-c", SEED_SCRIPT, json.dumps(spec)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    files = sorted(tmp_path.glob("harbour.sqlite3*"))
    assert files, "the seed script did not create a SQLite database"
    blob = b"".join(path.read_bytes() for path in files)
    # Positive control: non-identifying values written the same way are visible, so the scan works.
    assert LEAK_ORG.encode() in blob and b"leak-manager" in blob
    assert_no_plaintext(blob, "the SQLite database file")
    # The keys that would open the data are not in the database directory's database file either.
    keyring_json = json.loads((tmp_path / "keys" / "harbour-keys.json").read_text())
    assert keyring_json["index_key"].encode() not in blob


def _pg_dump() -> str:
    return str(Path(os.environ.get("HARBOUR_PG_BIN", "/usr/lib/postgresql/15/bin")) / "pg_dump")


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="needs PostgreSQL: run under scripts/with-postgres",
)
@pytest.mark.django_db(transaction=True)
def test_seeded_names_phones_addresses_and_emails_never_appear_in_a_postgresql_dump():
    assert connection.vendor == "postgresql"
    org = Organisation.objects.create(name=LEAK_ORG, kind="provider")
    staff = User(username="leak-manager", organisation=org, role="manager")
    staff.full_name = LEAK_STAFF_NAME
    staff.set_password("leak-check-password-123")
    staff.save()
    for person in LEAK_PEOPLE:
        open_case(organisation=org, client_fields=dict(person), by=staff, source="leak-test")

    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    result = subprocess.run(
        [
            _pg_dump(),
            "--no-owner",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"],
            db["NAME"],
        ],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    dump = result.stdout
    assert LEAK_ORG.encode() in dump and b"leak-manager" in dump
    assert_no_plaintext(dump, "the pg_dump output")


@pytest.mark.parametrize(
    "stored", ["hb1:1:!!!!", "hb1:1:", "hb1:1:AAAA", "hb1:x:AAAA", "hb2:1:AAAA"]
)
def test_malformed_ciphertext_raises_decryption_error(fresh_keys, stored):
    with pytest.raises(DecryptionError):
        crypto.keyring().decrypt(stored, "cases.client.given_name")
