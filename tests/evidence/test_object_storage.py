"""Evidence on S3-compatible object storage (django-storages), against a private moto server on
loopback: files are stored sealed (no plaintext in the bucket), read back byte for byte, streamed
into bundles, and backed up and restored with the database."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import storages

from harbour.core import crypto
from harbour.evidence import services
from harbour.evidence.bundle import produce_bundle
from harbour.evidence.models import Bundle
from harbour.testing.objectstore import ObjectStore, s3_server
from tests.evidence.conftest import png_with_exif, upload_file
from tests.security.test_backup import run_backup, run_restore


@pytest.fixture(scope="module")
def store():
    with s3_server() as running:
        yield running


@pytest.fixture
def on_s3(store: ObjectStore, settings):
    settings.STORAGES = {**settings.STORAGES, "evidence": store.storage_setting()}
    s3 = store.client()
    for key in store.objects():
        s3.delete_object(Bucket=store.bucket, Key=key)
    assert storages["evidence"].__class__.__name__ == "S3Storage"
    return store


@pytest.mark.django_db
def test_an_upload_is_stored_sealed_in_the_bucket_and_read_back_unchanged(on_s3, case_a, cast):
    data = png_with_exif()
    item = services.store_evidence(
        case_a, upload_file("photo.png", data), kind="photo", by=cast["alice"]
    )
    objects = on_s3.objects()
    assert item.stored_name in objects and item.preview_name in objects
    assert objects[item.stored_name].startswith(b"HBF1")
    assert data not in objects[item.stored_name]
    assert b"".join(services.read_original(item)) == data
    assert item.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.django_db
def test_a_bundle_is_produced_from_and_into_the_bucket(on_s3, case_a, cast, log):
    log()
    services.store_evidence(
        case_a, upload_file("note.txt", b"Outside the flat at 23:10.\n"), kind="document",
        by=cast["alice"],
    )  # fmt: skip
    bundle = produce_bundle(case_a, by=cast["alice"])
    assert Bundle.unscoped.get().stored_name in on_s3.objects()
    zipped = b"".join(services.read_bundle(bundle))
    assert hashlib.sha256(zipped).hexdigest() == bundle.zip_sha256


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_bring_back_the_buckets_files(on_s3, case_a, cast, tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.HARBOUR_KEY_FILE = settings.DATA_DIR / "keys" / "harbour-keys.json"
    settings.HARBOUR_KEYS_JSON = ""
    crypto.write_key_file(settings.HARBOUR_KEY_FILE, crypto.keyring())
    services.store_evidence(
        case_a, upload_file("chat.txt", b"03/03/2026, 21:00 - Unknown: hello\n" * 50),
        kind="export", by=cast["alice"],
    )  # fmt: skip
    before = on_s3.objects()
    run_backup()
    (backup,) = Path(settings.DATA_DIR / "backups").glob("*.hbk")

    s3 = on_s3.client()
    lost = next(iter(before))
    s3.delete_object(Bucket=on_s3.bucket, Key=lost)
    s3.put_object(Bucket=on_s3.bucket, Key="files/zz/stray.sealed", Body=b"stray")

    run_restore(backup)
    assert on_s3.objects() == before
