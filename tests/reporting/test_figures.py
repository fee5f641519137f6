"""Every figure against counts worked out by hand from the world in conftest.py."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from harbour.core import policy
from harbour.reporting import dashboard, figures
from harbour.reporting.figures import scope_for
from harbour.reporting.periods import Period
from harbour.reporting.tables import ALL, TOTAL

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 31)
MAY = Period.month(2025, 5)
Q1 = Period.quarter_of(MAY.start)  # April to June 2025


def _office(cast: dict[str, Any]) -> Any:
    cora = cast["cora"]
    return scope_for(cora, policy.reporting_organisations(cora))


def test_referrals_by_source_per_provider_and_in_all(world: dict[str, Any], cast: Any) -> None:
    scope = _office(cast)
    protected = figures.protected_year(scope, 2025, TODAY)
    a, b = ("org", world["a"].pk), ("org", world["b"].pk)

    def value(cat: str, col: Any, p: Period = MAY) -> int | None:
        return protected.value(figures.SOURCES, cat, col, p)

    def true(cat: str, col: Any, p: Period = MAY) -> int:
        name = "referrals" if cat == TOTAL else "sources"
        return protected.true_values[(name, cat, col, p.slug)]

    # The counts, by hand.
    assert (true("police", a), true("self", a), true("professional", a)) == (12, 6, 2)
    assert (true("police", b), true("self", b), true(TOTAL, (ALL,))) == (3, 7, 30)
    # What is published: the small ones hidden (A's 2 professional referrals, B's 3 police), and
    # partners beside them (A's 12 police referrals, so A's row does not give the 2 away).
    assert value("professional", a) is None
    assert value("police", b) is None
    assert value("police", a) is None
    assert value("self", a) == 6
    assert value("self", b) == 7
    assert value("self", (ALL,)) == 13
    assert value(TOTAL, a) == 20
    assert value(TOTAL, (ALL,)) == 30
    # The quarter: June's 8 self-referrals added to May's.
    assert value("self", a, Q1) == 14


def test_a_commissioner_sees_the_area_column_as_the_sum_of_its_providers(
    world: dict[str, Any], cast: Any
) -> None:
    scope = _office(cast)
    protected = figures.protected_year(scope, 2025, TODAY)
    north = ("area", world["north"].pk)
    assert protected.value(figures.SOURCES, "self", north, MAY) == 6
    assert protected.value(figures.SOURCES, TOTAL, north, Q1) == 28


def test_the_victims_code_by_force_counts_ten_within_and_hides_two_late(
    world: dict[str, Any], cast: Any
) -> None:
    scope = _office(cast)
    protected = figures.protected_year(scope, 2025, TODAY)
    force = ("org", world["police"].pk)
    assert protected.value(figures.VICTIMS_CODE, "within", force, MAY) == 10
    assert protected.value(figures.VICTIMS_CODE, "late", force, MAY) is None
    assert protected.value(figures.VICTIMS_CODE, TOTAL, force, MAY) == 15


def test_victims_taken_on_by_gender_and_cyber(world: dict[str, Any], cast: Any) -> None:
    scope = _office(cast)
    protected = figures.protected_year(scope, 2025, TODAY)
    a = ("org", world["a"].pk)
    assert protected.value(figures.GENDER, "woman", a, MAY) == 7
    assert protected.value(figures.GENDER, "man", a, MAY) is None
    assert protected.value(figures.GENDER, TOTAL, a, MAY) == 9
    # 5 with cyber elements, 4 without: the 4 is hidden, so the 5 goes with it.
    assert protected.true_values[("cyber", "yes", a, MAY.slug)] == 5
    assert protected.value(figures.CYBER, "yes", a, MAY) is None
    assert protected.value(figures.CYBER, "no", a, MAY) is None
    assert protected.value(figures.CYBER, TOTAL, a, MAY) == 9


def test_headlines_police_rate_and_iceberg(world: dict[str, Any], cast: Any) -> None:
    scope = _office(cast)
    protected = figures.protected_year(scope, 2025, TODAY)
    dash = dashboard.build(scope, protected, MAY, (ALL,), 4)
    assert dash.headlines["referrals"] == 30
    # First contact: 12 police referrals within the target, 6 self-referrals after it.
    assert dash.headlines["first_contact_share"] == round(100 * 12 / 18)
    # Median of twelve 0s and six 4-working-day waits (14 May to 20 May 2025).
    assert dash.headlines["first_contact_median"] == 0.0
    (force,) = dash.police_rate
    assert force["police_referrals"] == 15
    assert force["crimes_recorded"] == 40
    assert force["rate"] == round(100 * 15 / 40)
    assert force["code_share"] is None  # 2 late is hidden, so the share of known is too
    north = next(row for row in dash.iceberg if row["area"] == "North")
    assert north["estimated"] == 7301  # 280,800 x 2.6%
    assert north["crimes_recorded"] == 40
    assert north["referrals"] == 28


def test_a_manager_sees_only_their_own_organisation(world: dict[str, Any], cast: Any) -> None:
    mia = cast["mia"]
    scope = scope_for(mia, policy.reporting_organisations(mia))
    assert [p.pk for p in scope.providers] == [world["a"].pk]
    protected = figures.protected_year(scope, 2025, TODAY)
    dash = dashboard.build(scope, protected, MAY, (ALL,), 4)
    assert dash.headlines["referrals"] == 20
    assert dash.iceberg == []


def test_the_quarterly_return_has_a_row_per_provider_area_and_all(
    world: dict[str, Any], cast: Any
) -> None:
    scope = _office(cast)
    protected = figures.protected_year(scope, 2025, TODAY)
    found = dashboard.quarterly_return(scope, protected, Q1, ["sources.self", "sources.total"])
    rows = dict(found.rows)
    assert rows["Northshire Advocacy"] == [14, 28]
    assert rows["North"] == [14, 28]
    assert rows["All"] == [21, 38]


def test_nothing_hidden_on_the_whole_dashboard_can_be_worked_out(
    world: dict[str, Any], cast: Any
) -> None:
    from harbour.reporting.tables import year_cells
    from tests.reporting.test_disclosure import recoverable

    scope = _office(cast)
    today = TODAY
    counts = figures.monthly_counts(scope, 2025, today)
    protected = figures.protected_year(scope, 2025, today)
    cells: dict[Any, int] = {}
    eqs: list[Any] = []
    for spec in figures.ALL_SPECS:
        more, equations = year_cells(spec, scope.columns(spec.by), counts.get(spec.key, {}), 2025)
        cells.update(more)
        eqs += equations
    hidden = {k for k, v in protected.values.items() if v is None}
    assert {k for k, v in cells.items() if 1 <= v <= 4} <= hidden
    assert recoverable(cells, eqs, hidden) == {}
    # Every published cell is the true count.
    assert all(protected.values[k] in (None, v) for k, v in cells.items())


def test_the_cached_protection_is_never_stale_when_a_count_changes(
    world: dict[str, Any], cast: Any
) -> None:
    from tests.reporting.conftest import at, referral

    scope = _office(cast)
    a = ("org", world["a"].pk)
    before = figures.protected_year(scope, 2025, TODAY)
    again = figures.protected_year(scope, 2025, TODAY)
    assert again.values == before.values
    assert before.true_values[("sources", "self", a, MAY.slug)] == 6
    referral(world["a"], "self", at(2025, 5, 20))
    after = figures.protected_year(scope, 2025, TODAY)
    assert after.true_values[("sources", "self", a, MAY.slug)] == 7
    assert after.value(figures.SOURCES, TOTAL, (ALL,), MAY) == 31


def test_a_referral_half_an_hour_after_midnight_in_summer_counts_in_the_new_month(
    orgs: dict[str, Any],
) -> None:
    """Months are local (Europe/London): 23:30 UTC on 31 May is 00:30 on 1 June in summer time."""
    from tests.reporting.conftest import referral

    provider = orgs["provider_a"]
    late_may_utc = datetime.datetime(2025, 5, 31, 23, 30, tzinfo=datetime.UTC)
    for _ in range(5):
        referral(provider, "self", late_may_utc)
    referral(provider, "self", datetime.datetime(2025, 5, 31, 22, 59, tzinfo=datetime.UTC))
    counts = figures._referral_counts([provider.pk], 2025)["sources"]
    assert counts[("self", provider.pk, datetime.date(2025, 6, 1))] == 5
    assert counts[("self", provider.pk, datetime.date(2025, 5, 1))] == 1


def test_the_first_contact_median_counts_working_days_between_local_dates(
    orgs: dict[str, Any],
) -> None:
    """Friday 23:30 UTC in summer is Saturday locally: contact on Monday is 1 working day."""
    from tests.reporting.conftest import referral

    provider = orgs["provider_a"]
    saturday_local = datetime.datetime(2025, 6, 6, 23, 30, tzinfo=datetime.UTC)
    monday = datetime.datetime(2025, 6, 9, 10, 0, tzinfo=datetime.UTC)
    tuesday = datetime.datetime(2025, 6, 10, 10, 0, tzinfo=datetime.UTC)
    for contact in (monday, monday, monday, tuesday, tuesday):
        referral(provider, "self", saturday_local, first_contact_at=contact)
    june = Period.month(2025, 6)
    assert dashboard.first_contact_median([provider.pk], june, 4) == 1.0
    assert dashboard.first_contact_median([provider.pk], june, 5) is None  # five is not enough
