"""The dashboard's figures: monthly counts read from the database, protected a financial year at a
time (``harbour.reporting.tables``), and the few figures that are not counts.

Every count is a GROUP BY (organisation, month, category) over rows of the year, done by the
database: the month is a ``CASE`` over the year's local month boundaries (``_month_bucket``), so
SQLite needs no Python function per row, and what comes back is a few hundred rows whatever the
number of cases (the ``referral_reporting`` and ``case_reporting`` indexes hold the columns read).
Where another app already computes a figure, it is called here rather than recomputed: the Victims'
Code clock (``referrals.reporting.victims_code_by_month``), possible under-recording
(``justice.services.under_recorded_by_month``) and live chat (``chat.services.chat_figures``).
People trained by sector is the sum ``training.figures.training_figures`` makes for ``by_sector``,
done here as one query (that function also works out figures the dashboard does not show).

Nothing here returns anything about a person: counts, medians of more than the hidden range of
values, and shares of published counts.

Why unscoped: figures are counts over the organisations the office or manager may report on
(``policy.reporting_organisations``, checked by the view); only protected aggregates leave this
module.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case as Case_
from django.db.models import CharField, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.cases.models import Case, NeedArea, NeedLevel, NeedsAssessment, OutcomeMeasures
from harbour.referrals.models import Referral
from harbour.reporting.models import (
    ReportingArea,
)
from harbour.reporting.periods import add_months
from harbour.reporting.tables import Columns, Protected, Spec, protect_year

REASON = "reporting: counts only"

# What the gap is measured against (DOMAIN.md).
POLICE_REFERRED_SHARE = 15
ADVOCATE_SUPPORTED = {"reported": 38, "charged": 30, "prosecuted": 26, "convicted": 25}
NATIONAL_ONE_IN = {"reported": 50, "charged": 435, "prosecuted": 556, "convicted": 1000}


def largest_hidden() -> int:
    """Counts from 1 to this are hidden: ``HARBOUR_SMALL_COUNT_THRESHOLD`` (default 5) minus 1."""
    return int(getattr(settings, "HARBOUR_SMALL_COUNT_THRESHOLD", 5)) - 1


def _choices(enum: Any, blank: str = "not_recorded") -> tuple[tuple[str, str], ...]:
    out = tuple((str(value), str(label)) for value, label in enum.choices if value != "")
    return (*out, (blank, "Not recorded")) if blank else out


_YES_NO = (("yes", "Yes"), ("no", "No"))

SOURCES = Spec(
    "sources",
    "Referrals by source",
    (*_choices(Referral.Source, blank=""), ("other", "Other")),
    population="referrals",
)
OUTCOMES = Spec(
    "outcomes",
    "Referrals by outcome",
    (
        ("accepted", "Accepted (supported)"),
        ("declined", "Declined"),
        ("signposted", "Signposted elsewhere"),
        ("unable_to_contact", "Unable to contact"),
        ("open", "Still being worked"),
        ("merged", "Duplicate merged"),
    ),
    population="referrals",
)
FIRST_CONTACT = Spec(
    "first_contact",
    "First contact against the service's target",
    (("within", "Within target"), ("late", "After the target"), ("none", "No contact yet")),
    population="referrals",
)
UNROUTED = Spec(
    "unrouted",
    "Referrals no coverage rule routed (handled by a triage team)",
    (("unrouted", "Unrouted referrals"),),
    additive=False,
)
GENDER = Spec("gender", "Victims taken on: gender", _choices(Case.Gender), population="cases")
AGE = Spec("age", "Victims taken on: age", _choices(Case.AgeBand), population="cases")
ETHNICITY = Spec(
    "ethnicity", "Victims taken on: ethnicity", _choices(Case.Ethnicity), population="cases"
)
DISABILITY = Spec(
    "disability", "Victims taken on: disability", _choices(Case.Disability), population="cases"
)
DOMESTIC = Spec("domestic", "Domestic-abuse related", _YES_NO, population="cases")
CYBER = Spec("cyber", "With cyber elements", _YES_NO, population="cases")
NEEDS_MET = Spec(
    "needs_met",
    "Cases closed: needs met, by area of the support plan",
    tuple((a.value, str(a.label)) for a in NeedArea),
    additive=False,
)
IMPROVED = Spec(
    "improved",
    "Cases closed: outcome measures improved between entry and exit",
    (("measured", "Closed cases with entry and exit measures"),) + tuple(OutcomeMeasures.MEASURES),
    additive=False,
)
FUNNEL = Spec(
    "funnel",
    "The criminal-justice journey of supported cases",
    (
        ("reported", "Reported to police"),
        ("charged", "Charged"),
        ("prosecuted", "Prosecuted"),
        ("convicted", "Convicted"),
    ),
    additive=False,
)
ORDERS = Spec(
    "orders",
    "Protective orders",
    (
        ("applied", "Applied for"),
        ("granted", "Granted (interim or full)"),
        ("breached", "Breaches"),
    ),
    additive=False,
)
CHATS = Spec(
    "chats",
    "Live chats",
    (("offered", "Offered"), ("answered", "Answered"), ("converted", "Became referrals")),
    additive=False,
)
PROGRAMMES = Spec(
    "programmes",
    "Perpetrator programme",
    (("started", "Started"), ("completed", "Completed")),
    additive=False,
    by="programme",
)
VICTIMS_CODE = Spec(
    "victims_code",
    "Police referrals and the Victims' Code (referred within 2 working days of the report)",
    (
        ("within", "Within 2 working days"),
        ("late", "Later"),
        ("not_known", "Report date not known"),
    ),
    by="force",
)
UNDER_RECORDED = Spec(
    "under_recorded",
    "Possibly under-recorded crimes (reported in the month)",
    (("possible", "Possibly under-recorded"),),
    additive=False,
    by="force",
)


def _relationship_spec() -> Spec:
    from harbour.cases.models import Relationship

    return Spec(
        "relationship",
        "Victims taken on: the suspect is their",
        _choices(Relationship, blank=""),
        population="cases",
    )


def _risk_spec() -> Spec:
    from harbour.cases.models import RiskLevel

    return Spec(
        "risk",
        "Victims taken on: risk level in force",
        tuple((str(level.value), str(level.label)) for level in RiskLevel),
        population="cases",
    )


def _training_spec() -> Spec:
    from harbour.training.models import Sector

    return Spec("training", "People trained, by sector", _choices(Sector, blank=""), additive=False)


RELATIONSHIP = _relationship_spec()
RISK = _risk_spec()
TRAINING = _training_spec()

PROVIDER_SPECS = (
    SOURCES,
    OUTCOMES,
    FIRST_CONTACT,
    UNROUTED,
    GENDER,
    AGE,
    ETHNICITY,
    DISABILITY,
    RELATIONSHIP,
    DOMESTIC,
    CYBER,
    RISK,
    NEEDS_MET,
    IMPROVED,
    FUNNEL,
    ORDERS,
    TRAINING,
    CHATS,
)
ALL_SPECS = (*PROVIDER_SPECS, VICTIMS_CODE, UNDER_RECORDED, PROGRAMMES)
SPECS = {spec.key: spec for spec in ALL_SPECS}


# Scope --------------------------------------------------------------------------------------------


@dataclass
class Scope:
    """What one dashboard reads: organisations by kind, and the areas grouping the providers."""

    title: str
    providers: list[Organisation]
    forces: list[Organisation]
    programmes: list[Organisation]
    areas: list[ReportingArea]
    commissioner: Organisation | None = None
    area_members: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def columns(self, by: str) -> Columns:
        if by == "force":
            return Columns(orgs=tuple((o.pk, o.label) for o in self.forces))
        if by == "programme":
            return Columns(orgs=tuple((o.pk, o.label) for o in self.programmes))
        return Columns(
            orgs=tuple((o.pk, o.label) for o in self.providers),
            areas=tuple((a.pk, a.name, self.area_members.get(a.pk, ())) for a in self.areas),
        )


def scope_for(user: User, organisations: QuerySet[Organisation]) -> Scope:
    """The dashboard's organisations (from ``policy.reporting_organisations``) and areas."""
    orgs = list(organisations.order_by("name"))
    by_kind: dict[str, list[Organisation]] = defaultdict(list)
    for org in orgs:
        by_kind[org.kind].append(org)
    providers = by_kind[Organisation.Kind.PROVIDER]
    own = user.organisation
    assert own is not None  # a dashboard reader always belongs to an organisation (policy)
    commissioner = own if own.kind == Organisation.Kind.COMMISSIONER else None
    areas: list[ReportingArea] = []
    members: dict[int, tuple[int, ...]] = {}
    if commissioner is not None:
        areas = list(ReportingArea.objects.filter(commissioner=commissioner).order_by("name"))
        provider_ids = {p.pk for p in providers}
        seen: set[int] = set()
        through = ReportingArea.providers.through.objects.filter(
            reportingarea__in=areas
        ).values_list("reportingarea_id", "organisation_id")
        grouped: dict[int, list[int]] = defaultdict(list)
        for area_id, org_id in through:
            # A provider counts in one area only (the first by name), so areas add up.
            if org_id in provider_ids and org_id not in seen:
                grouped[area_id].append(org_id)
                seen.add(org_id)
        members = {pk: tuple(ids) for pk, ids in grouped.items()}
    forces = by_kind[Organisation.Kind.POLICE_FORCE]
    if commissioner is None and providers:
        # A provider's own dashboard: the forces that have referred to it.
        sent = (
            Referral.objects.system(REASON)
            .filter(routed_to__in=providers, source=Referral.Source.POLICE)
            .values("referring_organisation_id")
            .distinct()
        )
        forces = list(
            Organisation.objects.filter(pk__in=sent, kind=Organisation.Kind.POLICE_FORCE).order_by(
                "name"
            )
        )
    return Scope(
        title=commissioner.name if commissioner else own.name,
        providers=providers,
        forces=forces,
        programmes=by_kind[Organisation.Kind.PERPETRATOR_PROGRAMME],
        areas=areas,
        commissioner=commissioner,
        area_members=members,
    )


