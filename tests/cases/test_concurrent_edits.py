"""No lost updates: the second of two overlapping saves is stopped and told what changed."""

from __future__ import annotations

from harbour.audit.models import AuditEvent
from harbour.cases.models import Case, Client, SafetyPlan
from tests.cases.conftest import form_state

DETAILS = {
    "preferred_language": "en",
    "relationship_to_suspect": "unknown",
    "enhanced_rights": "",
}


def test_second_save_on_a_stale_version_is_refused_and_shows_what_changed(as_user, case_a, url):
    alice, mia = as_user("alice"), as_user("mia")
    alice_form = form_state(alice.get(url("details/")).content.decode())
    mia_form = form_state(mia.get(url("details/")).content.decode())

    first = mia.post(url("details/"), {**DETAILS, **mia_form, "preferred_language": "cy"})
    assert first.status_code == 302

    second = alice.post(
        url("details/"), {**DETAILS, **alice_form, "relationship_to_suspect": "neighbour"}
    )
    assert second.status_code == 200
    page = second.content.decode()
    assert "Someone else saved changes while you were editing" in page
    assert "Preferred language" in page and "Welsh (Cymraeg)" in page
    case = Case.unscoped.get(pk=case_a.pk)
    assert case.preferred_language == "cy"
    assert case.relationship_to_suspect == "unknown"  # Alice's change was not written
    conflict = second.context["conflict"]
    assert [c.field for c in conflict.changes] == ["preferred_language"]
    assert AuditEvent.objects.filter(verb="edit.conflict").count() == 1


def test_saving_again_after_seeing_the_conflict_is_a_deliberate_overwrite(as_user, case_a, url):
    alice, mia = as_user("alice"), as_user("mia")
    alice_form = form_state(alice.get(url("details/")).content.decode())
    mia.post(
        url("details/"),
        {
            **DETAILS,
            **form_state(mia.get(url("details/")).content.decode()),
            "cyber_elements": "on",
        },
    )
    conflict = alice.post(url("details/"), {**DETAILS, **alice_form})
    rearmed = form_state(conflict.content.decode())
    assert rearmed["version"] == str(Case.unscoped.get(pk=case_a.pk).version)

    again = alice.post(url("details/"), {**DETAILS, **rearmed})
    assert again.status_code == 302
    assert Case.unscoped.get(pk=case_a.pk).cyber_elements is False


def test_client_record_edits_are_locked_on_the_case_version(as_user, case_a, url):
    fields = {
        "given_name": "Zebedee",
        "family_name": "Quillfeather",
        "phone": "07700 900123",
        "email": "zq@example.org",
        "address": "14 Larkspur Crescent\nNorthtown",
        "postcode": "NS1 4ZZ",
    }
    alice, mia = as_user("alice"), as_user("mia")
    alice_form = form_state(alice.get(url("client/")).content.decode())
    mia_form = form_state(mia.get(url("client/")).content.decode())
    assert (
        mia.post(url("client/"), {**fields, **mia_form, "phone": "07700 900999"}).status_code == 302
    )
    response = alice.post(url("client/"), {**fields, **alice_form, "family_name": "Other"})
    assert response.status_code == 200
    assert [c.field for c in response.context["conflict"].changes] == ["phone"]
    client = Client.unscoped.get(pk=case_a.client_id)
    assert (client.family_name, client.phone) == ("Quillfeather", "07700 900999")


def test_concurrent_safety_plan_edits_keep_both_in_history_only_when_deliberate(
    as_user, case_a, url
):
    alice, mia = as_user("alice"), as_user("mia")
    assert alice.post(url("safety-plan/"), {"at_home": "v1", "version": "0"}).status_code == 302
    alice_form = form_state(alice.get(url("safety-plan/")).content.decode())
    mia_form = form_state(mia.get(url("safety-plan/")).content.decode())
    assert mia.post(url("safety-plan/"), {**mia_form, "at_home": "mia's"}).status_code == 302
    stale = alice.post(url("safety-plan/"), {**alice_form, "at_home": "alice's"})
    assert stale.status_code == 200
    plan = SafetyPlan.unscoped.get(case=case_a)
    assert plan.at_home == "mia's" and plan.version == 2


def test_creating_a_one_per_case_record_someone_else_just_created_is_a_conflict(
    as_user, case_a, cast, url
):
    from harbour.cases.models import NeedsAssessment

    alice = as_user("alice")
    state = form_state(alice.get(url("needs/")).content.decode())
    NeedsAssessment.unscoped.create(case=case_a, created_by=cast["mia"], plan="Mia's plan")
    response = alice.post(url("needs/"), {**state, "plan": "Alice's plan"})
    assert response.status_code == 200
    assert [c.field for c in response.context["conflict"].changes] == ["plan"]
    assert NeedsAssessment.unscoped.get(case=case_a).plan == "Mia's plan"


def test_a_create_that_loses_the_race_raises_a_conflict_not_a_server_error(case_a, cast):
    import pytest

    from harbour.cases.forms import NeedsForm
    from harbour.cases.models import NeedsAssessment
    from harbour.core.versioning import EditConflict, save_versioned

    form = NeedsForm({"plan": "Alice's", "version": "0"}, instance=NeedsAssessment(case=case_a))
    assert form.is_valid()
    NeedsAssessment.unscoped.create(case=case_a, plan="Mia's")
    with pytest.raises(EditConflict) as raised:
        save_versioned(form, by=cast["alice"], verb="case.needs_changed", audit_obj=case_a)
    assert raised.value.created_meanwhile
    assert NeedsAssessment.unscoped.get(case=case_a).plan == "Mia's"
