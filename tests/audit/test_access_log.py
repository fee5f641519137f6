"""Managers can see who has viewed or changed a case; nobody else can."""

from __future__ import annotations

import pytest

from harbour.audit.models import AuditEvent
from tests.conftest import page_of

pytestmark = pytest.mark.django_db


def test_viewing_a_case_is_recorded_with_who_and_from_where(cast, case_a, as_user):
    as_user("alice").get(f"/cases/{case_a.public_id}/", REMOTE_ADDR="192.0.2.44")
    viewed = AuditEvent.objects.get(verb="case.viewed")
    assert viewed.actor_id == cast["alice"].pk
    assert viewed.object_id == str(case_a.public_id)
    assert viewed.ip_address == "192.0.2.44"


def test_a_manager_sees_who_viewed_a_case_in_the_access_log(cast, case_a, as_user):
    as_user("alice").get(f"/cases/{case_a.public_id}/", REMOTE_ADDR="192.0.2.44")
    response = as_user("mia").get(f"/cases/{case_a.public_id}/access-log/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "(alice)" in page
    assert "case.viewed" in page
    assert "192.0.2.44" in page
    assert "case.opened" in page


def test_looking_at_the_access_log_is_itself_recorded(cast, case_a, as_user):
    as_user("mia").get(f"/cases/{case_a.public_id}/access-log/")
    seen = AuditEvent.objects.get(verb="case.access_log_viewed")
    assert seen.actor_id == cast["mia"].pk
    assert seen.object_id == str(case_a.public_id)


@pytest.mark.parametrize("person", ["alice", "amir", "tariq", "ada", "pete", "cora", "priya"])
def test_people_who_are_not_the_cases_manager_cannot_see_its_access_log(
    cast, case_a, as_user, person
):
    response = as_user(person).get(f"/cases/{case_a.public_id}/access-log/")
    assert "(alice)" not in page_of(response, "Page not found", status=404)


def test_a_manager_at_another_provider_gets_not_found_and_the_attempt_is_recorded(
    cast, case_a, as_user
):
    response = as_user("bea").get(f"/cases/{case_a.public_id}/access-log/")
    assert response.status_code == 404
    denied = AuditEvent.objects.get(verb="access.denied")
    assert denied.actor_id == cast["bea"].pk
    assert denied.object_id == str(case_a.public_id)


def test_the_advocate_on_the_case_is_not_offered_the_access_log_link(cast, case_a, as_user):
    url = f"/cases/{case_a.public_id}/"
    assert "access-log" not in page_of(as_user("alice").get(url), f"Case {case_a.reference}")
    assert b"access-log" in as_user("mia").get(url).content
