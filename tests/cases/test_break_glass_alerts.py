"""A manager is alerted on their home page when one person claims emergency access to more cases
in a day than HARBOUR_BREAK_GLASS_ALERT_CASES: a trawl through colleagues' cases shows up at once."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.cases.models import BreakGlassGrant
from harbour.cases.services import open_case

pytestmark = pytest.mark.django_db

ALERT = "Emergency access used unusually often"


@pytest.fixture
def colleagues_cases(cast, orgs):
    return [
        open_case(
            organisation=orgs["provider_a"],
            client_fields={"given_name": f"Client {number}"},
            by=cast["mia"],
            allocated_to=cast["alice"],
            source="test",
        )
        for number in range(4)
    ]


def claim(client, case):
    return client.post(
        reverse("cases:break_glass"), {"reference": case.reference, "reason": "Client rang"}
    )


def test_more_claims_than_the_limit_in_a_day_alert_the_manager(
    as_user, cast, colleagues_cases, settings
):
    settings.HARBOUR_BREAK_GLASS_ALERT_CASES = 3
    amir = as_user("amir")
    for case in colleagues_cases:
        assert claim(amir, case).status_code == 302
    page = as_user("mia").get("/home/").content.decode()
    assert ALERT in page
    assert "Amir opened 4 cases" in page
    assert reverse("cases:break_glass_reviews") in page


def test_claims_up_to_the_limit_raise_no_alert(as_user, colleagues_cases, settings):
    settings.HARBOUR_BREAK_GLASS_ALERT_CASES = 4
    amir = as_user("amir")
    for case in colleagues_cases:
        claim(amir, case)
    assert ALERT not in as_user("mia").get("/home/").content.decode()


def test_claims_older_than_a_day_do_not_count(as_user, colleagues_cases, settings):
    settings.HARBOUR_BREAK_GLASS_ALERT_CASES = 3
    amir = as_user("amir")
    for case in colleagues_cases:
        claim(amir, case)
    BreakGlassGrant.objects_base.update(granted_at=timezone.now() - datetime.timedelta(hours=25))
    assert ALERT not in as_user("mia").get("/home/").content.decode()


def test_another_providers_manager_is_not_alerted(as_user, colleagues_cases, settings):
    settings.HARBOUR_BREAK_GLASS_ALERT_CASES = 1
    amir = as_user("amir")
    for case in colleagues_cases:
        claim(amir, case)
    assert ALERT not in as_user("bea").get("/home/").content.decode()
    assert ALERT not in as_user("alice").get("/home/").content.decode()
