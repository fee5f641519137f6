"""The import pages: upload from the case, progress without script, who is who, the result, flags."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse

from harbour.accounts.models import User
from harbour.audit.models import AuditEvent
from harbour.cases.models import Case
from harbour.imports import services
from harbour.imports.models import EvidenceImport, MessageFlag
from tests.conftest import page_of
from tests.imports.conftest import CLIENT, SUSPECT, drive, upload, whatsapp

pytestmark = pytest.mark.django_db

THREAT = "If you go to the police I will kill you"


def test_the_case_page_links_to_imports(case_a: Case, as_user: Callable[[str], HttpClient]) -> None:
    html = page_of(
        as_user("alice").get(reverse("cases:detail", args=[case_a.public_id])),
        f"Case {case_a.reference}",
    )
    assert reverse("imports:case_imports", args=[case_a.public_id]) in html


@override_settings(HARBOUR_IMPORT_CHECK_MB=0)  # read in the background, so there is progress
def test_an_upload_stores_the_exhibit_and_shows_progress_that_refreshes_without_script(
    case_a: Case, as_user: Callable[[str], HttpClient]
) -> None:
    client = as_user("alice")
    response = client.post(
        reverse("imports:new", args=[case_a.public_id]),
        {"file": upload(whatsapp([("09:00", SUSPECT, THREAT)]))},
    )
    job = EvidenceImport.unscoped.get(case=case_a)
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports:detail", args=[job.public_id]
    )
    html = page_of(client.get(response["Location"]), f"Import of {job.exhibit.ref}")
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert "<progress" in html and "Waiting for a worker" in html
    assert (
        client.get(reverse("imports:progress", args=[job.public_id])).json()["status"] == "queued"
    )


def test_a_refused_file_is_shown_as_an_error_on_the_form(
    case_a: Case, as_user: Callable[[str], HttpClient]
) -> None:
    response = as_user("alice").post(
        reverse("imports:new", args=[case_a.public_id]), {"file": upload(b"just some words")}
    )
    html = page_of(response, "Error: Import an export")
    assert "cannot read this type of file" in html
    assert not EvidenceImport.unscoped.exists()


def test_the_advocate_chooses_who_is_who_with_the_proposal_preselected(
    case_a: Case,
    cast: dict[str, User],
    as_user: Callable[[str], HttpClient],
    suspect_on_case: object,
) -> None:
    data = whatsapp([("09:00", "+44 7911 123456", THREAT), ("09:01", CLIENT, "Leave me alone")])
    job = drive(services.start_import(case_a, upload(data), by=cast["alice"]))
    client = as_user("alice")
    html = page_of(
        client.get(reverse("imports:detail", args=[job.public_id])),
        f"Import of {job.exhibit.ref}",
    )
    assert "proposed: matches a phone number recorded for the suspect" in html
    assert re.search(r'name="suspect" type="radio" value="0"[^>]*checked', html), html
    assert re.search(r'name="client" type="radio" value="1"[^>]*checked', html)
    people = [p["name"] for p in job.participant_list()]
    response = client.post(
        reverse("imports:participants", args=[job.public_id]),
        {"suspect": people.index("+44 7911 123456"), "client": people.index(CLIENT)},
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == EvidenceImport.Status.QUEUED and job.stage == "import"
    assert job.suspect_id == suspect_on_case.pk  # type: ignore[attr-defined]


def test_the_result_shows_counts_the_volume_chart_with_its_table_and_the_flags(
    case_a: Case,
    cast: dict[str, User],
    as_user: Callable[[str], HttpClient],
    imported: Callable[..., EvidenceImport],
) -> None:
    job = imported(whatsapp([("09:00", SUSPECT, THREAT), ("23:30", SUSPECT, "Nice dress today")]))
    client = as_user("alice")
    html = page_of(
        client.get(reverse("imports:detail", args=[job.public_id])),
        f"Import of {job.exhibit.ref}",
    )
    assert "<noscript>" not in html
    assert 'role="img"' in html and "<desc" in html
    assert "Messages and calls per day" in html
    assert "Threat to kill" in html and "Monitoring or knowledge of movements" in html
    flags_html = page_of(
        client.get(reverse("imports:flags", args=[job.public_id])),
        f"Flags of import {job.exhibit.ref}",
    )
    assert "i will kill you" in flags_html  # the words that raised it
    assert "rule kill-you" in flags_html.lower()


def test_confirming_and_dismissing_a_flag_is_recorded_and_audited(
    cast: dict[str, User],
    as_user: Callable[[str], HttpClient],
    imported: Callable[..., EvidenceImport],
) -> None:
    job = imported(whatsapp([("09:00", SUSPECT, THREAT), ("09:10", SUSPECT, "Nice dress today")]))
    threat, dress = MessageFlag.unscoped.filter(source=job).order_by("message__seq")
    client = as_user("alice")
    client.post(reverse("imports:decide", args=[threat.public_id]), {"decision": "confirm"})
    client.post(reverse("imports:decide", args=[dress.public_id]), {"decision": "dismiss"})
    threat.refresh_from_db()
    dress.refresh_from_db()
    assert (threat.state, dress.state) == ("confirmed", "dismissed")
    assert threat.decided_by == cast["alice"]
    verbs = set(
        AuditEvent.objects.filter(
            object_id__in=[str(threat.public_id), str(dress.public_id)]
        ).values_list("verb", flat=True)
    )
    assert verbs == {"import.flag_confirmed", "import.flag_dismissed"}
    assert [f.pk for f in services.confirmed_flags(job.case)] == [threat.pk]


def test_the_diary_entry_lists_its_messages_with_their_lines(
    as_user: Callable[[str], HttpClient],
    imported: Callable[..., EvidenceImport],
) -> None:
    job = imported(whatsapp([("09:00", SUSPECT, "First one"), ("09:05", SUSPECT, "Second one")]))
    from harbour.evidence.models import Incident

    entry = Incident.unscoped.get(case=job.case)
    html = page_of(
        as_user("alice").get(reverse("evidence:incident_detail", args=[entry.public_id])),
        f"Diary entry {entry.ref}",
    )
    assert "First one" in html and "Second one" in html
    assert f"{job.exhibit.ref}, line 2" in html and f"{job.exhibit.ref}, line 3" in html
