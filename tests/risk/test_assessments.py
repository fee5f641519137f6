"""The Django side of risk: stored instrument versions, assessments, overrides and MARAC."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from harbour.risk import services
from harbour.risk.instrument import OverrideError
from harbour.risk.models import Assessment, InstrumentVersion, MaracReferral

SHIPPED = (
    Path(__file__).resolve().parents[2]
    / "src/harbour/risk/instruments/harbour-stalking-risk-1.1.0.json"
)


def shipped() -> InstrumentVersion:
    services.ensure_shipped_instruments()
    return InstrumentVersion.objects.get(slug="harbour-stalking-risk", version="1.1.0")


def test_the_shipped_instrument_is_stored_on_demand_once(db):
    services.ensure_shipped_instruments()
    services.ensure_shipped_instruments()
    assert InstrumentVersion.objects.count() == 1
    assert shipped().digest == shipped().instrument.digest


def test_loading_a_file_is_idempotent_and_refuses_changed_content_under_the_same_version(
    db, tmp_path, capsys
):
    call_command("instruments", "load", str(SHIPPED))
    call_command("instruments", "load", str(SHIPPED))
    assert "Already loaded" in capsys.readouterr().out
    changed = json.loads(SHIPPED.read_text())
    changed["name"] = "Changed name"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed))
    with pytest.raises(CommandError, match="already loaded with different content"):
        call_command("instruments", "load", str(path))
    changed["version"] = "1.2.0"
    path.write_text(json.dumps(changed))
    call_command("instruments", "load", str(path))
    assert InstrumentVersion.objects.count() == 2


def test_a_malformed_file_is_refused_with_the_path_of_the_fault(db, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "harbour-instrument/1"}')
    with pytest.raises(CommandError, match="slug"):
        call_command("instruments", "load", str(path))


def test_assessment_stores_instrument_answers_score_band_and_triggers(case_a, cast):
    assessment = services.record_assessment(
        case_a,
        instrument_version=shipped(),
        answers={"victim_fear": "yes", "threats_to_kill": "yes"},
        by=cast["alice"],
    )
    assert assessment.instrument_version.slug == "harbour-stalking-risk"
    assert assessment.answers == {"threats_to_kill": "yes", "victim_fear": "yes"}
    assert assessment.score == 5
    # A threat to kill is a critical item: the band is high whatever the score.
    assert assessment.band == assessment.computed_band == "high"
    assert assessment.floors == ["threat_to_kill"]
    assert "refer_to_marac" in assessment.triggers
    assert not assessment.complete
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers_json FROM risk_assessment")
        assert "threats_to_kill" not in cursor.fetchone()[0]


def test_professional_judgement_raises_with_a_reason_and_never_lowers(case_a, cast):
    answers = {
        "victim_fear": "yes",
        "threats_to_kill": "yes",
        "violence_in_current_incidents": "yes",
        "past_violence": "yes",
        "escalation": "yes",
    }
    version = shipped()
    with pytest.raises(OverrideError):
        services.record_assessment(
            case_a, instrument_version=version, answers={}, by=cast["alice"], override_band="high"
        )
    raised = services.record_assessment(
        case_a,
        instrument_version=version,
        answers={},
        by=cast["alice"],
        override_band="high",
        override_reason="Bought a knife",
    )
    assert (raised.computed_band, raised.band, raised.override_reason) == (
        "standard",
        "high",
        "Bought a knife",
    )
    high = services.record_assessment(
        case_a, instrument_version=version, answers=answers, by=cast["alice"]
    )
    with pytest.raises(OverrideError):
        services.record_assessment(
            case_a,
            instrument_version=version,
            answers=answers,
            by=cast["alice"],
            override_band="standard",
            override_reason="Seems fine",
        )
    assert high.band == "high"


def test_the_assessment_form_is_generated_from_the_instrument(as_user, case_a):
    client = as_user("alice")
    version = shipped()
    page = client.get(f"/risk/cases/{case_a.public_id}/assessments/new/").content.decode()
    for question in version.instrument.questions:
        assert f'name="q_{question.id}"' in page
    answers = {f"q_{q.id}": "no" for q in version.instrument.questions}
    answers.update({"q_victim_fear": "yes", "override_band": "standard"})
    response = client.post(
        f"/risk/cases/{case_a.public_id}/assessments/new/", {**answers, "instrument": version.pk}
    )
    assert response.status_code == 302
    assessment = Assessment.unscoped.get(case=case_a)
    assert assessment.score == 2 and assessment.override_band == ""
    detail = client.get(response["Location"]).content.decode()
    assert "Standard" in detail


def test_lowering_through_the_form_is_an_error_on_the_override(as_user, case_a):
    version = shipped()
    answers = {f"q_{q.id}": "yes" for q in version.instrument.questions}
    response = as_user("alice").post(
        f"/risk/cases/{case_a.public_id}/assessments/new/",
        {**answers, "override_band": "standard", "override_reason": "no"},
    )
    assert response.status_code == 200
    assert "never lower" in response.content.decode()
    assert not Assessment.unscoped.filter(case=case_a).exists()


def test_marac_referral_and_meeting_are_tracked(as_user, case_a):
    client = as_user("alice")
    response = client.post(
        f"/risk/cases/{case_a.public_id}/marac/new/",
        {"referred_on": "2026-11-01", "reason": "High risk"},
    )
    assert response.status_code == 302
    referral = MaracReferral.unscoped.get(case=case_a)
    page = client.get(f"/risk/marac/{referral.public_id}/").content.decode()
    from tests.cases.conftest import form_state

    response = client.post(
        f"/risk/marac/{referral.public_id}/",
        {**form_state(page), "status": "heard", "meeting_on": "2026-11-20", "actions_agreed": "x"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, str(referral.meeting_on)) == ("heard", "2026-11-20")


def test_caseworkers_of_another_organisation_cannot_see_an_assessment(as_user, case_a, cast):
    assessment = services.record_assessment(
        case_a, instrument_version=shipped(), answers={}, by=cast["alice"]
    )
    assert as_user("bob").get(f"/risk/assessments/{assessment.public_id}/").status_code == 404
    assert as_user("mia").get(f"/risk/assessments/{assessment.public_id}/").status_code == 200


def test_managers_and_admins_see_the_loaded_instruments(as_user):
    page = as_user("ada").get("/risk/instruments/").content.decode()
    assert "Harbour stalking risk checklist" in page and "1.1.0" in page
    assert as_user("alice").get("/risk/instruments/").status_code == 404
