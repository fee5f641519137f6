"""The home page's review lists (safety plan reviews, risk reviews, safe contact to check) come
from one query over the person's own open cases and keep each list's rules and order."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from harbour.cases import services
from harbour.cases.models import Case, ContactPreference, SafetyPlan
from harbour.cases.queries import HOME_LIST, today_for
from harbour.risk import services as risk_services
from harbour.risk.models import Assessment, InstrumentVersion

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def _case(orgs: dict[str, Any], cast: dict[str, Any], to: str | None = "alice", **kw: Any) -> Case:
    case = services.open_case(
        organisation=orgs["provider_a"],
        client_fields={"given_name": "Review", "family_name": "Due"},
        by=cast["mia"],
        allocated_to=cast[to] if to else None,
    )
    if kw.get("restricted"):
        Case.unscoped.filter(pk=case.pk).update(restricted=True)
        case.named_users.set([cast[name] for name in kw.get("named", [])])
    if "plan_on" in kw:
        SafetyPlan.unscoped.create(case=case, review_date=kw["plan_on"])
    if "stale" in kw:
        confirmed = None if kw["stale"] is None else _days(-kw["stale"])
        ContactPreference.unscoped.create(
            case=case, channel="call", safe=True, last_confirmed_on=confirmed
        )
    return case


def _assess(case: Case, cast: dict[str, Any], review_on: datetime.date, ago_days: int) -> None:
    risk_services.ensure_shipped_instruments()
    version = InstrumentVersion.objects.get(slug="harbour-stalking-risk", version="1.1.0")
    done = risk_services.record_assessment(
        case, instrument_version=version, answers={"victim_fear": "yes"}, by=cast["alice"]
    )
    Assessment.unscoped.filter(pk=done.pk).update(
        review_on=review_on, assessed_at=timezone.now() - datetime.timedelta(days=ago_days)
    )


def _refs(rows: list[Any]) -> list[str]:
    return [row.reference for row in rows]


def test_each_review_list_keeps_its_rule_and_its_order(orgs, cast) -> None:
    late_plan = _case(orgs, cast, plan_on=_days(-3))
    due_plan = _case(orgs, cast, plan_on=TODAY)
    _case(orgs, cast, plan_on=_days(5))  # not yet due
    _case(orgs, cast, plan_on=None)  # no review date
    overdue_risk = _case(orgs, cast)
    _assess(overdue_risk, cast, _days(-10), ago_days=40)
    superseded = _case(orgs, cast)  # an old assessment was due; the latest one is not
    _assess(superseded, cast, _days(-20), ago_days=60)
    _assess(superseded, cast, _days(30), ago_days=1)
    stale = _case(orgs, cast, stale=400)
    never = _case(orgs, cast, stale=None)  # never confirmed
    _case(orgs, cast, stale=1)  # confirmed yesterday
    found = today_for(cast["alice"])
    assert _refs(found["safety_plan_reviews"]) == [late_plan.reference, due_plan.reference]
    assert [row.due for row in found["safety_plan_reviews"]] == [_days(-3), TODAY]
    assert _refs(found["risk_reviews"]) == [overdue_risk.reference]
    assert found["risk_reviews"][0].due == _days(-10)
    assert _refs(found["reconfirm_safe_contact"]) == [stale.reference, never.reference]
    totals = [found[f"{key}_total"] for key in ("safety_plan_reviews", "risk_reviews")]
    assert totals + [found["reconfirm_safe_contact_total"]] == [2, 1, 2]


def test_only_my_open_cases_that_i_may_see_are_listed(orgs, cast) -> None:
    mine = _case(orgs, cast, plan_on=_days(-1))
    _case(orgs, cast, to="amir", plan_on=_days(-1))  # another advocate's
    _case(orgs, cast, to=None, plan_on=_days(-1))  # waiting for an advocate
    hidden = _case(orgs, cast, plan_on=_days(-1), restricted=True, named=["mia"])
    named = _case(orgs, cast, plan_on=_days(-1), restricted=True, named=["alice"])
    closed = _case(orgs, cast, plan_on=_days(-1))
    Case.unscoped.filter(pk=closed.pk).update(status=Case.Status.CLOSED)
    listed = set(_refs(today_for(cast["alice"])["safety_plan_reviews"]))
    assert listed == {mine.reference, named.reference}
    assert hidden.reference not in listed


def test_a_long_list_shows_the_first_ten_and_all_when_asked(orgs, cast) -> None:
    cases = [_case(orgs, cast, plan_on=_days(-n)) for n in range(HOME_LIST + 3, 0, -1)]
    shown = today_for(cast["alice"])
    assert _refs(shown["safety_plan_reviews"]) == [c.reference for c in cases[:HOME_LIST]]
    assert shown["safety_plan_reviews_total"] == HOME_LIST + 3
    every = today_for(cast["alice"], expand="safety_plan_reviews")["safety_plan_reviews"]
    assert _refs(every) == [c.reference for c in cases]


def test_the_home_page_links_each_review_to_its_case(orgs, cast, as_user) -> None:
    case = _case(orgs, cast, plan_on=_days(-2), stale=200)
    page = as_user("alice").get("/home/").content.decode()
    assert f'href="/cases/{case.public_id}/#safety-plan">{case.reference}</a>' in page
    assert f'href="/cases/{case.public_id}/#safe-contact">{case.reference}</a>' in page
    assert _days(-2).strftime("%-d %b %Y") in page


def test_the_home_figures_count_my_open_cases_i_may_see_and_the_waiting_ones(
    orgs, cast, as_user
) -> None:
    """ "Open cases allocated to you" is the review lists' own read of the advocate's open cases
    (the same rows as their scope narrowed to them); "waiting for an advocate" counts the visible
    unallocated open cases; the manager sees the organisation's open cases."""
    _case(orgs, cast)
    _case(orgs, cast, restricted=True, named=["alice"])
    _case(orgs, cast, restricted=True, named=["mia"])  # allocated to Alice, restricted from her
    _case(orgs, cast, to="amir")
    _case(orgs, cast, to=None)
    _case(orgs, cast, to=None)
    _case(orgs, cast, to=None, restricted=True, named=["mia"])  # waiting, restricted from Alice
    closed = _case(orgs, cast)
    Case.unscoped.filter(pk=closed.pk).update(status=Case.Status.CLOSED)

    def figure(page: str, words: str) -> int:
        before = page[: page.index(words)]
        return int(
            before[before.rindex('font-weight-bold govuk-!-margin-bottom-1">') :]
            .split(">")[1]
            .split("<")[0]
        )

    alice = as_user("alice").get("/home/").content.decode()
    assert figure(alice, "open cases allocated to you") == 2
    assert figure(alice, "open cases waiting for an advocate") == 2
    mia = as_user("mia").get("/home/").content.decode()
    assert figure(mia, "open cases in your organisation") == 6  # not the one restricted to Alice
    assert figure(mia, "open cases waiting for an advocate") == 3
