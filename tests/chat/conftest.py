"""Live chat fixtures: provider A's chat service (open every hour unless a test closes it), a
visitor's client, and Alice taking chats."""

from __future__ import annotations

import pytest
from django.test import Client

from harbour.chat import services
from harbour.chat.models import ChatService, SavedReply

ALWAYS_OPEN = {str(day): [["00:00", "23:59:59.999999"]] for day in range(7)}
CLOSED = {}


def make_service(org, *, slug: str = "northshire", hours=None, **fields) -> ChatService:
    service = ChatService.objects.create(
        organisation=org,
        slug=slug,
        opening_hours=ALWAYS_OPEN if hours is None else hours,
        helpline="Northshire Advocacy out of hours: 01632 960 001",
        **fields,
    )
    SavedReply.objects.create(
        service=service,
        title="National Stalking Helpline",
        body="The National Stalking Helpline is on 0808 802 0300.",
    )
    return service


@pytest.fixture
def service(orgs) -> ChatService:
    return make_service(orgs["provider_a"])


@pytest.fixture
def on_duty(service, cast):
    """Alice is taking chats."""
    services.set_available(cast["alice"], service, available=True)
    return cast["alice"]


@pytest.fixture
def visitor() -> Client:
    return Client()


def start_as_visitor(client: Client, slug: str = "northshire", alias: str = "Sam") -> None:
    response = client.post(f"/public/chat/{slug}/", {"alias": alias})
    assert response.status_code == 302, response.content[:2000]
    assert response["Location"] == f"/public/chat/{slug}/conversation/"
