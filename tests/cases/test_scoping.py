"""Every case-data model in the workspace is scoped: outsiders' queries come back empty."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import timezone

from harbour.cases import services
from harbour.cases.models import (
    BreakGlassGrant,
    ContactPreference,
    NeedsAssessment,
    OutcomeMeasures,
    SafetyPlan,
    SupportAction,
    Suspect,
)
from harbour.core.scoping import ScopedManager, ScopeRequired
from harbour.risk import services as risk
from harbour.risk.models import InstrumentVersion

SCOPED = [
    model
    for app in ("cases", "risk")
    for model in apps.get_app_config(app).get_models()
    if isinstance(model._default_manager, ScopedManager)
    and model._meta.label_lower not in ("cases.client", "cases.case")  # the foundation's tests
]


@pytest.fixture
def full_case(case_a, cast):
    alice = cast["alice"]
    ContactPreference.objects_base.create(case=case_a, channel="call", safe=True)
    services.record_contact(case_a, by=alice, method="phone", direction="in")
    suspect = Suspect.objects_base.create(case=case_a, names="S")
    services.set_suspect_identifiers(suspect, {"email": ["s@example.org"]})
    NeedsAssessment.objects_base.create(case=case_a)
    SupportAction.objects_base.create(
        case=case_a, area="finance", description="x", owner=alice, due_on=timezone.localdate()
    )
    plan = SafetyPlan.objects_base.create(case=case_a)
    services.snapshot_safety_plan(plan, by=alice)
    services.make_onward_referral(
        case_a, by=alice, kind="other", to_organisation="X", consent="given"
    )
    OutcomeMeasures.objects_base.create(
        case=case_a,
        stage="entry",
        feeling_safer=1,
        coping=1,
        health_wellbeing=1,
        justice_knowledge=1,
    )
    risk.ensure_shipped_instruments()
    assessment = risk.record_assessment(
        case_a, instrument_version=InstrumentVersion.objects.get(), answers={}, by=alice
    )
    risk.refer_to_marac(
        case_a, by=alice, reason="r", referred_on=timezone.localdate(), assessment=assessment
    )
    BreakGlassGrant.objects_base.create(
        case=case_a, user=alice, reason="r", expires_at=timezone.now()
    )
    return case_a


def test_every_case_data_model_is_scoped():
    names = {m._meta.label_lower for m in SCOPED}
    assert {
        "cases.contactpreference",
        "cases.contactlogentry",
        "cases.suspect",
        "cases.suspectidentifier",
        "cases.needsassessment",
        "cases.supportaction",
        "cases.safetyplan",
        "cases.safetyplanversion",
        "cases.onwardreferral",
        "cases.outcomemeasures",
        "risk.assessment",
        "risk.maracreferral",
        "cases.breakglassgrant",
    } <= names


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label_lower)
def test_insiders_see_the_record_and_outsiders_see_nothing(model, full_case, cast):
    with pytest.raises(ScopeRequired):
        model.objects.all()
    assert model.objects.for_user(cast["alice"]).exists()
    assert model.objects.for_user(cast["mia"]).exists()
    for outsider in ("amir", "bob", "bea", "pete", "cora", "priya", "ada", "tariq"):
        assert not model.objects.for_user(cast[outsider]).exists(), outsider
