"""What a dashboard shows for one period and one focus (everyone, an area, a provider): tables
read from the protected financial year, headline figures, the iceberg and the quarterly return.

Every count shown or exported comes from ``Protected.value``; every share is of two published
counts; medians are of more values than the hidden range. ``HIDDEN`` marks a hidden cell.

Why unscoped: figures are counts over the organisations the office or manager may report on
(``policy.reporting_organisations``, checked by the view); only protected aggregates leave this
module.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from harbour.cases.models import Case
from harbour.core import policy
from harbour.core.workdays import working_days_between
from harbour.referrals.models import Referral, first_contact_target_days
from harbour.reporting import figures
from harbour.reporting.figures import REASON, SPECS, Scope
from harbour.reporting.models import DEFAULT_SURVEY_RATE, RecordedCrimes, ReportingSettings
from harbour.reporting.periods import Period, add_months
from harbour.reporting.tables import ALL, TOTAL, Column, Protected, Spec, median_if_enough, share

HIDDEN = "[c]"
HIDDEN_NOTE = (
    "[c] means hidden: counts from 1 to {largest} are never shown, nor any count that would let "
    "one of them be worked out from totals, other cells or other periods."
)


@dataclass
class Row:
    key: str
    label: str
    values: list[int | None]


@dataclass
class FigureTable:
    spec: Spec
    period: Period
    columns: list[tuple[Column, str]]
    rows: list[Row]

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def title(self) -> str:
        return self.spec.title

    def chart(self) -> list[tuple[str, int | None]]:
        """The last column (the total of what is shown), one bar per category."""
        return [(row.label, row.values[-1]) for row in self.rows if row.key != TOTAL]

    def is_empty(self) -> bool:
        return all(v == 0 for row in self.rows for v in row.values)


@dataclass
class Dashboard:
    scope: Scope
    period: Period
    focus: Column
    focus_label: str
    tables: list[FigureTable]
    headlines: dict[str, object] = field(default_factory=dict)
    iceberg: list[dict[str, object]] = field(default_factory=list)
    police_rate: list[dict[str, object]] = field(default_factory=list)
    funnel: list[dict[str, object]] = field(default_factory=list)
    largest_hidden: int = 4

    @property
    def hidden_note(self) -> str:
        return HIDDEN_NOTE.format(largest=self.largest_hidden)

    def table(self, key: str) -> FigureTable:
        return next(t for t in self.tables if t.key == key)


def _columns(scope: Scope, spec: Spec, focus: Column) -> list[tuple[Column, str]]:
    columns = scope.columns(spec.by)
    if spec.by != "provider" or focus == (ALL,):
        keys = columns.column_keys()
        if len(columns.orgs) == 1 and not columns.areas:
            keys = [keys[0]]
        return [(k, columns.label(k)) for k in keys]
    if focus[0] == "area":
        members = next((m for pk, _l, m in columns.areas if pk == focus[1]), ())  # type: ignore[misc]
        inside: list[Column] = [("org", pk) for pk in members]
        inside.append(focus)
        return [(k, columns.label(k)) for k in inside]
    return [(focus, columns.label(focus))]


def table_for(
    protected: Protected, scope: Scope, spec: Spec, period: Period, focus: Column
) -> FigureTable:
    columns = _columns(scope, spec, focus)
    categories = list(spec.categories) + ([(TOTAL, "Total")] if spec.additive else [])
    rows = [
        Row(key, label, [protected.value(spec, key, col, period) for col, _l in columns])
        for key, label in categories
    ]
    return FigureTable(spec, period, columns, rows)


def _value(
    protected: Protected, spec: Spec, category: str, column: Column, period: Period
) -> int | None:
    return protected.value(spec, category, column, period)


def _focus_orgs(scope: Scope, focus: Column) -> list[int]:
    if focus == (ALL,):
        return [p.pk for p in scope.providers]
    if focus[0] == "area":
        return list(scope.area_members.get(focus[1], ()))  # type: ignore[misc]
    return [focus[1]]  # type: ignore[misc]


def _period_bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(add_months(period.months[-1], 1), datetime.time.min, tzinfo=tz)
    return start, end


def first_contact_median(orgs: list[int], period: Period, largest_hidden: int) -> float | None:
    """Median working days from a referral arriving to the first contact attempt. Working days
    depend only on the two local dates, so the database counts referrals per pair of dates (a few
    hundred pairs, whatever the number of referrals) and the calendar is applied once per pair."""
    start, end = _period_bounds(period)
    pairs = (
        Referral.objects.system(REASON)
        .filter(
            routed_to_id__in=orgs,
            received_at__gte=start,
            received_at__lt=end,
            first_contact_at__isnull=False,
        )
        .annotate(_received=TruncDate("received_at"), _contacted=TruncDate("first_contact_at"))
        .values("_received", "_contacted")
        .annotate(_n=Count("pk"))
        .order_by()
        .values_list("_received", "_contacted", "_n")
    )
    days: list[float] = []
    for received, contacted, n in pairs:
        days.extend([float(working_days_between(received, contacted))] * n)
    return median_if_enough(days, largest_hidden)


def unrouted_wait_median(orgs: list[int], period: Period, largest_hidden: int) -> float | None:
    """Median days an unrouted referral waited for a person to route it (those routed on)."""
    from harbour.coverage.models import UnroutedReferral

    start, end = _period_bounds(period)
    rows = UnroutedReferral.unscoped.filter(
        team_id__in=orgs, created_at__gte=start, created_at__lt=end
    ).values_list("created_at", "referral__received_at", "referral__first_contact_at")
    waits = [
        (contact - created).total_seconds() / 86400
        for created, _received, contact in rows
        if contact is not None
    ]
    return median_if_enough(waits, largest_hidden)


def open_caseload(orgs: list[int], largest_hidden: int) -> tuple[int | None, int, float | None]:
    """Open cases now, advocates now, and open cases per advocate (a small count is hidden)."""
    open_cases = (
        Case.objects.system(REASON)
        .filter(organisation_id__in=orgs, status=Case.Status.OPEN)
        .count()
    )
    advocates = sum(policy.advocates_of(pk).count() for pk in orgs)
    if 1 <= open_cases <= largest_hidden:
        return None, advocates, None
    per = round(open_cases / advocates, 1) if advocates else None
    return open_cases, advocates, per


def survey_rate(scope: Scope) -> Decimal:
    if scope.commissioner is None:
        return DEFAULT_SURVEY_RATE
    found = ReportingSettings.objects.filter(commissioner=scope.commissioner).first()
    return found.survey_rate_percent if found else DEFAULT_SURVEY_RATE


def crimes_recorded(area_ids: list[int], period: Period) -> dict[int, int]:
    """Stalking crimes recorded per area in the period (areas with no count entered: absent)."""
    rows = (
        RecordedCrimes.objects.filter(
            area_id__in=area_ids, month__gte=period.start, month__lte=period.months[-1]
        )
        .values("area_id")
        .annotate(n=Sum("stalking_crimes"), months=Count("pk"))
    )
    return {row["area_id"]: row["n"] for row in rows}


def build(
    scope: Scope, protected: Protected, period: Period, focus: Column, largest_hidden: int
) -> Dashboard:
    columns = scope.columns("provider")
    focus_label = columns.label(focus) if focus != (ALL,) else "All"
    if focus == (ALL,) and len(scope.providers) == 1 and not scope.areas:
        focus_label = scope.providers[0].label
    tables = [
        table_for(protected, scope, spec, period, focus)
        for spec in figures.ALL_SPECS
        if spec.by == "provider"
        or (spec.by == "force" and scope.forces)
        or (spec.by == "programme" and scope.programmes)
    ]
    dash = Dashboard(scope, period, focus, focus_label, tables, largest_hidden=largest_hidden)
    orgs = _focus_orgs(scope, focus)
    # Headlines, for the focus column.
    referrals = _value(protected, figures.SOURCES, TOTAL, focus, period)
    within = _value(protected, figures.FIRST_CONTACT, "within", focus, period)
    late = _value(protected, figures.FIRST_CONTACT, "late", focus, period)
    contacted = None if within is None or late is None else within + late
    open_cases, advocates, per_advocate = open_caseload(orgs, largest_hidden)
    dash.headlines = {
        "referrals": referrals,
        "supported": _value(protected, figures.OUTCOMES, "accepted", focus, period),
        "taken_on": _value(protected, figures.GENDER, TOTAL, focus, period),
        "first_contact_median": first_contact_median(orgs, period, largest_hidden),
        "first_contact_share": share(within, contacted),
        "target_days": first_contact_target_days(),
        "unrouted_wait_median": unrouted_wait_median(orgs, period, largest_hidden),
        "open_cases": open_cases,
        "advocates": advocates,
        "per_advocate": per_advocate,
    }
    # The criminal-justice funnel beside the advocate-supported and national rates.
    taken_on = dash.headlines["taken_on"]
    for key, label in figures.FUNNEL.categories:
        count = _value(protected, figures.FUNNEL, key, focus, period)
        dash.funnel.append(
            {
                "label": label,
                "count": count,
                "share": share(count, taken_on if isinstance(taken_on, int) else None),
                "advocate_supported": figures.ADVOCATE_SUPPORTED[key],
                "national": f"1 in {figures.NATIONAL_ONE_IN[key]:,}",
            }
        )
    # Police referral rate by force against the crimes its areas recorded.
    area_ids = [a.pk for a in scope.areas]
    crimes = crimes_recorded(area_ids, period)
    for force in scope.forces:
        force_areas = [a.pk for a in scope.areas if a.force_id == force.pk]
        recorded = (
            sum(crimes.get(pk, 0) for pk in force_areas)
            if any(pk in crimes for pk in force_areas)
            else None
        )
        police = _value(protected, figures.VICTIMS_CODE, TOTAL, ("org", force.pk), period)
        code_within = _value(protected, figures.VICTIMS_CODE, "within", ("org", force.pk), period)
        code_late = _value(protected, figures.VICTIMS_CODE, "late", ("org", force.pk), period)
        known = None if code_within is None or code_late is None else code_within + code_late
        dash.police_rate.append(
            {
                "force": force.label,
                "police_referrals": police,
                "crimes_recorded": recorded,
                "rate": share(police, recorded),
                "code_share": share(code_within, known),
            }
        )
    # The iceberg, per area, for the financial year of the period.
    year = Period.financial_year_of(period.start)
    rate = survey_rate(scope)
    year_crimes = crimes_recorded(area_ids, year)
    for area in scope.areas:
        column: Column = ("area", area.pk)
        estimated = round(area.population_16_59 * rate / 100) if area.population_16_59 else None
        dash.iceberg.append(
            {
                "area": area.name,
                "population": area.population_16_59,
                "population_year": area.population_year,
                "estimated": estimated,
                "crimes_recorded": year_crimes.get(area.pk),
                "referrals": protected.value(figures.SOURCES, TOTAL, column, year),
                "supported": protected.value(figures.GENDER, TOTAL, column, year),
            }
        )
    dash.headlines["survey_rate"] = rate
    dash.headlines["year"] = year
    return dash


# The quarterly return ----------------------------------------------------------------------------


def return_columns() -> list[tuple[str, str]]:
    """Every column a quarterly return may hold: (code, label)."""
    out = []
    for spec in figures.ALL_SPECS:
        if spec.by != "provider":
            continue
        cats = list(spec.categories) + ([(TOTAL, "Total")] if spec.additive else [])
        for key, label in cats:
            out.append((f"{spec.key}.{key}", f"{spec.title}: {label}"))
    return out


DEFAULT_RETURN_COLUMNS = (
    "sources.total",
    "sources.police",
    "sources.self",
    "sources.professional",
    "outcomes.accepted",
    "first_contact.within",
    "gender.total",
    "domestic.yes",
    "cyber.yes",
    "funnel.charged",
    "orders.granted",
)


@dataclass
class QuarterlyReturn:
    period: Period
    columns: list[tuple[str, str]]
    rows: list[tuple[str, list[int | None]]]


def quarterly_return(
    scope: Scope, protected: Protected, quarter: Period, chosen: list[str]
) -> QuarterlyReturn:
    known = dict(return_columns())
    codes = [c for c in chosen if c in known] or [c for c in DEFAULT_RETURN_COLUMNS if c in known]
    cols = scope.columns("provider")
    rows = []
    for column in cols.column_keys():
        values = []
        for code in codes:
            spec_key, category = code.split(".", 1)
            values.append(protected.value(SPECS[spec_key], category, column, quarter))
        rows.append((cols.label(column), values))
    return QuarterlyReturn(quarter, [(c, known[c]) for c in codes], rows)
