"""Routing by the longest matching rule, then by the imported postcode table where present."""

import pytest

from harbour.audit.models import AuditEvent
from harbour.coverage import importer, routing, services
from harbour.coverage.models import UnroutedReferral
from harbour.referrals.models import Referral
from tests.coverage.conftest import onspd

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("postcode", "provider", "matched_by"),
    [
        ("DE1 3AB", "glow", "rule DE1"),
        ("DE73 5AB", "glow", "rule DE73 5"),
        ("DE73 8AB", "crossroads", "rule DE73"),
        ("DE4 3AG", "crossroads", "rule DE"),
        ("NG10 1AA", "crossroads", "rule NG10"),
        ("S80 4AB", "crossroads", "rule S80 4"),
    ],
)
def test_the_longest_matching_rule_decides_the_provider(derbyshire, postcode, provider, matched_by):
    match = routing.provider_for_postcode(postcode)
    assert match is not None
    assert (match.organisation, match.matched_by) == (derbyshire[provider], matched_by)


def test_a_full_postcode_rule_beats_its_sector(derbyshire, orgs):
    services.add_rule("DE73 5ZZ", orgs["provider_b"], username="test")
    assert routing.provider_for_postcode("DE73 5ZZ").organisation == orgs["provider_b"]
    assert routing.provider_for_postcode("DE73 5ZY").organisation == derbyshire["glow"]


def test_the_imported_postcode_table_beats_prefix_rules(derbyshire):
    importer.import_text(onspd(("DE73 8AB", "", "E10000007", "E06000015")))
    services.map_authority("E06000015", derbyshire["glow"], name="Derby", username="test")
    match = routing.provider_for_postcode("DE73 8AB")
    assert match.organisation == derbyshire["glow"]
    assert match.matched_by == "postcode table (E06000015)"
    # A postcode the table does not hold still follows the rules.
    assert routing.provider_for_postcode("DE73 8AD").organisation == derbyshire["crossroads"]


def test_a_county_mapping_covers_a_district_that_is_not_mapped(derbyshire, orgs):
    importer.import_text(onspd(("LE65 1AA", "", "E10000018", "E07000134")))
    services.map_authority("E10000018", orgs["provider_b"], username="test")
    assert routing.provider_for_postcode("LE65 1AA").organisation == orgs["provider_b"]


def test_an_authority_mapped_to_nobody_falls_back_to_the_rules(derbyshire):
    importer.import_text(onspd(("DE73 5AB", "", "", "E06000015")))
    assert routing.provider_for_postcode("DE73 5AB").organisation == derbyshire["glow"]


def test_an_inactive_provider_is_never_routed_to(derbyshire):
    derbyshire["glow"].is_active = False
    derbyshire["glow"].save()
    assert routing.provider_for_postcode("DE73 5AB").organisation == derbyshire["crossroads"]


def test_a_referral_records_how_it_was_routed(make_referral, derbyshire):
    referral = make_referral(postcode="DE73 5AB")
    assert referral.routed_to == derbyshire["glow"]
    event = AuditEvent.objects.get(verb="referral.routed", object_id=str(referral.public_id))
    assert event.payload["matched_by"] == "sector rule"  # never the prefix: it may be a postcode


def test_a_full_postcode_rule_never_writes_the_postcode_to_the_audit_trail(make_referral, orgs):
    services.add_rule("NS1 2AB", orgs["provider_b"], username="test")
    referral = make_referral(postcode="NS1 2AB")
    event = AuditEvent.objects.get(verb="referral.routed", object_id=str(referral.public_id))
    assert event.payload == {
        "to_organisation": orgs["provider_b"].pk,
        "matched_by": "postcode rule",
    }


def test_a_referral_no_rule_covers_stays_open_with_the_triage_team_on_the_same_clock(
    make_referral, derbyshire, orgs
):
    referral = make_referral(postcode="LE1 1AA")
    assert referral.status == Referral.Status.RECEIVED
    assert referral.routed_to == orgs["provider_a"]
    assert referral.outcome_at is None
    assert referral.signposted_to == ""
    assert referral.due_by is not None
    unrouted = UnroutedReferral.unscoped.get(referral=referral)
    assert unrouted.team == orgs["provider_a"]
    assert AuditEvent.objects.filter(
        verb="referral.unrouted", object_id=str(referral.public_id)
    ).exists()


def test_an_area_triage_team_beats_the_platform_team(make_referral, derbyshire, orgs):
    services.set_triage_team(orgs["provider_b"], area="LE", username="test")
    assert make_referral(postcode="LE1 1AA").routed_to == orgs["provider_b"]
    assert make_referral(postcode="ZE1 0AA").routed_to == orgs["provider_a"]


def test_without_any_triage_team_a_referral_is_still_never_closed(make_referral):
    referral = make_referral(postcode="ZE1 0AA")
    assert referral.routed_to is None
    assert referral.status == Referral.Status.RECEIVED
    assert UnroutedReferral.unscoped.get(referral=referral).team is None


def test_a_prefix_another_provider_holds_cannot_be_taken(derbyshire):
    with pytest.raises(services.CoverageError, match="covered by Crossroads"):
        services.add_rule("ng10", derbyshire["glow"], username="test")


def test_a_police_force_cannot_cover_postcodes(orgs):
    with pytest.raises(services.CoverageError, match="advocacy provider"):
        services.add_rule("LE", orgs["police"], username="test")


def test_removing_a_rule_lets_the_shorter_rule_apply(derbyshire):
    services.remove_rule("de73 5", username="test")
    assert routing.provider_for_postcode("DE73 5AB").organisation == derbyshire["crossroads"]
    assert AuditEvent.objects.filter(verb="coverage.rule_removed").count() == 1


def test_naming_a_triage_team_gives_it_the_referrals_that_reached_nobody(make_referral, orgs):
    waiting = make_referral(postcode="ZE1 0AA")
    assert waiting.routed_to is None
    services.set_triage_team(orgs["provider_b"], username="test")
    waiting.refresh_from_db()
    assert (waiting.routed_to, waiting.status) == (orgs["provider_b"], Referral.Status.RECEIVED)
    assert UnroutedReferral.unscoped.get(referral=waiting).team == orgs["provider_b"]
    assert (
        AuditEvent.objects.get(verb="referral.routed", object_id=str(waiting.public_id)).payload[
            "matched_by"
        ]
        == "triage team named later"
    )
