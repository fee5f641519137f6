"""``harbour areas``: the operator's view and changes of coverage."""

import pytest
from django.core.management import CommandError, call_command

from harbour.accounts.models import ServiceArea
from harbour.coverage.models import AuthorityProvider, CoverageRule, TriageTeam

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("areas", *args, stdout=out)
    return out.getvalue()


def test_an_operator_adds_rules_at_each_level_and_sees_where_a_postcode_goes(orgs):
    assert "Northshire Advocacy now covers postcode area NS" in run(
        "add", "ns", "Northshire Advocacy"
    )
    run("add", "NS2 4", "Southshire Support", "--note", "Old town")
    run("add", "NS3", "Southshire Support")
    assert ServiceArea.objects.filter(postcode_district="NS3").exists()
    assert set(CoverageRule.objects.values_list("prefix", "level")) == {
        ("NS", "area"),
        ("NS2 4", "sector"),
    }
    assert run("which", "NS2 4AB").strip() == "Southshire Support (by rule NS2 4)"
    assert run("which", "NS2 5AB").strip() == "Northshire Advocacy (by rule NS)"
    listing = run()
    assert "NS2 4      sector    Southshire Support" in listing
    assert "WARNING: no platform-wide triage team" in listing


def test_an_operator_names_triage_teams_and_maps_authorities(orgs):
    run("triage", "Northshire Advocacy")
    run("triage", "Southshire Support", "--area", "ZE")
    assert dict(TriageTeam.objects.values_list("area", "organisation__name")) == {
        "": "Northshire Advocacy",
        "ZE": "Southshire Support",
    }
    assert run("which", "ZE1 0AA").strip() == (
        "No rule covers it: unrouted, triaged by Southshire Support"
    )
    run("map", "e06000015", "Northshire Advocacy", "--name", "Northtown")
    assert AuthorityProvider.objects.get().code == "E06000015"
    run("unmap", "E06000015")
    assert not AuthorityProvider.objects.exists()
    assert "WARNING" not in run()


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("add", "NS1", "Southshire Support"), "NS1 is covered by Northshire Advocacy"),
        (("add", "NS9", "Northshire Police"), "Only an active advocacy provider"),
        (("add", "nonsense", "Southshire Support"), "Enter a postcode area"),
        (("add", "NS9", "Nobody"), "No organisation is called 'Nobody'"),
        (("remove", "NS9"), "There is no rule for NS9 to remove"),
        (("map", "Derby", "Southshire Support"), "is not an ONS local authority code"),
    ],
)
def test_a_change_that_cannot_be_made_is_refused_with_a_reason(orgs, args, reason):
    with pytest.raises(CommandError, match=reason):
        run(*args)
