"""A participant's path through the programme: referred (by police, probation or a Stalking
Protection Order requirement), a plan of 12 weekly sessions over about three months, attendance
with notes, risk reviews, completion or leaving early with the reason, and what the referrer is
told. Every change is audited without the notes' words."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.programmes.models import Participant, ProgrammeSession, ReferrerUpdate
from tests.conftest import page_of

pytestmark = pytest.mark.django_db


def _add(client, orgs, cast, **overrides):
    data = {
        "given_name": "Benedick",
        "family_name": "Example",
        "phone": "07700 900888",
        "route": "spo",
        "referring_force": orgs["police"].pk,
        "order_reference": "SPO/NS/2027/0099",
        "referred_on": timezone.localdate().isoformat(),
        "practitioner": cast["priya"].pk,
        **overrides,
    }
    return client.post("/programmes/participants/new/", data)


def test_an_spo_requirement_needs_the_force_that_holds_the_order(orgs, cast, as_user):
    response = _add(as_user("priya"), orgs, cast, referring_force="")
    assert "Select the police force that holds the order" in response.content.decode()
    assert not Participant.objects.system("test").exists()


def test_referral_to_completion(orgs, cast, as_user):
    priya = as_user("priya")
    _add(priya, orgs, cast)
    participant = Participant.objects.system("test").get()
    assert participant.status == Participant.Status.REFERRED
    assert participant.order_reference == "SPO/NS/2027/0099"

    first = timezone.localdate() - datetime.timedelta(days=84)
    priya.post(
        f"/programmes/participants/{participant.public_id}/start/",
        {"first_session": first.isoformat()},
    )
    sessions = list(ProgrammeSession.objects.system("test").filter(participant=participant))
    assert [s.number for s in sessions] == list(range(1, 13))
    assert sessions[-1].planned_on - sessions[0].planned_on == datetime.timedelta(days=77)

    for session in sessions:
        priya.post(
            f"/programmes/sessions/{session.public_id}/",
            {
                "planned_on": session.planned_on.isoformat(),
                "status": "missed" if session.number == 4 else "attended",
                "notes": f"Session {session.number} notes",
            },
        )
    priya.post(
        f"/programmes/participants/{participant.public_id}/risk/",
        {"level": "medium", "notes": "Lower than at referral"},
    )
    priya.post(
        f"/programmes/participants/{participant.public_id}/end/",
        {"reason": "completed", "ended_on": timezone.localdate().isoformat()},
    )
    priya.post(
        f"/programmes/participants/{participant.public_id}/tell-referrer/",
        {"kind": "completed", "message": "Completed: 11 of 12 sessions attended."},
    )
    participant.refresh_from_db()
    assert participant.status == Participant.Status.COMPLETED
    assert participant.end_reason == "completed"
    page = page_of(priya.get(f"/programmes/participants/{participant.public_id}/"), "Participant")
    assert "11 attended, 1 missed, of 12 planned" in page
    assert ReferrerUpdate.objects.system("test").get().message.startswith("Completed")
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {
        "programme.participant_added",
        "programme.participant_started",
        "programme.session_recorded",
        "programme.risk_reviewed",
        "programme.participant_ended",
        "programme.referrer_update_sent",
    } <= verbs
    payloads = " ".join(str(p) for p in AuditEvent.objects.values_list("payload", flat=True))
    assert "notes" not in payloads.replace("'notes': True", "")
    assert "Lower than at referral" not in payloads


def test_leaving_early_records_the_reason_and_cancels_the_sessions_not_held(orgs, cast, as_user):
    priya = as_user("priya")
    _add(priya, orgs, cast, route="probation", referring_force="", order_reference="")
    participant = Participant.objects.system("test").get()
    priya.post(
        f"/programmes/participants/{participant.public_id}/start/",
        {"first_session": timezone.localdate().isoformat()},
    )
    priya.post(
        f"/programmes/participants/{participant.public_id}/end/",
        {
            "reason": "custody",
            "ended_on": timezone.localdate().isoformat(),
            "note": "Remanded",
        },
    )
    participant.refresh_from_db()
    assert participant.status == Participant.Status.DROPPED_OUT
    assert participant.get_end_reason_display() == "Taken into custody"
    statuses = set(
        ProgrammeSession.objects.system("test")
        .filter(participant=participant)
        .values_list("status", flat=True)
    )
    assert statuses == {ProgrammeSession.Status.CANCELLED}
    # Ended: no more sessions or endings can be recorded.
    assert priya.get(f"/programmes/participants/{participant.public_id}/end/").status_code == 404


def test_the_practitioners_home_page_shows_the_weeks_sessions(orgs, cast, as_user):
    priya = as_user("priya")
    _add(priya, orgs, cast)
    participant = Participant.objects.system("test").get()
    priya.post(
        f"/programmes/participants/{participant.public_id}/start/",
        {"first_session": (timezone.localdate() - datetime.timedelta(days=7)).isoformat()},
    )
    page = page_of(priya.get("/home/"), "Home")
    assert "on the programme" in page
    assert f"{participant.reference}, session 2" in page
    assert "Your pages will appear here" not in page


def test_the_trainers_home_page_is_no_longer_empty(orgs, cast, as_user):
    page = page_of(as_user("tariq").get("/home/"), "Home")
    assert "training requests waiting" in page
    assert "Your pages will appear here" not in page
