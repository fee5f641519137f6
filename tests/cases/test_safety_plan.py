"""Safety plan: structured sections, notes, review date and a history of every saved version."""

from __future__ import annotations

from harbour.cases.models import SafetyPlan, SafetyPlanVersion
from tests.cases.conftest import form_state


def test_each_save_adds_a_version_to_the_history(as_user, case_a, url):
    client = as_user("alice")
    client.post(url("safety-plan/"), {"at_home": "Lock doors", "version": "0"})
    state = form_state(client.get(url("safety-plan/")).content.decode())
    client.post(
        url("safety-plan/"),
        {**state, "at_home": "Lock doors, camera fitted", "review_date": "2030-01-01"},
    )
    plan = SafetyPlan.unscoped.get(case=case_a)
    assert plan.version == 2
    versions = SafetyPlanVersion.unscoped.filter(plan=plan).order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].data()["at_home"] == "Lock doors"
    assert versions[1].data()["review_date"] == "2030-01-01"

    history = client.get(url("safety-plan/history/")).content.decode()
    assert "Version 1" in history and "Version 2" in history
    old = client.get(url("safety-plan/history/1/")).content.decode()
    assert "Lock doors" in old and "camera fitted" not in old


def test_history_content_is_encrypted_at_rest(as_user, case_a, url):
    from django.db import connection

    as_user("alice").post(url("safety-plan/"), {"at_home": "Spare key with Ruth", "version": "0"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM cases_safetyplanversion")
        assert "Ruth" not in cursor.fetchone()[0]
        cursor.execute("SELECT at_home FROM cases_safetyplan")
        assert "Ruth" not in cursor.fetchone()[0]


def test_a_missing_version_is_not_found(as_user, url):
    assert as_user("alice").get(url("safety-plan/history/9/")).status_code == 404
