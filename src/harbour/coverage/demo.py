"""Demo coverage: the sector rules, triage teams, authority mappings and a synthetic ONS extract
that follow the Derby city / Derbyshire county split (harbour.demo.data)."""

from __future__ import annotations

from harbour.accounts.models import Organisation
from harbour.coverage import importer, services
from harbour.demo import data

USERNAME = "harbour demo"


def load(orgs: dict[str, Organisation]) -> None:
    for key, sector, note in data.SECTORS:
        services.add_rule(sector, orgs[key], note=note, username=USERNAME)
    for area, key in data.TRIAGE_TEAMS:
        services.set_triage_team(orgs[key], area=area, username=USERNAME)
    for code, name, key in data.AUTHORITIES:
        services.map_authority(code, orgs[key], name=name, username=USERNAME)
    importer.import_text(data.ONSPD_SAMPLE, username=USERNAME)
