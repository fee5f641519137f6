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


def test_a_token_prefix_never_starts_like_an_option(orgs, monkeypatch):
    # token_urlsafe draws "-" as the first character one time in 64: such a prefix would read as
    # an option to `revoke` (seen as a flaky failure of the test above).
    draws = iter(["-" + "A" * 42, "B" * 43])
    monkeypatch.setattr("harbour.api.models.secrets.token_urlsafe", lambda n: next(draws))
    row, token = ApiToken.issue(orgs["police"], "force system")
    assert row.prefix == "B" * 8
    assert token.endswith("B" * 43)


def test_an_older_prefix_starting_with_a_dash_is_revoked_after_a_double_dash(orgs):
    row, _token = ApiToken.issue(orgs["police"], "force system")
    ApiToken.objects.filter(pk=row.pk).update(prefix="-Ab3dEf9")
    call_command("api-token", "revoke", "--", "-Ab3dEf9", stdout=StringIO())
    row.refresh_from_db()
    assert not row.is_active


def test_unknown_organisation_is_an_error(orgs):
    with pytest.raises(CommandError):
        call_command("api-token", "create", "--org", "Nowhere", stdout=StringIO())
