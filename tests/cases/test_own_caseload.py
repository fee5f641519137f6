"""policy.own_caseload is exactly a person's case scope narrowed to the cases allocated to them."""

from __future__ import annotations

from typing import Any

import pytest

from harbour.cases import services
from harbour.cases.models import Case
from harbour.core import policy

pytestmark = pytest.mark.django_db


def _case(orgs: dict[str, Any], cast: dict[str, Any], org: str, to: str | None, **kw: Any) -> Case:
    case = services.open_case(
        organisation=orgs[org],
        client_fields={"given_name": "Own", "family_name": "Caseload"},
        by=cast["mia" if org == "provider_a" else "bea"],
        allocated_to=cast[to] if to else None,
    )
    if kw.get("restricted"):
        Case.unscoped.filter(pk=case.pk).update(restricted=True)
        case.named_users.set([cast[name] for name in kw.get("named", [])])
    return case


def test_own_caseload_is_the_scope_narrowed_to_my_cases(orgs, cast) -> None:
    _case(orgs, cast, "provider_a", "alice")
    _case(orgs, cast, "provider_a", "alice", restricted=True, named=["alice"])
    _case(orgs, cast, "provider_a", "alice", restricted=True, named=["mia"])  # not named: hidden
    _case(orgs, cast, "provider_a", "amir")
    _case(orgs, cast, "provider_a", None)
    _case(orgs, cast, "provider_a", "mia")
    _case(orgs, cast, "provider_a", "mia", restricted=True, named=["alice"])
    _case(orgs, cast, "provider_b", "bob")
    for name in ("alice", "amir", "mia", "bob", "bea"):
        user = cast[name]
        own = policy.own_caseload(user)
        assert own is not None
        expected = set(
            Case.objects.for_user(user).filter(allocated_to=user).values_list("pk", flat=True)
        )
        assert set(Case.unscoped.filter(own).values_list("pk", flat=True)) == expected, name
    assert len(set(Case.unscoped.filter(policy.own_caseload(cast["alice"])))) == 2


def test_people_without_a_caseload_have_no_own_cases(cast) -> None:
    for name in ("tariq", "ada", "pete", "cora", "priya"):
        assert policy.own_caseload(cast[name]) is None
