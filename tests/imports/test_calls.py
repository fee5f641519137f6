"""Calls become diary entries with their counts and durations."""

from __future__ import annotations

import pytest

from harbour.accounts.models import User
from harbour.cases.models import Case
from harbour.evidence.models import IncidentVersion
from harbour.imports import services
from tests.imports.conftest import drive, upload

pytestmark = pytest.mark.django_db

CALLS = b"""<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<calls count="4">
  <call number="+447911123456" duration="65" date="1772355600000" type="1" presentation="1" />
  <call number="+447911123456" duration="0" date="1772355700000" type="3" presentation="1" />
  <call number="+447911123456" duration="30" date="1772355800000" type="4" presentation="1" />
  <call number="+447911123456" duration="12" date="1772355900000" type="2" presentation="1" />
</calls>
"""


def test_the_suspects_calls_become_one_entry_a_day_with_counts_and_durations(
    case_a: Case, cast: dict[str, User], suspect_on_case: object
) -> None:
    job = drive(services.start_import(case_a, upload(CALLS, "calls.xml"), by=cast["alice"]))
    people = job.participant_list()
    suspect = next(i for i, p in enumerate(people) if p["proposed"] == "suspect")
    assert people[suspect]["calls"] == 3  # matched to the suspect's number by blind index
    owner = next(i for i, p in enumerate(people) if p["name"] == services.OWNER)
    services.choose_participants(job, suspect=suspect, client=owner, by=cast["alice"])
    job = drive(job)
    (version,) = IncidentVersion.unscoped.filter(incident__case=case_a)
    assert (version.count, version.behaviours) == (3, ["calls"])
    assert "3 calls" in version.what_happened
    assert "2 missed, rejected or to voicemail" in version.what_happened
    assert "1 min 35 s in all" in version.what_happened
    assert "lines 3 to 5" in version.what_happened
