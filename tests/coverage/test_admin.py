"""Platform operators edit coverage rules in Django's admin, audited, with the same prefix rules."""

import pytest

from harbour.audit.models import AuditEvent
from harbour.coverage.models import CoverageRule
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(orgs):
    from harbour.accounts.models import User

    return User.objects.create(username="operator", is_superuser=True, is_staff=True)


def test_an_operator_adds_a_sector_rule_in_the_admin(operator, orgs):
    response = signed_in_client(operator).post(
        "/django-admin/coverage/coveragerule/add/",
        {"prefix": "ns2 4", "organisation": orgs["provider_a"].pk, "note": ""},
    )
    assert response.status_code == 302
    rule = CoverageRule.objects.get()
    assert (rule.prefix, rule.level) == ("NS2 4", "sector")
    assert AuditEvent.objects.filter(verb="admin.added").exists()


def test_the_admin_sends_whole_districts_to_service_areas(operator, orgs):
    response = signed_in_client(operator).post(
        "/django-admin/coverage/coveragerule/add/",
        {"prefix": "NS2", "organisation": orgs["provider_a"].pk},
    )
    assert response.status_code == 200
    assert "A whole district is a service area" in response.content.decode()
    assert not CoverageRule.objects.exists()
