"""``harbour demo --cases-per-provider N`` beyond the fully worked cases: the scale dataset."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from harbour.accounts.models import Organisation
from harbour.cases.models import Case, Channel, Client, ContactPreference, SupportAction, Suspect
from harbour.demo.bulk import generate
from harbour.referrals.models import Referral
from harbour.risk.models import Assessment

RICH = 24


@pytest.fixture
def scaled(db: None) -> StringIO:
    out = StringIO()
    call_command("demo", cases_per_provider=RICH + 30, stdout=out)
    return out


def test_each_provider_gets_the_cases_asked_for_with_their_records(scaled: StringIO) -> None:
    providers = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER)
    from_referrals = Referral.objects.system("test").filter(case__isnull=False).values("case_id")
    for org in providers:
        cases = Case.objects.system("test").filter(organisation=org).exclude(pk__in=from_referrals)
        assert cases.count() == RICH + 30
    bulk = Case.objects.system("test").filter(organisation__in=providers).order_by("-pk")[:30]
    for case in bulk:
        assert ContactPreference.objects.system("test").filter(case=case).count() == len(Channel)
    worked = [c for c in bulk if c.allocated_to_id]
    assert worked
    for case in worked:
        assert Suspect.objects.system("test").filter(case=case).count() == 1
        assert Assessment.objects.system("test").filter(case=case).count() == 1
        assert SupportAction.objects.system("test").filter(case=case).exists()
    assert Referral.objects.system("test").count() > 0
    assert "cases" in scaled.getvalue()


def test_bulk_written_people_are_encrypted_and_indexed_like_any_other(scaled: StringIO) -> None:
    client = Client.objects.system("test").exclude(email_index="").order_by("-pk").first()
    assert client is not None and client.given_name and client.email_index
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name FROM cases_client WHERE id = %s", [client.pk])
        stored = cursor.fetchone()[0]
    assert client.given_name not in stored
    twin = Client(organisation=client.organisation, given_name="x", email=client.email)
    twin.refresh_indexes()
    assert twin.email_index == client.email_index


def test_references_stay_unique_and_planner_statistics_exist(scaled: StringIO) -> None:
    references = list(Case.objects.system("test").values_list("reference", flat=True))
    assert len(references) == len(set(references))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'cases_case'")
            assert cursor.fetchone()[0] > 0


def test_asking_for_no_more_than_exist_adds_nothing(scaled: StringIO) -> None:
    before = Case.objects.system("test").count()
    assert generate(RICH, seed=1, skip=RICH) == 0
    assert Case.objects.system("test").count() == before
