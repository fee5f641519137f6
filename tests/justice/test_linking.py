"""Serial-suspect linking on blind indexes: true and false matches, names as a weaker signal, only
the organisation to contact across providers, and the emergency-access path."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.cases import services as cases
from harbour.cases.models import Suspect
from harbour.justice import names, services
from harbour.justice.models import LinkDisclosure
from harbour.justice.rules import RuleError
from tests.conftest import assert_query_count, page_of, statements

pytestmark = pytest.mark.django_db


def suspect_on(case, names_text="", **identifiers):
    suspect = Suspect.unscoped.create(case=case, names=names_text)
    cases.set_suspect_identifiers(suspect, identifiers)
    return suspect


def test_soundex_groups_spelling_variants():
    assert names.soundex("smith") == names.soundex("smyth") == "S530"
    assert names.soundex("robert") == names.soundex("rupert") == "R163"
    assert names.soundex("ashcraft") == "A261"


def test_a_phone_number_written_two_ways_matches_across_providers(case_a, case_b):
    ours = suspect_on(case_a, "Dorian Voss", phone=["07911 123123"])
    theirs = suspect_on(case_b, "D. Voss", phone=["+44 7911 123123"])
    [match] = services.matches_for(ours)
    assert match.suspect_id == theirs.pk and match.strong
    assert match.identifiers == {"phone"} and match.organisation.name == "Southshire Support"


def test_different_identifiers_and_unlike_names_do_not_match(case_a, case_b):
    ours = suspect_on(case_a, "Dorian Voss", phone=["07911 123123"], email=["dv@example.org"])
    suspect_on(case_b, "Priya Anand", phone=["07911 123124"], email=["dv@example.com"])
    assert services.matches_for(ours) == []


def test_a_similar_name_is_a_weaker_match_shown_as_such(case_a, case_b):
    ours = suspect_on(case_a, "Jonathan Smith")
    suspect_on(case_b, "Jonathon Smyth")
    [match] = services.matches_for(ours)
    assert not match.strong and match.name_score is not None
    assert "similar name" in " ".join(match.signals) and "(weaker)" in " ".join(match.signals)


def test_the_same_name_is_also_only_a_weaker_match(case_a, case_b):
    ours = suspect_on(case_a, "Dorian Voss")
    suspect_on(case_b, "dorian  VOSS")
    [match] = services.matches_for(ours)
    assert match.same_name and not match.strong


def test_suspects_on_the_same_case_never_match_each_other(case_a):
    ours = suspect_on(case_a, "Dorian Voss", phone=["07911 123123"])
    suspect_on(case_a, "Dorian Voss", phone=["07911 123123"])
    assert services.matches_for(ours) == []


def test_matching_on_identifiers_decrypts_nothing(case_a, case_b):
    suspects = [suspect_on(case_a, f"Person {n}", phone=[f"07911 1231{n:02d}"]) for n in range(5)]
    suspect_on(case_b, "Other", phone=["07911 123101"])
    plain = list(Suspect.unscoped.filter(pk__in=[s.pk for s in suspects]).only("pk", "case_id"))
    with mock.patch("harbour.core.fields.open_value", side_effect=AssertionError("decrypted")):
        found = services.batch_matches(plain)
    assert sum(len(m) for m in found.values()) == 1


def test_the_managers_page_names_only_the_other_organisation_across_providers(
    case_a, case_b, as_user
):
    ours = suspect_on(case_a, "Dorian Voss", phone=["07911 123123"])
    suspect_on(case_b, "Secret Name", phone=["07911 123123"])
    page = page_of(as_user("mia").get("/justice/suspect-links/"), "Suspects on other cases")
    assert "matches one on 1 other case" in page and "Southshire Support" in page
    assert "Secret Name" not in page and case_b.reference not in page
    assert ours.display_name in page


def test_a_match_in_the_same_organisation_links_to_the_case(case_a, cast, orgs, as_user):
    other = cases.open_case(
        organisation=orgs["provider_a"], client_fields={"given_name": "O"}, by=cast["mia"]
    )
    suspect_on(case_a, "Dorian Voss", vehicle=["AB12 CDE"])
    suspect_on(other, "Dorian Voss", vehicle=["ab12cde"])
    page = page_of(as_user("mia").get("/justice/suspect-links/"), "Suspects on other cases")
    assert other.reference in page and "vehicle registration" in page


def test_advocates_do_not_see_suspect_links(as_user):
    assert as_user("alice").get("/justice/suspect-links/").status_code == 404


@pytest.mark.usefixtures("steady_session")
def test_the_links_page_costs_the_same_for_two_and_eleven_matches(case_a, cast, orgs, as_user):
    client = as_user("mia")

    def add(n):
        case = cases.open_case(
            organisation=orgs["provider_a"], client_fields={"given_name": f"C{n}"}, by=cast["mia"]
        )
        suspect_on(case, f"Person {n}", phone=["07911 123123"])
        suspect_on(
            cases.open_case(
                organisation=orgs["provider_b"], client_fields={"given_name": "B"}, by=cast["bea"]
            ),
            "Jon Smyth",
            phone=[f"07911 1232{n:02d}"],
        )

    add(0)
    add(1)
    client.get("/justice/suspect-links/")
    with assert_query_count(17) as small:
        client.get("/justice/suspect-links/")
    for n in range(2, 11):
        add(n)
    with assert_query_count(statements(small)):
        client.get("/justice/suspect-links/")


# --- emergency access ---------------------------------------------------------------------------------


@pytest.fixture
def pair(case_a, case_b):
    ours = suspect_on(case_b, "Dorian Voss", phone=["07911 123123"])  # Bea's provider
    theirs = suspect_on(case_a, "Dorian Voss", phone=["07911 123123"], email=["dv@example.org"])
    return ours, theirs


def test_emergency_access_needs_a_reason_then_shows_the_suspect_and_is_audited_on_their_case(
    pair, as_user, cast
):
    ours, theirs = pair
    bea = as_user("bea")
    url = f"/justice/suspect-links/{ours.public_id}/{theirs.public_id}/emergency-access/"
    assert "Northshire Advocacy" in bea.get(url).content.decode()
    assert bea.post(url, {"reason": ""}).status_code == 200
    assert not LinkDisclosure.unscoped.exists()
    response = bea.post(
        url, {"reason": "Client at immediate risk; he may hold an order elsewhere."}
    )
    disclosure = LinkDisclosure.unscoped.get()
    assert (
        response["Location"] == f"/justice/suspect-links/emergency-access/{disclosure.public_id}/"
    )
    page = page_of(bea.get(response["Location"]), "Matching suspect (emergency access)")
    assert "dv@example.org" in page
    audited = AuditEvent.objects.filter(object_id=str(theirs.case.public_id))
    assert set(audited.values_list("verb", flat=True)) >= {
        "justice.link_disclosed",
        "justice.link_disclosure_viewed",
    }


def test_the_other_organisations_manager_reviews_the_access(pair, as_user, cast):
    ours, theirs = pair
    disclosure = services.claim_link_disclosure(
        manager=cast["bea"], own=ours, other=theirs, reason="Urgent"
    )
    page = page_of(
        as_user("mia").get("/justice/suspect-links/reviews/"), "Emergency access to your suspects"
    )
    assert "Urgent" in page
    assert (
        as_user("bea")
        .post(f"/justice/suspect-links/reviews/{disclosure.public_id}/", {"note": "self"})
        .status_code
        == 404
    )
    as_user("mia").post(
        f"/justice/suspect-links/reviews/{disclosure.public_id}/", {"note": "Justified"}
    )
    disclosure.refresh_from_db()
    assert disclosure.reviewed_by == cast["mia"] and disclosure.review_note == "Justified"


def test_emergency_access_ends_when_it_expires(pair, as_user, cast):
    ours, theirs = pair
    disclosure = services.claim_link_disclosure(
        manager=cast["bea"], own=ours, other=theirs, reason="Urgent"
    )
    LinkDisclosure.unscoped.filter(pk=disclosure.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    url = f"/justice/suspect-links/emergency-access/{disclosure.public_id}/"
    assert as_user("bea").get(url).status_code == 404


def test_there_is_no_emergency_access_to_a_suspect_that_does_not_match(
    case_a, case_b, as_user, cast
):
    ours = suspect_on(case_b, "Dorian Voss", phone=["07911 123123"])
    unrelated = suspect_on(case_a, "Priya Anand", phone=["07911 123999"])
    url = f"/justice/suspect-links/{ours.public_id}/{unrelated.public_id}/emergency-access/"
    assert as_user("bea").get(url).status_code == 404
    with pytest.raises(RuleError):
        services.claim_link_disclosure(manager=cast["bea"], own=ours, other=unrelated, reason="x")


def test_renaming_a_suspect_updates_its_name_keys(case_a, case_b):
    ours = suspect_on(case_a, "Dorian Voss")
    theirs = suspect_on(case_b, "Dorian Voss")
    assert services.matches_for(ours)
    theirs.names = "Priya Anand"
    theirs.save()
    assert services.matches_for(ours) == []


def test_there_is_no_emergency_access_to_a_suspect_on_a_restricted_case(pair, as_user, cast):
    ours, theirs = pair
    type(theirs.case).unscoped.filter(pk=theirs.case_id).update(restricted=True)
    theirs.refresh_from_db()
    url = f"/justice/suspect-links/{ours.public_id}/{theirs.public_id}/emergency-access/"
    assert as_user("bea").get(url).status_code == 404
    with pytest.raises(RuleError):
        services.claim_link_disclosure(manager=cast["bea"], own=ours, other=theirs, reason="x")
    page = page_of(as_user("bea").get("/justice/suspect-links/"), "Suspects on other cases")
    assert "Northshire Advocacy: contact them" in page and "emergency-access" not in page
