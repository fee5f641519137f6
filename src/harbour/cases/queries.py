"""Read-side helpers: the caseload annotations and "what must I do today". No N+1 anywhere.

Why unscoped: each helper is given a queryset or case the caller was already scoped to and only
adds annotations or counts over it; the unscoped reads are joined to that scoped set. The home
page's review lists read a caseworker's own cases through ``policy.own_caseload_of``, the condition
policy gives for exactly the cases allocated to them that they may see.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Window
from django.utils import timezone

from harbour.accounts.models import User
from harbour.cases import services
from harbour.cases.models import (
    BreakGlassGrant,
    Case,
    Client,
    ContactLogEntry,
    ContactPreference,
    SafetyPlan,
    SupportAction,
)
from harbour.core import policy
from harbour.core.fields import encrypted_fields_except
from harbour.core.precompiled import Precompiled
from harbour.evidence.models import PoliceSharingConsent
from harbour.risk.models import Assessment


def add_caseload_columns(cases: list[Case]) -> None:
    """Set ``last_contact_at``, ``next_action_due`` and ``next_action_area`` on a page of cases
    the caller has read through its scope: two plain queries on the page's case ids (served by the
    (case, at) and (case, status, due) indexes) instead of three correlated subqueries, which
    Django spent about as long building as SQLite spent running the whole list (issue #8)."""
    ids = [case.pk for case in cases]
    last: dict[int, datetime.datetime] = {row["case_id"]: row["last"] for row in last_contacts(ids)}
    first_due: dict[int, tuple[datetime.date | None, str | None]] = {}
    for case_id, due_on, area in open_actions(ids).values_list("case_id", "due_on", "area"):
        first_due.setdefault(case_id, (due_on, area))
    for case in cases:
        due, next_area = first_due.get(case.pk, (None, None))
        case.last_contact_at = last.get(case.pk)  # type: ignore[attr-defined]
        case.next_action_due = due  # type: ignore[attr-defined]
        case.next_action_area = next_area  # type: ignore[attr-defined]


def last_contacts(case_ids: list[int]) -> QuerySet[Any, dict[str, Any]]:
    """Each of these cases' latest contact (``last``), by the (case, at) index."""
    return (
        ContactLogEntry.unscoped.filter(case_id__in=case_ids)
        .values("case_id")
        .annotate(last=Max("at"))
        .order_by()
    )


def open_actions(case_ids: list[int]) -> QuerySet[SupportAction]:
    """These cases' open actions, soonest due first per case, by the (case, status, due) index."""
    return SupportAction.unscoped.filter(
        case_id__in=case_ids, status=SupportAction.Status.OPEN
    ).order_by("case_id", "due_on", "pk")


#: Rows per page of a case or referral list. 25, as GOV.UK services commonly show: a screenful an
#: advocate can scan, and half the work of 50 rows for every list page served (issue #8).
PAGE_SIZE = 25

#: The client's encrypted fields a case list shows (``display_name``): the rest are not loaded.
LIST_SHOWS = ("given_name", "family_name", "preferred_name")


def case_list_page(
    user: Any, cases: QuerySet[Case], number: Any, *, by_risk: bool = False
) -> Page[Case]:
    """One page of a case list, costing the same whatever the organisation's size.

    The count and the page's ids come from the bare filtered query (served by the case indexes);
    the caseload columns (risk, last contact, next action) are computed for those rows only.
    """
    order = ("-risk_level", "-opened_at", "-pk") if by_risk else ("-opened_at", "-pk")
    ids = cases.order_by(*order).values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(number)
    wanted = list(page.object_list)
    rows = (
        Case.objects.for_user(user)
        .filter(pk__in=wanted)
        .select_related("client", "allocated_to")
        # A row shows the client's name only: the other identifying fields are not read (each
        # would be decrypted as the row loads: about 250 decryptions a page for nothing).
        .defer(*(f"client__{name}" for name in encrypted_fields_except(Client, *LIST_SHOWS)))
    )
    by_id = {case.pk: case for case in rows}
    add_caseload_columns(list(by_id.values()))
    shown: Any = page
    shown.object_list = [by_id[pk] for pk in wanted if pk in by_id]
    return cast("Page[Case]", shown)


#: How many of each "what to do today" list the home page shows; the rest are one link away.
HOME_LIST = 10
#: How many one list shows when the person asks for all of it (``/home/?all=<list>``).
HOME_LIST_ALL = 200

#: The home page's lists, in the order they appear (``?all=`` takes one of these).
TODAY_LISTS = ("actions", "risk_reviews", "safety_plan_reviews", "reconfirm_safe_contact")
MANAGER_LISTS = ("consent_withdrawn", "awaiting_sign_off")


def _some(qs: QuerySet[Any], key: str, expand: str) -> tuple[list[Any], int]:
    """The first rows of one home list and how many there are in all, in one query (the total is
    a window count over the list, which is one person's caseload at most)."""
    limit = HOME_LIST_ALL if key == expand else HOME_LIST
    rows = list(qs.annotate(_total=Window(Count("pk")))[:limit])
    return rows, total_of(rows)


def total_of(rows: list[Any]) -> int:
    """How many rows a home list has in all: the window count its query read with each row."""
    return int(rows[0]._total) if rows else 0


def home_list_queries(
    make: Callable[[policy.CaseworkerKind, int], Precompiled[Any]],
) -> dict[tuple[policy.CaseworkerKind, bool], Precompiled[Any]]:
    """A home list's compiled queries: one for each kind of caseworker, reading the first
    ``HOME_LIST`` rows or, shown in full (``?all=``), up to ``HOME_LIST_ALL``. ``make(kind,
    limit)`` makes one."""
    return {
        (kind, expanded): make(kind, HOME_LIST_ALL if expanded else HOME_LIST)
        for kind in policy.CASEWORKER_KINDS
        for expanded in (False, True)
    }


def _due_actions(kind: policy.CaseworkerKind, limit: int) -> Precompiled[SupportAction]:
    """A caseworker's open actions due by a day on open cases they see, soonest first: the first
    ``limit``, each with the total (a window count), as the home page shows them."""

    def build(
        organisation_id: int, user_id: int, now: datetime.datetime, today: datetime.date
    ) -> QuerySet[SupportAction]:
        visible: QuerySet[SupportAction] = policy.caseworker_scope(
            SupportAction, kind, organisation_id, user_id, now, SupportAction.unscoped.all()
        )
        return (
            visible.filter(owner_id=user_id, status=SupportAction.Status.OPEN, due_on__lte=today)
            .filter(case__status=Case.Status.OPEN)
            .select_related("case")
            .only("public_id", "due_on", "area", "case__public_id", "case__reference")
            .order_by("due_on", "pk")
            .annotate(_total=Window(Count("pk")))[:limit]
        )

    return Precompiled(build)


#: The home page's actions list for each kind of caseworker, shown in part or in full (``?all=``),
#: compiled once per connection (issue #8).
_DUE_ACTIONS = home_list_queries(_due_actions)


@dataclass(frozen=True)
class DueCase:
    """One row of a home list about a case: its link, its reference and the date it was due."""

    public_id: uuid.UUID
    reference: str
    due: datetime.date | None


@dataclass
class ReviewsDue:
    """The person's open cases with a safety plan review or risk review due, or whose safe contact
    needs confirming with the client, each list in the order the home page shows it."""

    safety_plans: list[DueCase]
    risk: list[DueCase]
    safe_contact: list[DueCase]
    #: How many open cases the person has (every row the query read): the home page's own figure.
    open_cases: int


def _review_rows(organisation_id: int, user_id: int, stale_before: datetime.date) -> QuerySet[Any]:
    """The caseworker's open cases, oldest first, each with its safety plan review date, its
    latest assessment's review date and whether a safe-contact preference was last confirmed
    before ``stale_before`` (or never), read by the (case, ...) indexes."""
    stale_prefs = ContactPreference.unscoped.filter(case=OuterRef("pk")).filter(
        Q(last_confirmed_on__isnull=True) | Q(last_confirmed_on__lt=stale_before)
    )
    plan_review = SafetyPlan.unscoped.filter(case=OuterRef("pk")).values("review_date")[:1]
    risk_review = (
        Assessment.unscoped.filter(case=OuterRef("pk"))
        .order_by("-assessed_at", "-pk")
        .values("review_on")[:1]
    )
    return (
        Case.unscoped.filter(
            policy.own_caseload_of(organisation_id, user_id), status=Case.Status.OPEN
        )
        .annotate(
            plan_on=Subquery(plan_review), risk_on=Subquery(risk_review), stale=Exists(stale_prefs)
        )
        # Oldest case first, the safe-contact list's order (the caseload index's own order)
        .order_by("opened_at", "pk")
        .values_list("pk", "public_id", "reference", "plan_on", "risk_on", "stale")
    )


#: Compiled once per connection (``harbour.core.precompiled``, issue #8).
_REVIEW_ROWS = Precompiled(_review_rows)


def _reviews_due(user: Any, today: datetime.date) -> ReviewsDue:
    """The three review lists of the home page from one query over the caseworker's open cases
    (a few hundred at most): one query built and planned instead of three (issue #8)."""
    stale_before = today - datetime.timedelta(days=services.stale_after_days())
    rows = _REVIEW_ROWS(user.organisation_id, user.pk, stale_before)
    plans, risk, contact = [], [], []
    open_cases = 0
    for pk, public_id, reference, plan_on, risk_on, stale in rows:
        open_cases += 1
        if plan_on is not None and plan_on <= today:
            plans.append(((plan_on, pk), DueCase(public_id, reference, plan_on)))
        if risk_on is not None and risk_on <= today:
            risk.append(((risk_on, pk), DueCase(public_id, reference, risk_on)))
        if stale:
            contact.append(DueCase(public_id, reference, None))
    by_date = itemgetter(0)
    return ReviewsDue(
        safety_plans=[row for _key, row in sorted(plans, key=by_date)],
        risk=[row for _key, row in sorted(risk, key=by_date)],
        safe_contact=contact,
        open_cases=open_cases,
    )


def _first(rows: list[DueCase], key: str, expand: str) -> tuple[list[DueCase], int]:
    """The first rows of one home list (all of it, up to ``HOME_LIST_ALL``, when expanded) and
    how many there are."""
    return rows[: HOME_LIST_ALL if key == expand else HOME_LIST], len(rows)


def today_for(user: Any, expand: str = "") -> dict[str, Any]:
    """What this member of staff must do today, for the home page: the first ``HOME_LIST`` of each
    list with its total (all of ``expand``, up to ``HOME_LIST_ALL``). Only what the page shows is
    read: a reference, a date and a link per row (issue #8)."""
    if not policy.is_provider_caseworker(user):
        return {}
    today = timezone.localdate()
    due = _DUE_ACTIONS[policy.caseworker(user), expand == "actions"]
    actions = due(user.organisation_id, user.pk, timezone.now(), today)
    actions_total = total_of(actions)
    # The person's own cases, by the narrower condition policy gives for them (the same rows as
    # their full scope narrowed to "allocated to me"); a caseworker, checked above.
    reviews = _reviews_due(user, today)
    plan_reviews, plan_reviews_total = _first(reviews.safety_plans, "safety_plan_reviews", expand)
    risk_reviews, risk_reviews_total = _first(reviews.risk, "risk_reviews", expand)
    reconfirm, reconfirm_total = _first(reviews.safe_contact, "reconfirm_safe_contact", expand)
    result: dict[str, Any] = {
        "today": today,
        "home_list": HOME_LIST,
        "expanded": expand,
        "actions_shown": len(actions),
        "reconfirm_safe_contact": reconfirm,
        "reconfirm_safe_contact_total": reconfirm_total,
        "actions_total": actions_total,
        "overdue_actions": [a for a in actions if a.due_on < today],
        "due_today_actions": [a for a in actions if a.due_on == today],
        "safety_plan_reviews": plan_reviews,
        "safety_plan_reviews_total": plan_reviews_total,
        "risk_reviews": risk_reviews,
        "risk_reviews_total": risk_reviews_total,
        "own_open_cases": reviews.open_cases,
    }
    if policy.is_provider_manager(user):
        result["break_glass_alerts"] = break_glass_alerts(user)
        result["break_glass_alert_limit"] = settings.HARBOUR_BREAK_GLASS_ALERT_CASES
        withdrawn, withdrawn_total = _some(
            consent_withdrawn_recently(user, today), "consent_withdrawn", expand
        )
        result["consent_withdrawn"] = withdrawn
        result["consent_withdrawn_total"] = withdrawn_total
        sign_off, sign_off_total = _some(
            Case.objects.for_user(user)
            .filter(status=Case.Status.AWAITING_SIGN_OFF)
            .only("public_id", "reference")
            .order_by("closure_requested_at", "pk"),
            "awaiting_sign_off",
            expand,
        )
        result["awaiting_sign_off"] = sign_off
        result["awaiting_sign_off_total"] = sign_off_total
    return result


def consent_withdrawn_recently(manager: Any, today: datetime.date) -> QuerySet[Case]:
    """Cases whose client withdrew consent to share with police in the last 30 days and has not
    given it again: sharing has stopped, and the manager should know (bundles shared before,
    onward referrals to police in progress).

    Read from the recent withdrawals (a handful, by the (state, decided) index) to their cases, not
    from every case of the organisation to its consents (issue #8)."""

    since = today - datetime.timedelta(days=30)
    latest_state = Subquery(
        PoliceSharingConsent.unscoped.filter(case=OuterRef("pk"))
        .order_by("-recorded_at", "-pk")
        .values("state")[:1]
    )
    recent = PoliceSharingConsent.unscoped.filter(
        state=PoliceSharingConsent.State.WITHDRAWN, decided_on__gte=since
    ).values("case_id")
    return (
        Case.objects.for_user(manager)
        .filter(pk__in=recent)
        .annotate(consent_now=latest_state)
        .filter(consent_now=PoliceSharingConsent.State.WITHDRAWN)
        .only("public_id", "reference")
        .order_by("-opened_at", "-pk")
    )


def break_glass_alerts(manager: Any) -> list[dict[str, Any]]:
    """People of the manager's organisation who claimed emergency access to more than
    HARBOUR_BREAK_GLASS_ALERT_CASES cases in the last 24 hours: a pattern worth asking about."""

    since = timezone.now() - datetime.timedelta(hours=24)
    rows = (
        BreakGlassGrant.objects.for_user(manager)
        .filter(granted_at__gte=since)
        .values("user")
        .annotate(cases=Count("case", distinct=True))
        .filter(cases__gt=settings.HARBOUR_BREAK_GLASS_ALERT_CASES)
        .order_by("-cases")
    )
    counts = {row["user"]: row["cases"] for row in rows}
    people = User.objects.filter(pk__in=counts)
    return sorted(
        ({"person": person, "cases": counts[person.pk]} for person in people),
        key=lambda alert: -alert["cases"],
    )
