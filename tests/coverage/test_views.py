"""The coverage page a service edits, and the unrouted queue a triage team works."""

import pytest

from harbour.accounts.models import ServiceArea
from harbour.audit.models import AuditEvent
from harbour.coverage.models import CoverageRule
from harbour.referrals.models import Referral
from tests.conftest import page_of

pytestmark = pytest.mark.django_db


def test_a_manager_sees_their_services_rules_and_adds_a_sector(as_user, orgs):
    client = as_user("mia")
    body = page_of(client.get("/coverage/"), "Coverage")
    assert "NS1" in body and "SS1" not in body
    response = client.post("/coverage/", {"postcodes": "ns2 4", "note": "Old town"})
    assert response.status_code == 302
    rule = CoverageRule.objects.get()
    assert (rule.prefix, rule.level, rule.organisation) == ("NS2 4", "sector", orgs["provider_a"])
    event = AuditEvent.objects.get(verb="coverage.rule_added")
    assert event.actor_username == "mia"


def test_a_district_added_on_the_page_is_a_service_area(as_user, orgs):
    as_user("ada").post("/coverage/", {"postcodes": "NS2"})
    assert ServiceArea.objects.get(postcode_district="NS2").organisation == orgs["provider_a"]


def test_a_bad_prefix_is_an_error_next_to_the_field(as_user):
    response = as_user("mia").post("/coverage/", {"postcodes": "N0 WAY"})
    body = page_of(response, "Error: Coverage")
    assert 'id="id_postcodes-error"' in body
    assert "Enter a postcode area (DE), district (DE73)" in body
    assert not CoverageRule.objects.exists()


def test_a_prefix_another_service_covers_cannot_be_taken(as_user):
    response = as_user("mia").post("/coverage/", {"postcodes": "SS1"})
    body = page_of(response, "Error: Coverage")
    assert "SS1 is covered by Southshire Support: they must remove it first" in body


def test_a_manager_removes_only_their_own_rules(as_user):
    as_user("bea").post("/coverage/remove/", {"postcodes": "NS1"})
    assert ServiceArea.objects.filter(postcode_district="NS1").exists()
    as_user("mia").post("/coverage/remove/", {"postcodes": "NS1"})
    assert not ServiceArea.objects.filter(postcode_district="NS1").exists()
    assert AuditEvent.objects.get(verb="coverage.rule_removed").actor_username == "mia"


@pytest.mark.parametrize("name", ["alice", "tariq", "pete", "cora", "priya"])
def test_people_who_do_not_run_a_service_cannot_edit_coverage(as_user, name):
    assert as_user(name).get("/coverage/").status_code == 404
    assert as_user(name).post("/coverage/", {"postcodes": "NS2"}).status_code == 404


@pytest.fixture
def unrouted(derbyshire, make_referral):
    """Provider A is the platform triage team; a referral from Leicester reaches it."""
    return make_referral(postcode="LE1 1AA", given_name="Ottoline")


def test_the_triage_team_sees_the_unrouted_referral_on_its_clock(as_user, unrouted):
    body = page_of(as_user("alice").get("/coverage/unrouted/"), "Unrouted referrals")
    assert "Ottoline" in body
    assert "LE1" in body
    assert unrouted.due_by.strftime("%-d %b %Y") in body
    assert AuditEvent.objects.filter(verb="coverage.unrouted_viewed").exists()


def test_another_service_does_not_see_it(as_user, unrouted):
    body = page_of(as_user("bob").get("/coverage/unrouted/"), "Unrouted referrals")
    assert "Ottoline" not in body
    assert "There are no open referrals waiting to be routed" in body


def test_a_triage_manager_routes_it_to_a_provider_and_it_leaves_the_queue(
    as_user, unrouted, derbyshire
):
    client = as_user("mia")
    response = client.post(
        f"/referrals/{unrouted.public_id}/reroute/",
        {"to": derbyshire["crossroads"].pk, "reason": "Lives in Derbyshire now"},
    )
    assert response.status_code == 302
    unrouted.refresh_from_db()
    assert unrouted.routed_to == derbyshire["crossroads"]
    assert unrouted.status == Referral.Status.RECEIVED
    assert "Ottoline" not in client.get("/coverage/unrouted/").content.decode()
    assert AuditEvent.objects.get(verb="referral.rerouted").actor_username == "mia"


def test_a_triage_advocate_records_a_signpost_and_it_leaves_the_queue(as_user, unrouted):
    client = as_user("alice")
    client.post(
        f"/referrals/{unrouted.public_id}/signpost/",
        {"to": "Leicestershire stalking service", "note": "Outside every area we cover"},
    )
    unrouted.refresh_from_db()
    assert unrouted.status == Referral.Status.SIGNPOSTED
    assert unrouted.signposted_to == "Leicestershire stalking service"
    assert AuditEvent.objects.get(verb="referral.signposted").actor_username == "alice"
    assert "Ottoline" not in client.get("/coverage/unrouted/").content.decode()


def test_a_manager_names_the_areas_stalking_panel_and_blank_restores_the_usual_name(as_user, orgs):
    client = as_user("mia")
    assert (
        "the multi-agency stalking panel (the usual name)"
        in client.get("/coverage/").content.decode()
    )
    response = client.post("/coverage/panel/", {"panel_name": " the Northshire stalking clinic "})
    assert response.status_code == 302
    orgs["provider_a"].refresh_from_db()
    assert orgs["provider_a"].panel_name == "the Northshire stalking clinic"
    assert AuditEvent.objects.get(verb="coverage.panel_named").actor_username == "mia"
    page = client.get("/coverage/").content.decode()
    assert "offered a referral to the Northshire stalking clinic." in page
    client.post("/coverage/panel/", {"panel_name": ""})
    orgs["provider_a"].refresh_from_db()
    assert orgs["provider_a"].panel_name == ""
    orgs["provider_b"].refresh_from_db()
    assert orgs["provider_b"].panel_name == ""
