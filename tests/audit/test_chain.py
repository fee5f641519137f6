"""The audit trail is a hash chain: every change writes a linked row, and `harbour audit verify`
names the first row that was edited or deleted."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from harbour.audit.chain import GENESIS, row_hash
from harbour.audit.log import chain_key, hashed_fields, record
from harbour.audit.models import AuditEvent, AuditHead
from harbour.cases.models import Case
from harbour.cases.services import open_case

pytestmark = pytest.mark.django_db


def _sql(statement: str, params: list[object]) -> None:
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=table), params)


def _verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


@pytest.fixture
def five_rows(cast, orgs):
    """A short trail written by real changes: a case opened, allocated, viewed, and a user disabled."""
    case = open_case(
        organisation=orgs["provider_a"],
        client_fields={"given_name": "Chainy"},
        by=cast["mia"],
        source="test",
    )
    record(  # as the allocation page's versioned save writes it
        actor=cast["mia"], verb="case.allocated", obj=case, payload={"fields": ["allocated_to"]}
    )
    record(actor=cast["alice"], verb="case.viewed", obj=case)
    record(actor=cast["mia"], verb="case.viewed", obj=case)
    cast["amir"].disable(by=cast["ada"])
    assert AuditEvent.objects.count() == 5
    return case


def test_every_change_writes_a_row_linked_to_the_one_before(five_rows):
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert [e.verb for e in events] == [
        "case.opened",
        "case.allocated",
        "case.viewed",
        "case.viewed",
        "user.disabled",
    ]
    previous = GENESIS
    for event in events:
        assert event.prev_hash == previous
        assert event.hash == row_hash(previous, hashed_fields(event), chain_key())
        previous = event.hash
    head = AuditHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (5, events[-1].hash)


def test_rows_say_who_did_what_to_which_record(five_rows, cast):
    opened = AuditEvent.objects.get(seq=1)
    assert opened.actor_id == cast["mia"].pk
    assert opened.actor_username == "mia"
    assert opened.organisation_id == cast["mia"].organisation_id
    assert (opened.object_type, opened.object_id) == ("cases.case", str(five_rows.public_id))
    disabled = AuditEvent.objects.get(seq=5)
    assert (disabled.object_type, disabled.object_id) == ("accounts.user", str(cast["amir"].pk))


def test_an_audit_row_is_written_in_the_same_transaction_as_its_change(cast, orgs):
    with pytest.raises(RuntimeError), transaction.atomic():
        open_case(
            organisation=orgs["provider_a"],
            client_fields={"given_name": "Rolledback"},
            by=cast["mia"],
            source="test",
        )
        raise RuntimeError("the surrounding change failed")
    assert not Case.objects.system("test").exists()
    assert not AuditEvent.objects.exists()
    assert AuditHead.objects.filter(seq__gt=0).count() == 0
    assert "0 rows verified" in _verify()


def test_a_row_reads_back_exactly_as_it_was_hashed(cast, rf):
    """The row is written by SQL prepared once from the model (not ``save()``): every field, the
    JSON payload, the address and the time with its microseconds included, reads back as hashed."""
    request = rf.get("/", REMOTE_ADDR="192.0.2.7")
    written = record(
        actor=cast["alice"],
        verb="case.viewed",
        object_type="cases.case",
        object_id="abc",
        payload={"fields": ["given_name"], "count": 2, "note": "quote ' and \\ slash"},
        request=request,
    )
    stored = AuditEvent.objects.get(pk=written.pk)
    assert hashed_fields(stored) == hashed_fields(written)
    assert (stored.prev_hash, stored.hash) == (written.prev_hash, written.hash)
    assert stored.ip_address == "192.0.2.7"
    assert stored.payload["note"] == "quote ' and \\ slash"
    assert "Audit chain intact: 1 rows verified." in _verify()


def test_writing_a_row_sends_the_save_signal_once(cast):
    """Metrics and alerts listen for new rows."""
    from django.db.models.signals import post_save

    seen = []

    def listener(sender, instance, created, **kwargs):
        seen.append((instance.seq, instance.pk is not None, created))

    post_save.connect(listener, sender=AuditEvent, dispatch_uid="test-audit-signal")
    try:
        record(actor=cast["alice"], verb="case.viewed", object_type="cases.case", object_id="x")
    finally:
        post_save.disconnect(dispatch_uid="test-audit-signal", sender=AuditEvent)
    assert seen == [(1, True, True)]


def test_a_row_costs_two_statements_on_postgresql_and_three_on_sqlite(cast):
    """Lock and read the head; insert the row and move the head (one statement on PostgreSQL,
    where the write is on every staff page's path). Inside the test's transaction the block is a
    savepoint: two statements more."""
    record(actor=cast["alice"], verb="case.viewed", object_type="cases.case", object_id="x")
    with CaptureQueriesContext(connection) as captured:
        record(actor=cast["alice"], verb="case.viewed", object_type="cases.case", object_id="y")
    expected = 2 if connection.vendor == "postgresql" else 3
    assert len(captured.captured_queries) == expected + 2
    assert AuditHead.objects.get(pk=1).seq == 2


def test_verify_passes_on_an_untouched_trail(five_rows):
    assert "Audit chain intact: 5 rows verified." in _verify()


def test_verify_passes_on_an_empty_trail(db):
    assert "Audit chain intact: 0 rows verified." in _verify()


def test_the_models_refuse_to_edit_or_delete_audit_rows(five_rows):
    event = AuditEvent.objects.get(seq=2)
    event.verb = "nothing.happened"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(seq=2).update(verb="nothing.happened")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(seq=2).delete()


def test_editing_a_row_with_raw_sql_is_reported_at_that_row(five_rows):
    _sql("UPDATE {table} SET verb = %s WHERE seq = %s", ["case.closed", 3])
    with pytest.raises(CommandError, match=r"BROKEN at row #3: row #3 was changed") as caught:
        _verify()
    assert "2 rows before it are intact" in str(caught.value)


def test_editing_a_rows_address_or_time_is_reported_at_that_row(five_rows):
    _sql("UPDATE {table} SET ip_address = %s WHERE seq = %s", ["198.51.100.7", 2])
    with pytest.raises(CommandError, match=r"BROKEN at row #2"):
        _verify()


def test_rewriting_a_row_and_its_own_hash_is_caught_at_the_next_row(five_rows):
    event = AuditEvent.objects.get(seq=2)
    fields = hashed_fields(event)
    fields["verb"] = "case.closed"
    forged = row_hash(event.prev_hash, fields, chain_key())
    _sql("UPDATE {table} SET verb = %s, hash = %s WHERE seq = %s", ["case.closed", forged, 2])
    with pytest.raises(CommandError, match=r"BROKEN at row #3: row #3 does not follow row #2"):
        _verify()


def test_deleting_a_row_is_reported_at_the_missing_row(five_rows):
    _sql("DELETE FROM {table} WHERE seq = %s", [2])
    with pytest.raises(CommandError, match=r"BROKEN at row #2: row #2 is missing") as caught:
        _verify()
    assert "1 rows before it are intact" in str(caught.value)


def test_deleting_the_first_row_is_reported_at_row_one(five_rows):
    _sql("DELETE FROM {table} WHERE seq = %s", [1])
    with pytest.raises(CommandError, match=r"BROKEN at row #1"):
        _verify()


def test_deleting_the_last_row_is_reported_at_that_row(five_rows):
    _sql("DELETE FROM {table} WHERE seq = %s", [5])
    with pytest.raises(CommandError, match=r"BROKEN at row #5: rows after #4 are missing"):
        _verify()


def test_deleting_the_last_rows_is_reported_at_the_first_of_them(five_rows):
    _sql("DELETE FROM {table} WHERE seq >= %s", [4])
    with pytest.raises(CommandError, match=r"BROKEN at row #4"):
        _verify()


def test_writing_after_a_verification_keeps_the_chain_intact(five_rows, cast):
    _verify()
    record(actor=cast["bea"], verb="case.list_viewed", payload={"count": 0})
    assert "6 rows verified" in _verify()


def test_deleting_the_last_row_and_the_chain_head_is_still_reported(five_rows):
    _sql("DELETE FROM {table} WHERE seq = %s", [5])
    AuditHead.objects.all().delete()
    with pytest.raises(CommandError, match=r"BROKEN at row #4: the chain head is missing"):
        _verify()


def test_verify_prints_the_chain_head_so_it_can_be_noted_elsewhere(five_rows):
    head = AuditHead.objects.get(pk=1)
    assert f"Chain head: row #5, hash {head.hash}" in _verify()
