"""The import's shortcuts for speed store exactly what the ordinary field code would."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable

import pytest
from django.db import connection

from harbour.core.crypto import keyring
from harbour.imports import services
from harbour.imports.models import EvidenceImport, ImportedMessage
from tests.imports.conftest import SUSPECT, chat

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "local",
    [
        datetime.datetime(
            2026, 3, 29, 0, 59, tzinfo=LONDON
        ),  # the hour before the clocks go forward
        datetime.datetime(
            2026, 3, 29, 2, 30, tzinfo=LONDON
        ),  # an hour that does not exist that night
        datetime.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),  # an hour that happens twice
        datetime.datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),
        datetime.datetime(2026, 7, 1, 23, 59, 59, 123456, tzinfo=LONDON),
        datetime.datetime(2026, 12, 31, 23, 59, tzinfo=LONDON),
    ],
)
def test_the_import_stores_a_time_as_the_database_backend_would(local: datetime.datetime) -> None:
    assert services._time_adapter()(local) == connection.ops.adapt_datetimefield_value(local)


@pytest.mark.django_db
def test_local_times_are_stored_as_the_database_backend_would_on_every_day_of_a_year() -> None:
    """Including the days the clocks change, and the hours that do not exist or happen twice."""
    stamps = services._Stamps(LONDON)
    adapt_day = connection.ops.adapt_datefield_value
    start = datetime.datetime(2026, 1, 1)  # noqa: DTZ001 - a wall-clock time, as exports give
    for minutes in range(0, 366 * 24 * 60, 37):
        naive = start + datetime.timedelta(minutes=minutes)
        local = naive.replace(tzinfo=LONDON)
        assert stamps(naive) == (
            connection.ops.adapt_datetimefield_value(local),
            naive.date(),
            adapt_day(naive.date()),
        ), naive
    aware = datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC)
    assert stamps(aware) == (
        connection.ops.adapt_datetimefield_value(aware),
        datetime.date(2026, 3, 29),
        adapt_day(datetime.date(2026, 3, 29)),
    )
    assert stamps(None) == (None, None, None)


@pytest.mark.django_db
def test_every_value_the_import_encrypts_has_its_own_nonce_and_reads_back_through_its_field() -> (
    None
):
    ring = keyring()
    field = ImportedMessage._meta.get_field("text")
    seal = services._Sealer(ring, field.crypto_context)
    seal.NONCES = 3  # the pool is refilled several times
    texts = [f"message {i}" for i in range(10)] + ["message 0"]
    sealed = [seal(t) for t in texts]
    nonces = [bytes.fromhex(s.rsplit(":", 1)[1])[:12] for s in sealed]
    assert len(set(nonces)) == len(texts)
    assert len(set(sealed)) == len(texts)  # the same text twice is two different ciphertexts
    assert [field.from_db_value(s, None, connection) for s in sealed] == texts


def _cache_size() -> int | None:
    if connection.vendor != "sqlite":
        return None  # PostgreSQL: the import leaves the connection's settings alone
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return int(cursor.fetchone()[0])


def test_an_import_leaves_the_connections_page_cache_as_it_found_it(
    imported: Callable[..., EvidenceImport],
) -> None:
    before = _cache_size()
    job = imported(chat(days=2, per_day=3))
    assert job.status == EvidenceImport.Status.DONE
    assert job.added == ImportedMessage.unscoped.filter(source=job).count() == 9
    assert _cache_size() == before


def test_a_messages_fingerprint_is_the_keyrings_blind_index_of_what_it_says(
    imported: Callable[..., EvidenceImport],
) -> None:
    """Computed in one call per message, it must stay what earlier imports stored, or a later
    export of the same chat would add its messages again."""
    job = imported(chat(days=1, per_day=1))
    stored = ImportedMessage.unscoped.get(source=job, party=ImportedMessage.Party.SUSPECT)
    basis = "\x00".join(
        ("whatsapp", "2026-03-01T09:00:00", SUSPECT, "", "message", "Message 0103-0", "")
    )
    assert stored.fingerprint == keyring().blind_index("import_message", f"{basis}\x001")[:32]
