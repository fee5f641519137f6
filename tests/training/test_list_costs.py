"""The training, partner and programme lists cost the same number of queries with one item as with
eleven: no page makes a query per row."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harbour.programmes import services as programmes
from harbour.training import services
from tests.conftest import statements

pytestmark = pytest.mark.django_db


def add_unit(orgs: dict[str, Any], cast: dict[str, Any], n: int) -> None:
    """One more of everything the lists show: a request, a partner with a session (delivered, with
    an attendee), and a participant with a started plan."""
    provider, tariq, priya = orgs["provider_a"], cast["tariq"], cast["priya"]
    services.receive_request(
        provider,
        {
            "organisation_name": f"Org {n}",
            "sector": "health",
            "people": 5,
            "place": "online",
            "contact_name": "C",
        },
    )
    partner = services.add_partner(provider, by=tariq, name=f"Partner {n}", sector="health")
    sessions = []
    for ago in (3, -3):
        session = services.schedule_session(
            provider,
            by=tariq,
            title="Awareness",
            starts_at=timezone.now() - datetime.timedelta(days=ago),
            duration_minutes=60,
            place="online",
            venue="",
            area="",
            trainer=tariq,
            capacity=5,
            partner=partner,
        )
        services.add_attendee(
            session, name="A", email="", sector="health", partner=partner, by=tariq
        )
        sessions.append(session)
    services.deliver_session(sessions[0], attendance={"health": 1}, by=tariq)
    participant = programmes.add_participant(
        orgs["programme"],
        by=priya,
        given_name=f"P{n}",
        route="spo",
        referring_force=orgs["police"],
        practitioner=priya,
    )
    programmes.start_programme(participant, first_session=timezone.localdate(), by=priya)


def queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return statements(captured)


PAGES = [
    ("tariq", "/training/"),
    ("tariq", "/home/"),
    ("tariq", "/partners/"),
    ("alice", "/partners/"),
    ("priya", "/programmes/"),
    ("priya", "/home/"),
    ("pete", "/programmes/referred-by-police/"),
    ("pete", "/home/"),
]


@pytest.mark.parametrize(("person", "url"), PAGES)
@pytest.mark.usefixtures("steady_session")
def test_a_list_costs_the_same_with_one_item_or_eleven(person, url, orgs, cast, as_user):
    add_unit(orgs, cast, 0)
    client = as_user(person)
    client.get(url)  # warm the session
    one = queries(client, url)
    for n in range(1, 11):
        add_unit(orgs, cast, n)
    assert queries(client, url) == one
