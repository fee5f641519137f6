"""Audit verbs are an enumeration: record() refuses any other, and people read them as words."""

from __future__ import annotations

import pytest

from harbour.audit.log import record
from harbour.audit.models import AuditEvent
from harbour.audit.verbs import AuditVerb, label_of


@pytest.mark.django_db
def test_record_refuses_a_verb_that_is_not_in_the_enumeration_and_writes_nothing() -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="not an audit verb"):
        record(actor=None, verb="case.viewd", username="test")
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_a_verb_given_as_its_string_is_stored_as_the_enumerations_value() -> None:
    event = record(actor=None, verb="case.viewed", username="test")
    assert event.verb == AuditVerb.CASE_VIEWED == "case.viewed"


def test_every_verb_reads_noun_dot_action_and_has_words_for_people() -> None:
    for verb in AuditVerb:
        noun, action = verb.value.split(".")
        assert noun and action and verb.value == verb.value.lower()
        assert verb.label.startswith(noun.replace("_", " ").capitalize() + ": ")
    assert AuditVerb.CASE_ADDRESS_REVEALED.label == "Case: address revealed"


def test_a_stored_verb_no_longer_listed_is_shown_as_it_was_written() -> None:
    assert label_of("case.something_old") == "case.something_old"
    assert label_of("case.viewed") == "Case: viewed"


def test_the_access_log_shows_words_not_codes(as_user, case_a) -> None:
    as_user("alice").get(f"/cases/{case_a.public_id}/")
    page = as_user("mia").get(f"/cases/{case_a.public_id}/access-log/").content.decode()
    assert "Case: viewed" in page
    assert ">case.viewed<" not in page
