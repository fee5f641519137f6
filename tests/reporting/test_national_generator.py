"""benchmarks/national.py writes a consistent dataset (tiny size) on the database under test, with
the indexes it dropped for the load built again, and the dashboard reads it."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).parents[2]
TODAY = datetime.date(2026, 12, 1)


def _indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {
            name
            for name, info in connection.introspection.get_constraints(cursor, table).items()
            if info["index"]
        }


@pytest.mark.django_db(transaction=True)
def test_the_national_generator_writes_cases_referrals_and_diaries_that_add_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks.national import generate

    from harbour.cases.models import Case, Client
    from harbour.evidence.models import Incident, IncidentVersion
    from harbour.referrals.models import Referral

    before = {t: _indexes(t) for t in ("cases_case", "referrals_referral", "evidence_incident")}
    made = generate(cases=120, incidents_per_case=3, today=TODAY, progress=lambda _m: None)

    assert Client.unscoped.count() == Case.unscoped.count() == 120
    assert Referral.unscoped.count() == made["referrals"] == 192
    # Every case came from an accepted referral routed to the case's own provider.
    accepted = Referral.unscoped.filter(case__isnull=False)
    assert accepted.count() == 120
    assert all(r.routed_to_id == r.case.organisation_id for r in accepted.select_related("case"))
    # Each diary entry has its version; 0 to 6 entries per case, 3 on average or so.
    assert Incident.unscoped.count() == IncidentVersion.unscoped.count() == made["incidents"]
    assert 120 * 2 <= made["incidents"] <= 120 * 4
    # Identifying fields hold real ciphertext that decrypts (from a small pool).
    assert Client.unscoped.first().given_name  # type: ignore[union-attr]
    assert {t: _indexes(t) for t in before} == before


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_reads_the_generated_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks.national import generate

    from harbour.accounts.models import User
    from harbour.core import policy
    from harbour.referrals.models import Referral
    from harbour.reporting import figures

    generate(cases=200, incidents_per_case=2, today=TODAY, progress=lambda _m: None)
    office = User.objects.filter(role="commissioner").select_related("organisation").first()
    assert office is not None
    scope = figures.scope_for(office, policy.reporting_organisations(office))
    protected = figures.protected_year(scope, 2026, TODAY)
    providers = [p.pk for p in scope.providers]
    start = datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC) - datetime.timedelta(hours=1)
    expected = Referral.unscoped.filter(routed_to__in=providers, received_at__gte=start).count()
    counted = sum(
        protected.true_values[("referrals", "total", ("org", pk), "FY2026")] for pk in providers
    )
    assert counted == expected
