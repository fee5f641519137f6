"""Every link in a person's service navigation opens for that person, and no link leads elsewhere."""

import pytest
from django.urls import reverse

from harbour.core import policy
from tests.conftest import CAST


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CAST))
def test_every_navigation_link_opens_for_the_person_it_is_shown_to(name, cast, as_user):
    client = as_user(name)
    items = policy.navigation_for(cast[name])
    assert items[0] == ("core:home", "Home")
    for url_name, _label in items:
        response = client.get(reverse(url_name))
        assert response.status_code == 200, (name, url_name, response.status_code)


@pytest.mark.django_db
def test_case_links_are_only_shown_to_provider_caseworkers(cast):
    shown = {name for name in CAST if ("cases:list", "Cases") in policy.navigation_for(cast[name])}
    assert shown == {"alice", "amir", "mia", "bob", "bea"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "url_name", "label"),
    [
        ("mia", "accounts:role_requests", "Account approvals"),
        ("mia", "accounts:security", "Your account"),
        ("mia", "accounts:password_change", "Your account"),
        ("ada", "accounts:user_new", "Users"),
        ("mia", "cases:list", "Cases"),
        ("mia", "core:home", "Home"),
    ],
)
def test_exactly_one_navigation_item_is_marked_current(name, url_name, label, as_user):
    page = as_user(name).get(reverse(url_name)).content.decode()
    assert page.count('aria-current="page"') == 1
    assert (
        f'aria-current="page"><strong class="govuk-service-navigation__active-fallback">{label}<'
        in page
    )
