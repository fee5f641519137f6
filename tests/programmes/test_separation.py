"""The perpetrator programme is kept apart from victims' records, both ways.

Programme staff get "Page not found" for every case page; advocates and managers get it for every
programme page. A police coordinator sees the status of a participant their force holds a Stalking
Protection Order for, never session notes or risk reviews. An advocate sees only whether the suspect
on their case is attending, and only where the programme allows it and the client asked to know."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from harbour.cases import services as cases
from harbour.programmes import services
from harbour.programmes.models import ProgrammeSession
from tests.conftest import page_of
from tests.factories import SuspectFactory

pytestmark = pytest.mark.django_db

NOTE = "Described driving past her house on the way to the session"
RISK_NOTE = "Escalating: new phone number found"


@pytest.fixture
def participant(orgs, cast):
    priya = cast["priya"]
    found = services.add_participant(
        orgs["programme"],
        by=priya,
        given_name="Lysander",
        family_name="Example",
        phone="07911 123777",
        route="spo",
        referring_force=orgs["police"],
        order_reference="SPO/NS/2027/0042",
        practitioner=priya,
        share_attendance_with_victim_services=True,
    )
    services.start_programme(
        found, first_session=timezone.localdate() - datetime.timedelta(days=7), by=priya
    )
    first = ProgrammeSession.objects.for_user(priya).get(participant=found, number=1)
    services.record_session(
        first, status="attended", notes=NOTE, planned_on=first.planned_on, by=priya
    )
    services.review_risk(found, level="high", notes=RISK_NOTE, by=priya)
    services.tell_referrer(found, kind="started", message="Attended the first session.", by=priya)
    return found


def _suspect_on(case, phone):
    suspect = SuspectFactory(case=case)
    cases.set_suspect_identifiers(suspect, {"phone": [phone]})
    return suspect


PROGRAMME_PAGES = [
    "/programmes/",
    "/programmes/participants/new/",
    "/programmes/participants/{p}/",
    "/programmes/participants/{p}/risk/",
    "/programmes/participants/{p}/tell-referrer/",
    "/programmes/participants/{p}/end/",
    "/programmes/sessions/{s}/",
]


@pytest.mark.parametrize("person", ["alice", "amir", "mia", "bob", "bea", "tariq", "ada", "cora"])
@pytest.mark.parametrize("template", PROGRAMME_PAGES)
def test_victim_services_never_reach_a_programme_page(person, template, participant, as_user):
    session = ProgrammeSession.objects.system("test").get(participant=participant, number=1)
    url = template.format(p=participant.public_id, s=session.public_id)
    assert as_user(person).get(url).status_code == 404


@pytest.mark.parametrize(
    "template",
    [
        "/cases/",
        "/cases/{c}/",
        "/cases/{c}/contact-log/",
        "/evidence/cases/{c}/diary/",
        "/referrals/",
        "/programmes/cases/{c}/suspect-attendance/",
    ],
)
def test_programme_staff_never_reach_a_victims_record(template, case_a, participant, as_user):
    response = as_user("priya").get(template.format(c=case_a.public_id))
    assert response.status_code == 404


def test_the_practitioner_sees_notes_and_risk(participant, as_user):
    page = page_of(
        as_user("priya").get(f"/programmes/participants/{participant.public_id}/"), "Participant"
    )
    assert NOTE in page and RISK_NOTE in page


def test_the_force_holding_the_order_sees_status_and_updates_but_no_notes(participant, as_user):
    pete = as_user("pete")
    listing = page_of(pete.get("/programmes/referred-by-police/"), "Programme referrals")
    assert participant.reference in listing and "SPO/NS/2027/0042" in listing
    page = page_of(
        pete.get(f"/programmes/referred-by-police/{participant.public_id}/"), "Programme status"
    )
    assert "On the programme" in page
    assert "1 attended, 0 missed, of 12 planned" in page
    assert "Attended the first session." in page
    assert NOTE not in page and RISK_NOTE not in page
    assert pete.get(f"/programmes/participants/{participant.public_id}/").status_code == 404


def test_a_probation_referral_is_not_the_forces_to_see(orgs, cast, as_user):
    other = services.add_participant(
        orgs["programme"], by=cast["priya"], given_name="Orsino", route="probation"
    )
    pete = as_user("pete")
    assert pete.get(f"/programmes/referred-by-police/{other.public_id}/").status_code == 404
    assert other.reference not in pete.get("/programmes/referred-by-police/").content.decode()


def test_session_notes_and_risk_reviews_are_encrypted_at_rest(participant):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM programmes_programmesession WHERE number = 1")
        (stored,) = cursor.fetchone()
        cursor.execute("SELECT notes FROM programmes_riskreview")
        (risk,) = cursor.fetchone()
    assert "driving past" not in stored and "Escalating" not in risk


def _attendance_page(client, case):
    return page_of(
        client.get(f"/programmes/cases/{case.public_id}/suspect-attendance/"),
        "Suspect and perpetrator programmes",
    )


def test_an_advocate_learns_nothing_until_the_client_asks_to_be_told(participant, case_a, as_user):
    _suspect_on(case_a, "07911 123777")
    page = _attendance_page(as_user("alice"), case_a)
    assert "The client has not asked to be told" in page
    assert "Attending" not in page


def test_with_consent_the_advocate_sees_only_that_the_suspect_is_attending(
    participant, case_a, as_user
):
    _suspect_on(case_a, "+44 7911 123777")  # the same number, written differently
    alice = as_user("alice")
    alice.post(f"/programmes/cases/{case_a.public_id}/suspect-attendance/", {"state": "given"})
    page = _attendance_page(alice, case_a)
    assert "A suspect on this case is attending a programme" in page
    for private in (NOTE, RISK_NOTE, participant.reference, "Lysander", "SPO/NS/2027/0042"):
        assert private not in page


def test_when_the_programme_does_not_allow_it_the_advocate_sees_no_information(
    participant, case_a, as_user
):
    from harbour.programmes.models import Participant

    Participant.objects.system("test").filter(pk=participant.pk).update(
        share_attendance_with_victim_services=False
    )
    _suspect_on(case_a, "07911 123777")
    alice = as_user("alice")
    alice.post(f"/programmes/cases/{case_a.public_id}/suspect-attendance/", {"state": "given"})
    assert "No information" in _attendance_page(alice, case_a)


def test_withdrawn_consent_stops_the_answer(participant, case_a, as_user):
    _suspect_on(case_a, "07911 123777")
    alice = as_user("alice")
    url = f"/programmes/cases/{case_a.public_id}/suspect-attendance/"
    alice.post(url, {"state": "given"})
    alice.post(url, {"state": "withdrawn"})
    page = _attendance_page(alice, case_a)
    assert "The client has not asked to be told" in page
    assert "A suspect on this case is attending" not in page


def test_a_dropout_reads_as_not_attending(participant, case_a, cast, as_user):
    services.end_participation(
        participant, reason="disengaged", note="", ended_on=timezone.localdate(), by=cast["priya"]
    )
    _suspect_on(case_a, "07911 123777")
    alice = as_user("alice")
    alice.post(f"/programmes/cases/{case_a.public_id}/suspect-attendance/", {"state": "given"})
    assert "is no longer attending" in _attendance_page(alice, case_a)


def test_another_advocates_case_is_not_found(participant, case_a, as_user):
    assert (
        as_user("amir").get(f"/programmes/cases/{case_a.public_id}/suspect-attendance/").status_code
        == 404
    )
