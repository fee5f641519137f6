"""The incident diary: contemporaneous log times nobody can edit, corrections that keep every
version, quick entry with a count, and the content encrypted at rest."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.evidence import services
from harbour.evidence.models import Incident, IncidentVersion
from tests.evidence.conftest import entry

pytestmark = pytest.mark.django_db


def test_logging_an_incident_sets_the_log_time_and_author_and_audits_it(log, case_a, cast):
    before = timezone.now()
    incident = log(count=17)
    assert before <= incident.logged_at <= timezone.now()
    assert incident.logged_by == cast["alice"] and incident.ref == "D001"
    event = AuditEvent.objects.filter(verb="evidence.incident_logged").get()
    assert event.object_id == str(case_a.public_id)
    assert event.payload["count"] == 17
    assert "withheld" not in str(event.payload)


def test_the_log_time_cannot_be_edited_by_saving_the_incident(log):
    incident = log()
    incident.logged_at = timezone.now() - datetime.timedelta(days=30)
    with pytest.raises(PermissionError):
        incident.save()
    with pytest.raises(PermissionError):
        incident.save(update_fields=["logged_at"])


def test_a_posted_log_time_is_ignored_by_the_form(as_user, case_a):
    client = as_user("alice")
    response = client.post(
        f"/evidence/cases/{case_a.public_id}/diary/new/",
        {
            "precision": "exact",
            "on": "2026-03-03",
            "at": "21:00",
            "count": "1",
            "behaviours": ["calls"],
            "what_happened": "He called",
            "reporter": "client",
            "logged_at": "2020-01-01T00:00",
            "number": "99",
        },
    )
    assert response.status_code == 302
    incident = Incident.unscoped.get(case=case_a)
    assert incident.number == 1
    assert incident.logged_at > timezone.now() - datetime.timedelta(minutes=5)


def test_versions_are_append_only(log):
    incident = log()
    version = services.current_version_of(incident)
    version.what_happened = "rewritten"
    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        IncidentVersion.unscoped.filter(incident=incident).update(count=5)
    with pytest.raises(PermissionError):
        IncidentVersion.unscoped.filter(incident=incident).delete()


def test_a_correction_adds_a_version_and_keeps_the_earlier_one(log, cast):
    incident = log(count=3, what_happened="Three calls")
    services.correct_incident(
        incident,
        by=cast["alice"],
        data=entry(count=4, what_happened="Four calls"),
        reason="The call log shows four",
        based_on=1,
    )
    versions = list(IncidentVersion.unscoped.filter(incident=incident).order_by("number"))
    assert [(v.number, v.count, v.what_happened) for v in versions] == [
        (1, 3, "Three calls"),
        (2, 4, "Four calls"),
    ]
    assert versions[1].correction_reason == "The call log shows four"
    incident.refresh_from_db()
    assert incident.current_version == 2
    event = AuditEvent.objects.filter(verb="evidence.incident_corrected").get()
    assert event.payload == {"version": 2, "fields": ["count", "what_happened"]}


def test_a_correction_needs_a_reason(log, cast):
    incident = log()
    with pytest.raises(services.EvidenceRuleError, match="why"):
        services.correct_incident(incident, by=cast["alice"], data=entry(), reason=" ", based_on=1)


def test_a_correction_made_on_an_old_version_is_refused(log, cast):
    incident = log()
    services.correct_incident(
        incident, by=cast["alice"], data=entry(count=2), reason="a", based_on=1
    )
    with pytest.raises(services.StaleCorrection):
        services.correct_incident(
            incident, by=cast["mia"], data=entry(count=5), reason="b", based_on=1
        )


def test_the_correction_page_shows_the_history_and_the_unchanged_log_time(log, cast, as_user):
    incident = log(what_happened="First account")
    services.correct_incident(
        incident,
        by=cast["alice"],
        data=entry(what_happened="Second account"),
        reason="Client remembered more",
        based_on=1,
    )
    page = as_user("alice").get(f"/evidence/incidents/{incident.public_id}/").content.decode()
    assert "Second account" in page and "First account" in page
    assert "Client remembered more" in page
    assert "cannot be changed" in page


def test_quick_entry_logs_many_small_acts_as_one_entry_with_a_count(as_user, case_a, suspect):
    client = as_user("alice")
    response = client.post(
        f"/evidence/cases/{case_a.public_id}/diary/quick/",
        {
            "behaviour": "calls",
            "count": "17",
            "on": "2026-03-03",
            "start": "21:00",
            "end": "23:00",
            "suspect": str(suspect.pk),
            "note": "withheld number",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/diary/quick/")  # straight back for the next one
    version = IncidentVersion.unscoped.get(incident__case=case_a)
    assert version.count == 17 and version.behaviours == ["calls"]
    assert version.precision == "range" and version.suspect == suspect
    start = timezone.localtime(version.occurred_at)
    end = timezone.localtime(version.occurred_until)
    assert (start.hour, end.hour) == (21, 23)
    assert version.when_text() == "3 Mar 2026, 21:00 to 23:00"


def test_a_suspect_from_another_case_is_refused(log, case_b, case_a, cast):
    from harbour.cases.models import Suspect

    other = Suspect.unscoped.create(case=case_b, names="Someone Else")
    with pytest.raises(services.EvidenceRuleError):
        services.log_incident(case_a, by=cast["alice"], data=entry(suspect=other))


def test_what_happened_where_and_witnesses_are_encrypted_in_the_database(log):
    log(what_happened="Zanzibar flamingo", location="Quixotic Lane", witnesses="Mr Ploughwright")
    with connection.cursor() as cursor:
        cursor.execute("SELECT what_happened, location, witnesses FROM evidence_incidentversion")
        row = cursor.fetchone()
    assert all(value.startswith("hb1:") for value in row)
    assert "Zanzibar" not in "".join(row)


def test_the_diary_lists_entries_for_caseworkers_only(log, as_user, case_a):
    log(what_happened="Parked outside")
    assert (
        "Parked outside"
        in as_user("alice").get(f"/evidence/cases/{case_a.public_id}/diary/").content.decode()
    )
    assert as_user("amir").get(f"/evidence/cases/{case_a.public_id}/diary/").status_code == 404
    assert as_user("pete").get(f"/evidence/cases/{case_a.public_id}/diary/").status_code == 404


def test_the_pattern_page_links_each_statement_to_its_incidents(log, as_user, case_a):
    first = log(behaviours=["threats"], effects=["fear_of_violence"])
    second = log(behaviours=["approach_home"], effects=["fear_of_violence"])
    page = as_user("alice").get(f"/evidence/cases/{case_a.public_id}/pattern/").content.decode()
    assert "indicator met (at least two occasions)" in page
    assert f"/evidence/incidents/{first.public_id}/" in page
    assert f"/evidence/incidents/{second.public_id}/" in page
    assert "<svg" in page and "Fixated" in page and "Repeated" in page


def test_an_exact_entry_without_a_time_is_recorded_as_approximate(as_user, case_a):
    as_user("alice").post(
        f"/evidence/cases/{case_a.public_id}/diary/new/",
        {
            "precision": "exact",
            "on": "2026-03-03",
            "count": "1",
            "behaviours": ["gifts"],
            "what_happened": "Flowers on the doorstep",
            "reporter": "client",
        },
    )
    version = IncidentVersion.unscoped.get(incident__case=case_a)
    assert version.precision == "approximate" and version.time_known is False
    assert version.when_text() == "about 3 Mar 2026 (time not known)"


def test_a_long_diary_is_paginated_and_statements_list_a_bounded_number_of_entries(
    log, as_user, case_a
):
    for _ in range(105):
        log(behaviours=["calls"])
    client = as_user("alice")
    first = client.get(f"/evidence/cases/{case_a.public_id}/diary/").content.decode()
    assert "105 entries, 105 acts" in first and "D105" in first and "D005" not in first
    older = client.get(f"/evidence/cases/{case_a.public_id}/diary/?page=2").content.decode()
    assert "D005" in older
    pattern = client.get(f"/evidence/cases/{case_a.public_id}/pattern/").content.decode()
    assert "and 65 more (see the diary)" in pattern
