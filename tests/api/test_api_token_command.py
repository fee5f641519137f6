"""harbour api-token create / list / revoke."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from harbour.api.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db


def test_create_prints_a_token_once_and_stores_its_hash(orgs):
    out = StringIO()
    call_command("api-token", "create", "--org", "Northshire Police", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    row = ApiToken.objects.get()
    assert row.organisation == orgs["police"]
    assert row.token_hash == hash_token(token)


def test_list_shows_prefixes_not_tokens_and_revoke_stops_a_token(orgs):
    row, token = ApiToken.issue(orgs["police"], "force system")
    out = StringIO()
    call_command("api-token", "list", stdout=out)
    assert row.prefix in out.getvalue()
    assert token not in out.getvalue()
    call_command("api-token", "revoke", row.prefix, stdout=StringIO())
    row.refresh_from_db()
    assert not row.is_active


def test_unknown_organisation_is_an_error(orgs):
    with pytest.raises(CommandError):
        call_command("api-token", "create", "--org", "Nowhere", stdout=StringIO())
