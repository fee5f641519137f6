"""Subject access: everything held about a client as a readable ZIP (pages and JSON, evidence
files, the audit of who viewed their records), for the case's manager only, after
re-authentication; and erasure from the same page, refused while the case is open."""

from __future__ import annotations

import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from harbour.accounts.stepup import REAUTH_AT
from harbour.audit.log import record
from harbour.audit.models import AuditEvent
from harbour.audit.verbs import AuditVerb
from harbour.cases.models import Case, Client
from harbour.evidence.models import EvidenceItem
from harbour.retention.models import Erasure
from harbour.retention.services import write_subject_access_archive
from tests.conftest import page_of
from tests.retention.conftest import close

pytestmark = pytest.mark.django_db


def archive_of(case, cast) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    write_subject_access_archive(case, buffer, by=cast["mia"])
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def test_the_archive_holds_the_clients_details_every_record_and_readable_pages(full_case, cast):
    archive = archive_of(full_case, cast)
    names = set(archive.namelist())
    assert {"index.html", "data.json", "audit.html", "audit.json"} <= names
    data = json.loads(archive.read("data.json"))
    assert data["Clients"][0]["given name"] == "Zebedee"
    for section in ("Cases", "Incidents", "Evidence items", "Suspects"):
        assert data.get(section), section
    page = archive.read("index.html").decode()
    assert "Zebedee" in page and "14 Larkspur Crescent" in page
    assert "<script" not in page


def test_the_archive_holds_each_evidence_file_as_it_was_uploaded(full_case, cast):
    archive = archive_of(full_case, cast)
    item = EvidenceItem.unscoped.filter(case=full_case, kind="document").get()
    assert archive.read(f"evidence/{item.download_name}") == b"He was outside again at 23:10.\n"


def test_the_archive_says_who_viewed_the_record_when_and_from_where(full_case, cast):
    record(actor=cast["amir"], verb=AuditVerb.CASE_VIEWED, obj=full_case)
    events = json.loads(archive_of(full_case, cast).read("audit.json"))
    viewed = [e for e in events if e["Who"] == "amir"]
    assert viewed and viewed[0]["What"] == "Case: viewed"
    assert {"When", "From address", "Record"} <= set(viewed[0])


def test_the_export_is_audited_without_content(full_case, cast):
    archive_of(full_case, cast)
    (event,) = AuditEvent.objects.filter(verb="record.subject_access_exported")
    assert event.actor_username == "mia" and event.object_id == full_case.audit_id
    assert event.payload["evidence_files"] >= 1 and "Zebedee" not in json.dumps(event.payload)


def test_the_command_writes_an_owner_only_archive_for_the_manager(case_a, cast, tmp_path):
    out = StringIO()
    target = tmp_path / "sar.zip"
    call_command(
        "subject-access", case_a.reference, "--by", "mia", "--output", str(target), stdout=out
    )
    assert (target.stat().st_mode & 0o777) == 0o600
    assert "Wrote" in out.getvalue() and zipfile.is_zipfile(target)


def test_the_command_refuses_anyone_but_the_cases_manager(case_a, tmp_path, cast):
    for name in ("alice", "bea"):
        with pytest.raises(CommandError, match="Only a manager"):
            call_command(
                "subject-access", case_a.reference, "--by", name, "--output", str(tmp_path / "x")
            )
    assert not (tmp_path / "x").exists()


def stepped_up(client):
    session = client.session
    import time

    session[REAUTH_AT] = time.time()
    session.save()
    return client


def test_the_manager_downloads_the_archive_after_re_authenticating(case_a, as_user):
    mia = as_user("mia")
    url = reverse("retention:export", args=[case_a.public_id])
    assert mia.post(url)["Location"].startswith(reverse("accounts:reauthenticate"))
    response = stepped_up(mia).post(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="information-held.zip"'
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "Zebedee" in archive.read("index.html").decode()


def test_the_page_says_an_open_case_cannot_be_erased_yet(case_a, as_user):
    html = page_of(
        as_user("mia").get(reverse("retention:information_held", args=[case_a.public_id])),
        "Information held",
    )
    assert "The case is not closed" in html and "Erase this case" not in html


def test_erasing_an_open_case_is_refused_and_audited(case_a, as_user, cast):
    mia = stepped_up(as_user("mia"))
    url = reverse("retention:erase", args=[case_a.public_id])
    mia.post(url, {"ground": "erasure_request", "reference": case_a.reference})
    assert Client.unscoped.get(pk=case_a.client_id).given_name == "Zebedee"
    assert AuditEvent.objects.filter(verb="record.erasure_refused").count() == 1
    with pytest.raises(CommandError, match="not closed"):
        call_command(
            "erase", case_a.reference, "--by", "mia", "--ground", "erasure_request", "--yes"
        )


def test_the_manager_erases_a_closed_case_after_typing_its_reference(case_a, as_user):
    case = close(case_a, years_ago=1)
    mia = stepped_up(as_user("mia"))
    url = reverse("retention:erase", args=[case.public_id])
    wrong = mia.post(url, {"ground": "erasure_request", "reference": "HB-XXXX-XXXX"})
    assert "is not this case" in page_of(wrong, "Error: Information held")
    assert not Erasure.objects.exists()
    done = mia.post(url, {"ground": "erasure_request", "reference": case.reference.lower()})
    assert done.status_code == 302
    assert Client.unscoped.get(pk=case.client_id).given_name == ""
    erasure = Erasure.objects.get()
    assert erasure.ground == "erasure_request" and erasure.erased_by_id is not None
    event = AuditEvent.objects.get(verb="record.erased")
    assert event.actor_username == "mia" and event.payload["ground"] == "erasure_request"
    html = page_of(
        mia.get(reverse("retention:information_held", args=[case.public_id])),
        "Information held",
    )
    assert "This case was erased on" in html
    assert Case.unscoped.get(pk=case.pk).status == Case.Status.CLOSED
