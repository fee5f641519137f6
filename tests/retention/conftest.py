"""Shared set-up for retention, erasure and subject access: a case with one of everything."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from harbour.cases.models import Case
from harbour.chat.models import Chat
from harbour.referrals.models import Referral
from tests.cases.test_scoping import full_case  # noqa: F401  (a fixture: one of every model)


def close(case: Case, years_ago: float) -> Case:
    Case.unscoped.filter(pk=case.pk).update(
        status=Case.Status.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=365 * years_ago),
        closure_reason=Case.ClosureReason.SUPPORT_COMPLETE,
        closure_note="Zebedee moved in with her sister in Larkspur.",
    )
    return Case.unscoped.get(pk=case.pk)


def figures() -> dict[str, Any]:
    """What the figures are made of: rows per model, and cases, referrals and chats counted by
    every categorical field a report groups on."""
    case_fields = [
        "organisation_id", "status", "relationship_to_suspect", "gender", "age_band",
        "ethnicity", "disability", "risk_level", "closure_reason", "domestic_abuse",
        "cyber_elements", "enhanced_rights", "opened_at", "closed_at",
    ]  # fmt: skip
    return {
        "rows": {
            m._meta.label_lower: m._base_manager.count()
            for m in apps.get_models()
            if m._meta.label_lower not in {"audit.auditevent", "audit.audithead"}
            and m._meta.app_label not in {"retention", "sessions", "django_tasks_db"}
        },
        "cases": Counter(Case.unscoped.values_list(*case_fields)),
        "referrals": Counter(
            Referral.unscoped.values_list("source", "kind", "status", "received_at", "outcome_at")
        ),
        "chats": Counter(
            Chat.unscoped.values_list("status", "outcome", "offered_at", "visitor_messages")
        ),
    }


def raw_database_text() -> str:
    """Every text value in every table, read without Django's fields (no decryption)."""
    parts = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            parts += [str(v) for row in cursor.fetchall() for v in row if v is not None]
    return "\n".join(parts)


@pytest.fixture
def rules_file(tmp_path):
    def write(text: str):
        path = tmp_path / "rules.toml"
        path.write_text(text)
        return path

    return write
