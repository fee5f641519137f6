"""The training and programme pages carry the same browser protections as the rest of Harbour:
never stored by the browser, a strict Content Security Policy, and no person's name in a title."""

from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient

from tests.access import expect_programmes, expect_training
from tests.access.routes import World
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

NAMES = ["Lysander", "Orsino", "Viola", "Morwenna", "Ptolemy", "Larkfield Surgery"]


@pytest.fixture
def fetched(cast, orgs):
    world = World(cast=cast, orgs=orgs)
    expect_training.build(world)
    expect_programmes.build(world)
    pages = [
        ("tariq", "/home/"),
        ("tariq", "/training/"),
        ("tariq", f"/training/requests/{world.request.public_id}/"),
        ("tariq", f"/training/sessions/{world.session.public_id}/"),
        ("tariq", f"/partners/{world.partner.public_id}/"),
        ("priya", "/home/"),
        ("priya", "/programmes/"),
        ("priya", f"/programmes/participants/{world.participant.public_id}/"),
        ("pete", f"/programmes/referred-by-police/{world.participant.public_id}/"),
        ("alice", f"/programmes/cases/{world.case.public_id}/suspect-attendance/"),
        (None, "/public/training/request/"),
        (None, f"/public/training/feedback/{world.delivered_attendee.token}/"),
    ]
    responses = []
    for person, path in pages:
        client = signed_in_client(cast[person]) if person else HttpClient()
        response = client.get(path)
        assert response.status_code == 200, (person, path)
        responses.append((f"{person} {path}", response))
    return responses


def test_every_page_is_never_stored_and_has_a_strict_policy(fetched):
    for where, response in fetched:
        assert "no-store" in response["Cache-Control"], where
        assert "script-src" in response["Content-Security-Policy"], where


def test_no_title_names_a_person_or_an_organisation(fetched):
    for where, response in fetched:
        (title,) = re.findall(r"<title>(.*?)</title>", response.content.decode(), re.S)
        assert title.endswith(" - Harbour"), (where, title)
        assert not [name for name in NAMES if name in title], (where, title)
