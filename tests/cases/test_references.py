"""Case references: readable on the phone, sized for a national service, never a 500 on a clash."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from harbour.cases import models as case_models
from harbour.cases.models import Case, Client, new_reference

SHAPE = re.compile(r"^HB-[2-9BCDFGHJKMNPQRSTVWXYZ]{4}-[2-9BCDFGHJKMNPQRSTVWXYZ]{4}$")


def new_client(orgs: dict[str, Any]) -> Client:
    client = Client(organisation=orgs["provider_a"], given_name="Referencia")
    client.save()
    return client


def test_a_reference_is_two_groups_of_four_without_vowels_or_lookalikes() -> None:
    for _ in range(200):
        assert SHAPE.match(new_reference())


def test_opening_a_case_whose_reference_is_taken_draws_a_new_one(
    orgs: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = Case.objects_base.create(organisation=orgs["provider_a"], client=new_client(orgs))
    fresh = iter([taken.reference, "HB-2222-3333"])
    monkeypatch.setattr(case_models, "new_reference", lambda: next(fresh))
    with transaction.atomic():
        other = Client(organisation=orgs["provider_a"], given_name="Secundus")
        other.save()  # work done earlier in the same transaction must survive the clash
        case = Case(organisation=orgs["provider_a"], client=other, reference=taken.reference)
        case.save()
    assert case.reference == "HB-2222-3333"
    assert Case.objects_base.filter(reference="HB-2222-3333", client=other).exists()
    assert Client.objects_base.filter(pk=other.pk).exists()


def test_a_clash_that_keeps_happening_is_an_error_not_a_loop(
    orgs: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = Case.objects_base.create(organisation=orgs["provider_a"], client=new_client(orgs))
    monkeypatch.setattr(case_models, "new_reference", lambda: taken.reference)
    case = Case(organisation=orgs["provider_a"], client=new_client(orgs), reference=taken.reference)
    with pytest.raises(IntegrityError):
        case.save()
    assert Case.objects_base.filter(reference=taken.reference).count() == 1


def test_other_integrity_errors_are_not_retried(orgs: dict[str, Any]) -> None:
    first = Case.objects_base.create(organisation=orgs["provider_a"], client=new_client(orgs))
    duplicate_id = Case(
        organisation=orgs["provider_a"], client=new_client(orgs), public_id=first.public_id
    )
    with pytest.raises(IntegrityError):
        duplicate_id.save()
    assert Case.objects_base.filter(public_id=first.public_id).count() == 1
