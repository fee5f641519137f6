"""Managers allocate, reallocate and restrict cases; advocates cannot."""

from __future__ import annotations

from harbour.cases.models import Case
from tests.cases.conftest import form_state


def test_manager_reallocates_a_case_and_the_old_advocate_loses_it(as_user, case_a, cast, url):
    mia = as_user("mia")
    state = form_state(mia.get(url("allocate/")).content.decode())
    response = mia.post(url("allocate/"), {**state, "allocated_to": cast["amir"].pk})
    assert response.status_code == 302
    assert Case.objects_base.get(pk=case_a.pk).allocated_to == cast["amir"]
    assert as_user("alice").get(url()).status_code == 404
    assert as_user("amir").get(url()).status_code == 200


def test_restricting_a_case_needs_named_staff(as_user, case_a, cast, url):
    mia = as_user("mia")
    state = form_state(mia.get(url("allocate/")).content.decode())
    data = {**state, "allocated_to": cast["alice"].pk, "restricted": "on"}
    assert mia.post(url("allocate/"), data).status_code == 200
    data["named_users"] = [cast["mia"].pk]
    assert mia.post(url("allocate/"), data).status_code == 302
    case_a.refresh_from_db()
    assert case_a.restricted
    assert list(case_a.named_users.all()) == [cast["mia"]]
    assert as_user("alice").get(url()).status_code == 404


def test_an_advocate_cannot_allocate(as_user, url):
    assert as_user("alice").get(url("allocate/")).status_code == 404


def test_case_details_record_flags_and_historic_needs_a_date(as_user, case_a, url):
    client = as_user("alice")
    state = form_state(client.get(url("details/")).content.decode())
    data = {
        **state,
        "preferred_language": "cy",
        "relationship_to_suspect": "colleague",
        "historic": "on",
        "cyber_elements": "on",
        "domestic_abuse": "on",
        "enhanced_rights": "persistently_targeted",
        "gender": "woman",
    }
    response = client.post(url("details/"), data)
    assert response.status_code == 200
    assert "Enter the date the stalking began before" in response.content.decode()
    data["historic_began_before"] = "2019-05-01"
    assert client.post(url("details/"), data).status_code == 302
    case = Case.objects_base.get(pk=case_a.pk)
    assert case.historic and case.cyber_elements and case.domestic_abuse
    assert case.enhanced_rights == "persistently_targeted" and case.preferred_language == "cy"
    page = client.get(url()).content.decode()
    assert "Cyber elements" in page and "Persistently targeted" in page
