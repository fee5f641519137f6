import pytest

from harbour.accounts.models import Organisation
from harbour.coverage import services
from tests.referrals.conftest import make_referral  # noqa: F401 - shared fixture


@pytest.fixture
def derbyshire(orgs):
    """Derby city and Derbyshire county in miniature: DE73 is the county's but for Chellaston's
    sector DE73 5, which is the city's; Long Eaton (NG10) and Whitwell's sector S80 4 are the
    county's. Provider A triages whatever nothing covers."""
    glow = Organisation.objects.create(name="Glow", kind="provider")
    crossroads = Organisation.objects.create(name="Crossroads", kind="provider")
    for prefix, org in (
        ("DE1", glow),
        ("DE73 5", glow),
        ("DE", crossroads),
        ("DE73", crossroads),
        ("NG10", crossroads),
        ("S80 4", crossroads),
    ):
        services.add_rule(prefix, org, username="test")
    services.set_triage_team(orgs["provider_a"], username="test")
    return {"glow": glow, "crossroads": crossroads}


ONSPD_HEADER = "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,ctry,rgn,lat,long"


def onspd(*rows: tuple[str, str, str, str]) -> str:
    """A synthetic ONSPD extract: (pcds, doterm, oscty, oslaua) per row, other columns filled."""
    lines = [ONSPD_HEADER]
    for pcds, doterm, oscty, oslaua in rows:
        compact = pcds.replace(" ", "")
        pcd = f"{compact[:-3]:<4}{compact[-3:]}"
        lines.append(
            f"{pcd},{pcd},{pcds},198001,{doterm},{oscty},E99999999,{oslaua},E05000001,"
            "E92000001,E12000004,52.9,-1.47"
        )
    return "\n".join(lines) + "\n"