# Counting -----------------------------------------------------------------------------------------

Monthly = dict[tuple[str, int, datetime.date], int]


def _bounds(first_year: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime(first_year, 4, 1, tzinfo=tz)
    return start, datetime.datetime(first_year + 1, 4, 1, tzinfo=tz)


def _month_starts(first_year: int) -> list[datetime.date]:
    return [add_months(datetime.date(first_year, 4, 1), i) for i in range(12)]


def _month_bucket(field_name: str, first_year: int, dates: bool = False) -> Case_:
    """The month of the financial year (0 = April .. 11 = March) a row's ``field_name`` falls in,
    computed by the database as a CASE over the local month boundaries (plain comparisons on an
    indexed column: no per-row function, so SQLite needs no Python callback for each row)."""
    tz = timezone.get_current_timezone()
    whens = []
    for i, month in enumerate(_month_starts(first_year)[1:]):
        bound: datetime.date | datetime.datetime = (
            month if dates else datetime.datetime.combine(month, datetime.time.min, tzinfo=tz)
        )
        whens.append(When(**{f"{field_name}__lt": bound}, then=Value(i)))
    return Case_(*whens, default=Value(11), output_field=IntegerField())


def _grouped(
    qs: QuerySet[Any],
    when: str,
    org: str,
    category: str,
    out: Monthly,
    first_year: int,
    mapper: Any = None,
    dates: bool = False,
) -> None:
    """Add ``qs`` (already limited to the financial year) counted by (category, org, month)."""
    months = _month_starts(first_year)
    rows = (
        qs.annotate(_month=_month_bucket(when, first_year, dates))
        .values(org, category, "_month")
        .annotate(_n=Count("pk"))
        .order_by()
        .values_list(category, org, "_month", "_n")
    )
    for value, org_id, month, n in rows:
        key = mapper(value) if mapper else (str(value) if value not in ("", None) else "")
        key = key or "not_recorded"
        out_key = (key, org_id, months[month])
        out[out_key] = out.get(out_key, 0) + n


def _referral_counts(providers: list[int], first_year: int) -> dict[str, Monthly]:
    """Sources, outcomes and first contact from one GROUP BY over the year's referrals (a few
    hundred rows come back, whatever the number of referrals)."""
    start, end = _bounds(first_year)
    months = _month_starts(first_year)
    rows = (
        Referral.objects.system(REASON)
        .filter(routed_to_id__in=providers, received_at__gte=start, received_at__lt=end)
        .annotate(
            _month=_month_bucket("received_at", first_year),
            _contact=Case_(
                When(first_contact_at__isnull=True, then=Value("none")),
                When(first_contact_at__lte=F("due_by"), then=Value("within")),
                default=Value("late"),
                output_field=CharField(),
            ),
        )
        .values("routed_to_id", "source", "status", "_contact", "_month")
        .annotate(_n=Count("pk"))
        .order_by()
        .values_list("routed_to_id", "source", "status", "_contact", "_month", "_n")
    )
    known = {value for value, _label in SOURCES.categories}
    sources: Monthly = {}
    outcomes: Monthly = {}
    contact: Monthly = {}
    for org, source, status, flag, index, n in rows:
        month = months[index]
        _add(sources, (source if source in known else "other", org, month), n)
        _add(outcomes, (_STATUS_GROUP.get(status, status), org, month), n)
        _add(contact, (flag, org, month), n)
    return {"sources": sources, "outcomes": outcomes, "first_contact": contact}


_STATUS_GROUP = {"received": "open", "contact_attempted": "open"}


def _add(out: Monthly, key: tuple[str, int, datetime.date], n: int = 1) -> None:
    out[key] = out.get(key, 0) + n


def _unrouted_counts(providers: list[int], first_year: int) -> Monthly:
    from harbour.coverage.models import UnroutedReferral

    start, end = _bounds(first_year)
    out: Monthly = {}
    qs = UnroutedReferral.unscoped.filter(
        team_id__in=providers, created_at__gte=start, created_at__lt=end
    ).annotate(_one=Value("unrouted"))
    _grouped(qs, "created_at", "team_id", "_one", out, first_year)
    return out


_CASE_COLUMNS = (
    ("gender", "gender"),
    ("age", "age_band"),
    ("ethnicity", "ethnicity"),
    ("disability", "disability"),
    ("relationship", "relationship_to_suspect"),
    ("risk", "risk_level"),
)


def _case_counts(providers: list[int], first_year: int) -> dict[str, Monthly]:
    """Who was taken on: every characteristic from one pass over the year's new cases (the
    ``case_reporting`` index holds every column read, so the table itself is not touched; the
    month comes from the database)."""
    start, end = _bounds(first_year)
    months = _month_starts(first_year)
    rows = (
        Case.objects.system(REASON)
        .filter(organisation_id__in=providers, opened_at__gte=start, opened_at__lt=end)
        .annotate(_month=_month_bucket("opened_at", first_year))
        .values_list(
            "organisation_id",
            "_month",
            *(column for _key, column in _CASE_COLUMNS),
            "domestic_abuse",
            "cyber_elements",
        )
        .order_by()
    )
    tallies: dict[tuple[Any, ...], int] = defaultdict(int)
    for row in rows.iterator(chunk_size=10_000):
        tallies[row] += 1
    out: dict[str, Monthly] = {key: {} for key, _c in _CASE_COLUMNS}
    out["domestic"], out["cyber"] = {}, {}
    for (org, index, *values), n in tallies.items():
        month = months[index]
        for (key, _column), value in zip(_CASE_COLUMNS, values, strict=False):
            _add(
                out[key], (str(value) if value not in ("", None) else "not_recorded", org, month), n
            )
        _add(out["domestic"], ("yes" if values[-2] else "no", org, month), n)
        _add(out["cyber"], ("yes" if values[-1] else "no", org, month), n)
    return out


def _closed_counts(providers: list[int], first_year: int) -> dict[str, Monthly]:
    start, end = _bounds(first_year)
    needs: Monthly = {}
    aggregates = {
        area.value: Count("pk", filter=Q(**{area.value: NeedLevel.MET})) for area in NeedArea
    }
    rows = (
        NeedsAssessment.objects.system(REASON)
        .filter(
            case__organisation_id__in=providers,
            case__closed_at__gte=start,
            case__closed_at__lt=end,
            case__status=Case.Status.CLOSED,
        )
        .annotate(_month=_month_bucket("case__closed_at", first_year))
        .values("case__organisation_id", "_month")
        .annotate(**aggregates)
        .order_by()
    )
    months = _month_starts(first_year)
    for row in rows:
        month = months[row["_month"]]
        for area in NeedArea:
            if row[area.value]:
                needs[(area.value, row["case__organisation_id"], month)] = row[area.value]
    # Outcome measures: the first entry and the last exit of each case closed in the year.
    improved: Monthly = {}
    measures = [key for key, _label in OutcomeMeasures.MEASURES]
    per_case: dict[int, dict[str, Any]] = {}
    rows2 = (
        OutcomeMeasures.objects.system(REASON)
        .filter(
            case__organisation_id__in=providers,
            case__closed_at__gte=start,
            case__closed_at__lt=end,
            case__status=Case.Status.CLOSED,
        )
        .annotate(_month=_month_bucket("case__closed_at", first_year))
        .order_by("created_at", "pk")
        .values_list("case_id", "case__organisation_id", "_month", "stage", *measures)
    )
    for case_id, org_id, index, stage, *values in rows2.iterator(chunk_size=5000):
        seen = per_case.setdefault(case_id, {"org": org_id, "closed": months[index]})
        if stage == OutcomeMeasures.Stage.ENTRY and "entry" not in seen:
            seen["entry"] = values
        elif stage == OutcomeMeasures.Stage.EXIT:
            seen["exit"] = values
    for seen in per_case.values():
        if "entry" not in seen or "exit" not in seen:
            continue
        month = seen["closed"]
        org_id = seen["org"]
        improved[("measured", org_id, month)] = improved.get(("measured", org_id, month), 0) + 1
        for key, before, after in zip(measures, seen["entry"], seen["exit"], strict=True):
            if after > before:
                improved[(key, org_id, month)] = improved.get((key, org_id, month), 0) + 1
    return {"needs_met": needs, "improved": improved}


def _justice_counts(providers: list[int], first_year: int) -> dict[str, Monthly]:
    from harbour.justice.models import Breach, JourneyMilestone, OrderStep

    start, end = _bounds(first_year)
    first, last = start.date(), end.date()
    funnel: Monthly = {}
    kinds = {"reported": "reported", "charged": "charged", "prosecution": "prosecuted"}
    milestones = JourneyMilestone.unscoped.filter(
        journey__case__organisation_id__in=providers, on__gte=first, on__lt=last
    ).filter(Q(kind__in=list(kinds)) | Q(kind="outcome", outcome="convicted"))
    _grouped(
        milestones,
        "on",
        "journey__case__organisation_id",
        "kind",
        funnel,
        first_year,
        lambda v: kinds.get(v, "convicted"),
        dates=True,
    )
    orders: Monthly = {}
    steps = {"applied_for": "applied", "interim_made": "granted", "made": "granted"}
    _grouped(
        OrderStep.unscoped.filter(
            order__case__organisation_id__in=providers,
            step__in=list(steps),
            on__gte=first,
            on__lt=last,
        ),
        "on",
        "order__case__organisation_id",
        "step",
        orders,
        first_year,
        lambda v: steps[v],
        dates=True,
    )
    breaches = Breach.unscoped.filter(
        order__case__organisation_id__in=providers, occurred_on__gte=first, occurred_on__lt=last
    ).annotate(_kind=Value("breached"))
    _grouped(
        breaches,
        "occurred_on",
        "order__case__organisation_id",
        "_kind",
        orders,
        first_year,
        dates=True,
    )
    return {"funnel": funnel, "orders": orders}


def _training_counts(providers: list[int], first_year: int, today: datetime.date) -> Monthly:
    """People trained by sector, per provider and month: the sum ``training.figures`` makes for
    its ``by_sector`` (people on the attendance rows of delivered sessions), in one GROUP BY
    instead of a call per provider and month (each also working out confidence and referrals from
    partners, which the dashboard does not show)."""
    from harbour.training.models import SectorAttendance, TrainingSession

    start, end = _bounds(first_year)
    tz = timezone.get_current_timezone()
    upto = datetime.datetime.combine(
        add_months(today.replace(day=1), 1), datetime.time.min, tzinfo=tz
    )
    months = _month_starts(first_year)
    rows = (
        SectorAttendance.unscoped.filter(
            session__provider_id__in=providers,
            session__status=TrainingSession.Status.DELIVERED,
            session__starts_at__gte=start,
            session__starts_at__lt=min(end, upto),
        )
        .annotate(_month=_month_bucket("session__starts_at", first_year))
        .values("session__provider_id", "sector", "_month")
        .annotate(_people=Sum("people"))
        .order_by()
        .values_list("sector", "session__provider_id", "_month", "_people")
    )
    out: Monthly = {}
    for sector, pk, index, people in rows:
        _add(out, (sector, pk, months[index]), people or 0)
    return out


def _chat_counts(providers: list[int], first_year: int, today: datetime.date) -> Monthly:
    from harbour.chat.services import chat_figures

    tz = timezone.get_current_timezone()
    out: Monthly = {}
    for month in _month_starts(first_year):
        if month > today:
            break
        start = datetime.datetime.combine(month, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(add_months(month, 1), datetime.time.min, tzinfo=tz)
        for pk in providers:
            found = chat_figures(pk, start, end)
            for key in ("offered", "answered", "converted"):
                if found[key]:
                    out[(key, pk, month)] = found[key]
    return out


def _programme_counts(programmes: list[int], first_year: int) -> Monthly:
    from harbour.programmes.models import Participant

    start, end = _bounds(first_year)
    first, last = start.date(), end.date()
    out: Monthly = {}
    base = Participant.unscoped.filter(programme_id__in=programmes)
    _grouped(
        base.filter(started_on__gte=first, started_on__lt=last).annotate(_k=Value("started")),
        "started_on",
        "programme_id",
        "_k",
        out,
        first_year,
        dates=True,
    )
    _grouped(
        base.filter(
            ended_on__gte=first, ended_on__lt=last, end_reason=Participant.EndReason.COMPLETED
        ).annotate(_k=Value("completed")),
        "ended_on",
        "programme_id",
        "_k",
        out,
        first_year,
        dates=True,
    )
    return out


def _force_counts(providers: list[int], forces: list[int], first_year: int) -> dict[str, Monthly]:
    from harbour.justice.services import under_recorded_by_month
    from harbour.referrals.reporting import victims_code_by_month

    start, end = _bounds(first_year)
    names = {o.name: o.pk for o in Organisation.objects.filter(pk__in=forces)}
    code: Monthly = {}
    referrals = Referral.objects.system(REASON).filter(
        routed_to_id__in=providers,
        referring_organisation_id__in=forces,
        received_at__gte=start,
        received_at__lt=end,
    )
    for row in victims_code_by_month(referrals):
        pk = names.get(row.force)
        if pk is None:
            continue
        for key, value in (
            ("within", row.within),
            ("late", row.late),
            ("not_known", row.not_known),
        ):
            if value:
                code[(key, pk, row.month)] = code.get((key, pk, row.month), 0) + value
    under: Monthly = {}
    for force in Organisation.objects.filter(pk__in=forces):
        found = under_recorded_by_month(
            start=start.date(), end=end.date() - datetime.timedelta(days=1), force=force
        )
        for month, count in found.items():
            if count:
                under[("possible", force.pk, month)] = count
    return {"victims_code": code, "under_recorded": under}


def monthly_counts(scope: Scope, first_year: int, today: datetime.date) -> dict[str, Monthly]:
    """Every figure's counts per (category, organisation, month) for one financial year."""
    providers = [p.pk for p in scope.providers]
    forces = [f.pk for f in scope.forces]
    out: dict[str, Monthly] = {}
    out.update(_referral_counts(providers, first_year))
    out["unrouted"] = _unrouted_counts(providers, first_year)
    out.update(_case_counts(providers, first_year))
    out.update(_closed_counts(providers, first_year))
    out.update(_justice_counts(providers, first_year))
    out["training"] = _training_counts(providers, first_year, today)
    out["chats"] = _chat_counts(providers, first_year, today)
    out["programmes"] = _programme_counts([p.pk for p in scope.programmes], first_year)
    out.update(_force_counts(providers, forces, first_year))
    return out


def protected_year(scope: Scope, first_year: int, today: datetime.date) -> Protected:
    """The year's published cells. Counts are read fresh on every call; the protection (the costly
    part, pure arithmetic on the counts) is cached under a digest of exactly the counts, columns and
    threshold it was computed from, so it is reused only while nothing it depends on has changed."""
    counts = monthly_counts(scope, first_year, today)
    figures = [(spec, scope.columns(spec.by), counts.get(spec.key, {})) for spec in ALL_SPECS]
    hidden = largest_hidden()
    digest = hashlib.sha256(
        repr(
            (
                first_year,
                hidden,
                [
                    (spec.key, columns, sorted(monthly.items()))
                    for spec, columns, monthly in figures
                ],
            )
        ).encode()
    ).hexdigest()
    key = f"harbour:reporting:protected:{digest}"
    found = cache.get(key)
    if isinstance(found, Protected):
        return found
    protected = protect_year(figures, first_year, hidden)
    cache.set(key, protected, timeout=24 * 3600)
    return protected
