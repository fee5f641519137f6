"""A database administrator cannot rewrite the audit trail unseen: the chain is keyed with a key
from the keyring (not in the database), and a signed anchor of the head, kept elsewhere, catches
rows cut from the end, a rewound head and an emptied table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from harbour.audit.chain import legacy_row_hash
from harbour.audit.log import hashed_fields, record
from harbour.audit.models import AuditEvent, AuditHead

pytestmark = pytest.mark.django_db


def _sql(statement: str, params: list[object] | None = None) -> None:
    events = connection.ops.quote_name(AuditEvent._meta.db_table)
    head = connection.ops.quote_name(AuditHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=events, head=head), params or [])


@pytest.fixture
def trail(cast):
    for number in range(8):
        record(
            actor=cast["alice"], verb="case.viewed", object_type="cases.case", object_id=str(number)
        )


@pytest.fixture
def anchor(trail, tmp_path: Path) -> Path:
    path = tmp_path / "anchor.json"
    call_command("audit", "anchor", "--output", str(path))
    return path


def verify(anchor: Path) -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", "--anchor", str(anchor), stdout=out)
    return out.getvalue()


def rewind_head_to(seq: int) -> None:
    row = AuditEvent.objects.get(seq=seq)
    _sql("UPDATE {head} SET seq = %s, hash = %s", [seq, row.hash])


def test_the_anchor_is_the_signed_head(anchor):
    data = json.loads(anchor.read_text())
    head = AuditHead.objects.get(pk=1)
    assert (data["seq"], data["hash"]) == (head.seq, head.hash)
    assert data["at"] and len(data["signature"]) == 64


def test_an_untouched_trail_passes_against_its_anchor_and_after_more_rows(anchor, cast):
    assert "Everything up to the anchor (row #8) is present." in verify(anchor)
    record(actor=cast["mia"], verb="case.viewed")
    assert "9 rows verified" in verify(anchor)


def test_deleting_the_last_rows_and_rewinding_the_head_is_detected(anchor):
    _sql("DELETE FROM {table} WHERE seq > %s", [5])
    rewind_head_to(5)
    call_command("audit", "verify")  # without the anchor this looks intact
    with pytest.raises(CommandError, match=r"rows after #5 are missing: .*anchored at row #8"):
        verify(anchor)


def test_deleting_every_row_after_n_is_detected(anchor):
    _sql("DELETE FROM {table} WHERE seq > %s", [3])
    with pytest.raises(CommandError, match=r"BROKEN at row #4"):
        verify(anchor)


def test_deleting_every_row_and_the_head_is_detected(anchor):
    _sql("DELETE FROM {table}")
    _sql("DELETE FROM {head}")
    call_command("audit", "verify")  # an empty trail on its own is not an error
    with pytest.raises(CommandError, match=r"the trail is empty but was anchored at row #8"):
        verify(anchor)


def test_editing_a_row_and_recomputing_every_later_hash_is_detected(anchor):
    """The attacker knows the algorithm but not the key: they recompute with plain SHA-256."""
    _sql("UPDATE {table} SET object_id = %s WHERE seq = %s", ["999", 3])
    previous = AuditEvent.objects.get(seq=2).hash
    for event in AuditEvent.objects.filter(seq__gte=3).order_by("seq"):
        forged = legacy_row_hash(previous, hashed_fields(event))
        _sql(
            "UPDATE {table} SET prev_hash = %s, hash = %s WHERE seq = %s",
            [previous, forged, event.seq],
        )
        previous = forged
    _sql("UPDATE {head} SET hash = %s", [previous])
    with pytest.raises(CommandError, match=r"BROKEN at row #3: row #3 was changed"):
        call_command("audit", "verify")
    with pytest.raises(CommandError, match=r"BROKEN at row #3"):
        verify(anchor)


def test_the_chain_key_is_not_in_the_database(trail):
    from harbour.audit.log import chain_key

    key = chain_key().hex()
    with connection.cursor() as cursor:
        for model in (AuditEvent, AuditHead):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            assert key not in repr(cursor.fetchall())


def test_an_edited_anchor_is_refused(anchor):
    data = json.loads(anchor.read_text())
    data["seq"] = 3
    anchor.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="Anchor refused: the anchor's signature"):
        verify(anchor)


def test_anchor_prints_to_stdout_without_a_file(trail, capsys):
    call_command("audit", "anchor")
    assert json.loads(capsys.readouterr().out)["seq"] == 8


def _legacy_chain(rows: int, *, break_at: int | None = None) -> None:
    """Rewrite the trail as the first release wrote it (plain SHA-256)."""
    from harbour.audit.chain import GENESIS

    previous = GENESIS
    for event in AuditEvent.objects.order_by("seq")[:rows]:
        digest = legacy_row_hash(previous, hashed_fields(event))
        if event.seq == break_at:
            digest = "f" * 64
        _sql(
            "UPDATE {table} SET prev_hash = %s, hash = %s WHERE seq = %s",
            [previous, digest, event.seq],
        )
        previous = digest
    _sql("UPDATE {head} SET hash = %s", [previous])


def _rekey() -> None:
    import importlib

    from django.db.migrations.loader import MigrationLoader

    module = importlib.import_module("harbour.audit.migrations.0002_keyed_chain")
    state = MigrationLoader(connection).project_state(("audit", "0002_keyed_chain"))
    module.rekey(state.apps, None)


def test_upgrading_re_keys_an_intact_first_release_chain(trail):
    _legacy_chain(8)
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    _rekey()
    call_command("audit", "verify")


def test_upgrading_refuses_to_re_key_a_broken_chain(trail):
    _legacy_chain(8, break_at=4)
    with pytest.raises(RuntimeError, match="broken at row #4"):
        _rekey()
