"""A synthetic national dataset for the reporting benchmark: 43 forces, each with its commissioner's
office and two or three providers; cases, referrals, needs, outcome measures, criminal-justice
journeys and diary incidents over three financial years.

    (inside Django) from benchmarks.national import generate; generate(cases=1_000_000)

**Written in bulk, in the database**: rows are made by ``INSERT ... SELECT`` over a generated
sequence (a recursive CTE, which SQLite and PostgreSQL both accept), not through per-object saves,
so a million cases take minutes, not hours. Every column is filled from the model's own fields
(defaults as Django would store them); identifying fields hold one value encrypted once by Harbour
and reused (the dashboard never reads them, and the benchmark is about counting). Distributions:
referral sources (police 42%, self 30%, professional 16%, family and friends 6%, live chat 6%),
outcomes (accepted 62%), first contact mostly within a day or two, gender (about 70% women),
age bands, ethnicity, disability, relationship, risk, about a third closed with needs met and
entry and exit measures, 45% with a journey of which about half charged. Providers differ in size
(the largest force area about five times the smallest).

Only for benchmarks: no audit rows, no blind indexes (nothing here is looked up by value).
"""

# ruff: noqa: S608 - every statement is built from this module's own literals and numbers
from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, models, transaction

FORCES = 43
YEARS = 3


def _seq(count: int) -> str:
    return f"WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {count}) "


def _r(expr: str, salt: int, modulo: int) -> str:
    """A pseudo-random whole number 0..modulo-1 from a row number (same on both databases)."""
    return f"(((({expr}) * 2654435761 + {salt * 40503}) % 4294967311) % {modulo})"


def _pick(expr: str, salt: int, table: list[tuple[str, int]]) -> str:
    """A CASE choosing a value with integer weights (per cent)."""
    roll = _r(expr, salt, 100)
    parts, upto = [], 0
    for value, weight in table:
        upto += weight
        parts.append(f"WHEN {roll} < {upto} THEN {value}")
    return f"(CASE {' '.join(parts)} ELSE {table[-1][0]} END)"


def _datetime(start: datetime.datetime, seconds: str) -> str:
    if connection.vendor == "sqlite":
        return f"strftime('%Y-%m-%d %H:%M:%f', '{start:%Y-%m-%d %H:%M:%S}', '+' || ({seconds}) || ' seconds')"
    return f"(TIMESTAMPTZ '{start:%Y-%m-%d %H:%M:%S}+00' + ({seconds}) * INTERVAL '1 second')"


def _date(start: datetime.date, days: str) -> str:
    if connection.vendor == "sqlite":
        return f"date('{start:%Y-%m-%d}', printf('%+d days', {days}))"
    return f"(DATE '{start:%Y-%m-%d}' + ({days})::int)"


def _uuid() -> str:
    if connection.vendor == "sqlite":
        return "lower(hex(randomblob(16)))"
    return "md5(random()::text || clock_timestamp()::text)::uuid"


def _quote(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return ("1" if value else "0") if connection.vendor == "sqlite" else str(value).upper()
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _insert(
    model: type[models.Model], count: int, columns: dict[str, str], where: str = ""
) -> None:
    """INSERT rows of ``model`` for n = 1..``count`` (those meeting ``where``): ``columns`` maps a
    column to an SQL expression of ``n``; every other column gets the field's default as Django
    stores it."""
    names, exprs = [], []
    for field in model._meta.concrete_fields:
        column = field.column
        if column in columns:
            expr = columns[column]
        elif field.primary_key:
            continue
        else:
            default = field.get_default() if field.has_default() else None
            if default is None and not field.null:
                default = "" if isinstance(field, models.CharField | models.TextField) else 0
            expr = _quote(field.get_db_prep_save(default, connection))
        names.append(connection.ops.quote_name(column))
        exprs.append(expr)
    if connection.vendor == "sqlite":
        head = _seq(count)
        source = "seq"
    else:
        head, source = "", f"generate_series(1, {count}) AS seq(n)"
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(names)}) "
        + head
        + f"SELECT {', '.join(exprs)} FROM {source}"
        + (f" WHERE {where}" if where else "")
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)


def generate(
    cases: int = 1_000_000,
    incidents_per_case: int = 10,
    today: datetime.date | None = None,
    progress: Callable[[str], None] = print,
) -> dict[str, Any]:
    from django.utils import timezone

    from harbour.accounts.models import Organisation, User
    from harbour.cases.models import Case, Client, NeedArea, NeedsAssessment, OutcomeMeasures
    from harbour.evidence.models import Incident
    from harbour.justice.models import Journey, JourneyMilestone
    from harbour.referrals.models import Referral
    from harbour.reporting.models import (
        CommissionedOrganisation,
        RecordedCrimes,
        ReportingArea,
    )

    today = today or timezone.localdate()
    first_fy = (today.year if today.month >= 4 else today.year - 1) - (YEARS - 1)
    start = datetime.datetime(first_fy, 4, 1, tzinfo=datetime.UTC)
    span = int(
        (datetime.datetime.combine(today, datetime.time.min, datetime.UTC) - start).total_seconds()
    )
    timings: dict[str, float] = {}
    began = time.perf_counter()

    # Organisations: forces, offices, providers (sizes vary), one advocate each.
    with transaction.atomic():
        providers: list[Organisation] = []
        weights: list[int] = []
        for f in range(FORCES):
            force = Organisation.objects.create(name=f"Force {f:02d}", kind="police_force")
            office = Organisation.objects.create(
                name=f"Office of the Commissioner {f:02d}", kind="commissioner"
            )
            CommissionedOrganisation.objects.create(commissioner=office, organisation=force)
            for p in range(2 + f % 2):
                provider = Organisation.objects.create(
                    name=f"Provider {f:02d}-{p}", kind="provider", area_name=f"Area {f:02d}"
                )
                providers.append(provider)
                weights.append(1 + (f * 7) % 5)
                CommissionedOrganisation.objects.create(commissioner=office, organisation=provider)
                area = ReportingArea.objects.create(
                    commissioner=office,
                    name=f"Area {f:02d}-{p}",
                    force=force,
                    population_16_59=150_000 + 40_000 * p,
                )
                area.providers.add(provider)
                RecordedCrimes.objects.bulk_create(
                    RecordedCrimes(
                        area=area,
                        month=datetime.date(first_fy + (m + 3) // 12, (m + 3) % 12 + 1, 1),
                        stalking_crimes=20 + (f * 13 + m) % 30,
                    )
                    for m in range(YEARS * 12)
                )
            User.objects.create(
                username=f"office-{f:02d}", organisation=office, role="commissioner"
            )
        for provider in providers:
            User.objects.create(
                username=f"advocate-{provider.pk}", organisation=provider, role="advocate"
            )
    # A provider per row: a table of (slot, organisation, advocate, force) weighted by size.
    slots: list[tuple[int, int, int]] = []
    advocates = dict(User.objects.filter(role="advocate").values_list("organisation_id", "pk"))
    force_of = {
        a.providers.first().pk: a.force_id  # type: ignore[union-attr]
        for a in ReportingArea.objects.prefetch_related("providers")
    }
    for provider, weight in zip(providers, weights, strict=True):
        slots += [(provider.pk, advocates[provider.pk], force_of[provider.pk])] * weight
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_slot")
        cursor.execute(
            "CREATE TABLE bench_slot (slot integer PRIMARY KEY, org integer, adv integer, force integer)"
        )
        cursor.executemany(
            "INSERT INTO bench_slot VALUES (%s, %s, %s, %s)",
            [(i, org, adv, force) for i, (org, adv, force) in enumerate(slots)],
        )
    n_slots = len(slots)
    slot = f"(SELECT org FROM bench_slot WHERE slot = {_r('n', 1, n_slots)})"
    advocate = f"(SELECT adv FROM bench_slot WHERE slot = {_r('n', 1, n_slots)})"
    force = f"(SELECT force FROM bench_slot WHERE slot = {_r('n', 1, n_slots)})"
    timings["organisations"] = time.perf_counter() - began

    # Clients and cases: ids n (the tables are empty).
    sample = Client(given_name="Synthetic", family_name="Person", phone="07700 900000")
    encrypted = {
        f.column: sample._meta.get_field(f.name).get_db_prep_save(
            getattr(sample, f.name), connection
        )
        for f in Client._meta.concrete_fields
        if f.name in ("given_name", "family_name", "phone")
    }
    t = time.perf_counter()
    with transaction.atomic():
        _insert(
            Client,
            cases,
            {
                "id": "n",
                "organisation_id": slot,
                **{col: _quote(value) for col, value in encrypted.items()},
                "created_at": _datetime(start, _r("n", 2, span)),
            },
        )
    timings["clients"] = time.perf_counter() - t
    progress(f"clients: {cases:,} in {timings['clients']:.1f} s")
    opened = _datetime(start, _r("n", 2, span) + " + 86400")
    t = time.perf_counter()
    closed_if = f"{_r('n', 3, 100)} < 35 AND {_r('n', 2, span)} < {span - 90 * 86400}"
    with transaction.atomic():
        _insert(
            Case,
            cases,
            {
                "id": "n",
                "public_id": _uuid(),
                "reference": "'HB-' || n",
                "organisation_id": slot,
                "client_id": "n",
                "allocated_to_id": advocate,
                "opened_at": opened,
                "status": f"(CASE WHEN {closed_if} THEN 'closed' ELSE 'open' END)",
                "closed_at": f"(CASE WHEN {closed_if} THEN "
                + _datetime(start, _r("n", 2, span) + f" + 86400 * (30 + {_r('n', 4, 60)})")
                + " END)",
                "risk_level": _pick("n", 5, [("1", 45), ("2", 35), ("3", 15), ("0", 5)]),
                "relationship_to_suspect": _pick(
                    "n",
                    6,
                    [
                        ("'ex_partner'", 40),
                        ("'acquaintance'", 20),
                        ("'stranger'", 10),
                        ("'colleague'", 8),
                        ("'family'", 7),
                        ("'online_only'", 10),
                        ("'unknown'", 5),
                    ],
                ),
                "gender": _pick(
                    "n", 7, [("'woman'", 70), ("'man'", 22), ("'non_binary'", 2), ("''", 6)]
                ),
                "age_band": _pick(
                    "n",
                    8,
                    [
                        ("'18_24'", 18),
                        ("'25_34'", 30),
                        ("'35_44'", 24),
                        ("'45_54'", 15),
                        ("'55_64'", 8),
                        ("''", 5),
                    ],
                ),
                "ethnicity": _pick(
                    "n",
                    9,
                    [("'white'", 78), ("'asian'", 8), ("'black'", 5), ("'mixed'", 4), ("''", 5)],
                ),
                "disability": _pick("n", 10, [("'no'", 70), ("'yes'", 20), ("''", 10)]),
                "domestic_abuse": f"({_r('n', 6, 100)} < 47)",
                "cyber_elements": f"({_r('n', 11, 100)} < 55)",
            },
        )
    timings["cases"] = time.perf_counter() - t
    progress(f"cases: {cases:,} in {timings['cases']:.1f} s")

    # Referrals: every case came from one (accepted); 60% more did not become a case.
    referrals = cases * 16 // 10
    received = _datetime(
        start, f"(CASE WHEN n <= {cases} THEN {_r('n', 2, span)} ELSE {_r('n', 12, span)} END)"
    )
    contact = _datetime(
        start,
        f"(CASE WHEN n <= {cases} THEN {_r('n', 2, span)} ELSE {_r('n', 12, span)} END)"
        f" + 3600 * {_pick('n', 13, [('2', 30), ('20', 30), ('30', 15), ('60', 15), ('150', 10)])}",
    )
    source = _pick(
        "n",
        14,
        [
            ("'police'", 42),
            ("'self'", 30),
            ("'professional'", 16),
            ("'family_friend'", 6),
            ("'live_chat'", 6),
        ],
    )
    t = time.perf_counter()
    with transaction.atomic():
        _insert(
            Referral,
            referrals,
            {
                "id": "n",
                "public_id": _uuid(),
                "source": source,
                "status": f"(CASE WHEN n <= {cases} THEN 'accepted' ELSE "
                + _pick(
                    "n",
                    15,
                    [
                        ("'declined'", 35),
                        ("'signposted'", 20),
                        ("'unable_to_contact'", 30),
                        ("'received'", 10),
                        ("'merged'", 5),
                    ],
                )
                + " END)",
                "received_at": received,
                "due_by": _datetime(
                    start,
                    f"(CASE WHEN n <= {cases} THEN {_r('n', 2, span)} ELSE {_r('n', 12, span)} END) + 2 * 86400",
                ),
                "first_contact_at": f"(CASE WHEN {_r('n', 16, 100)} < 92 THEN {contact} END)",
                "routed_to_id": slot,
                "referring_organisation_id": f"(CASE WHEN {source} = 'police' THEN {force} END)",
                "crime_reported_on": f"(CASE WHEN {source} = 'police' AND {_r('n', 17, 10)} < 9 THEN "
                + _date(
                    start.date(),
                    f"(CASE WHEN n <= {cases} THEN {_r('n', 2, span)} ELSE {_r('n', 12, span)} END) / 86400 - {_pick('n', 18, [('0', 40), ('1', 25), ('2', 15), ('4', 10), ('9', 10)])}",
                )
                + " END)",
                "case_id": f"(CASE WHEN n <= {cases} THEN n END)",
            },
        )
    timings["referrals"] = time.perf_counter() - t
    progress(f"referrals: {referrals:,} in {timings['referrals']:.1f} s")

    # Needs and outcome measures of closed cases; journeys and milestones.
    t = time.perf_counter()
    with transaction.atomic():
        closed_ids = "(SELECT id FROM cases_case WHERE status = 'closed')"
        needs_cols = {
            "public_id": _uuid(),
            "case_id": "n",
            **{
                area.value: _pick(
                    "n", 20 + i, [("'met'", 45), ("'none'", 25), ("'some'", 15), ("''", 15)]
                )
                for i, area in enumerate(NeedArea)
            },
        }
        _insert(NeedsAssessment, cases, needs_cols, f"n IN {closed_ids}")
        for stage, low in (("entry", 1), ("exit", 2)):
            _insert(
                OutcomeMeasures,
                cases,
                {
                    "public_id": _uuid(),
                    "case_id": "n",
                    "stage": f"'{stage}'",
                    **{
                        key: f"({low} + {_r('n', 40 + i + low, 3)})"
                        for i, (key, _l) in enumerate(OutcomeMeasures.MEASURES)
                    },
                },
                f"n IN {closed_ids}",
            )
        journey_if = f"{_r('n', 50, 100)} < 45"
        _insert(
            Journey,
            cases,
            {
                "id": "n",
                "public_id": _uuid(),
                "case_id": "n",
                "force_id": force,
                "reported_on": _date(start.date(), f"{_r('n', 2, span)} / 86400 + 3"),
                "recorded_as": _pick(
                    "n",
                    51,
                    [("'s2a_stalking'", 40), ("'s4a_stalking'", 30), ("'s2_harassment'", 30)],
                ),
            },
            journey_if,
        )
        steps = [
            ("reported", 100, 3),
            ("charged", 50, 40),
            ("prosecution", 40, 80),
            ("outcome", 34, 160),
        ]
        for kind, share, days in steps:
            _insert(
                JourneyMilestone,
                cases,
                {
                    "public_id": _uuid(),
                    "journey_id": "n",
                    "kind": f"'{kind}'",
                    "on": _date(start.date(), f"{_r('n', 2, span)} / 86400 + {days}"),
                    "outcome": "'convicted'" if kind == "outcome" else "''",
                },
                f"{journey_if} AND {_r('n', 52, 100)} < {share} AND "
                + _date(start.date(), f"{_r('n', 2, span)} / 86400 + {days}")
                + f" <= {_quote(today.isoformat())}",
            )
    timings["needs, measures, journeys"] = time.perf_counter() - t
    progress(f"needs, measures, journeys in {timings['needs, measures, journeys']:.1f} s")

    # Diary incidents: ten per case on average (0 to 20).
    incidents = cases * incidents_per_case
    t = time.perf_counter()
    with transaction.atomic():
        _insert(
            Incident,
            incidents,
            {
                "public_id": _uuid(),
                "case_id": f"((n - 1) % {cases}) + 1",
                "number": f"((n - 1) / {cases}) + 1",
                "logged_at": _datetime(start, _r("n", 60, span)),
                "logged_by_id": f"(SELECT allocated_to_id FROM cases_case WHERE id = ((n - 1) % {cases}) + 1)",
            },
        )
    timings["incidents"] = time.perf_counter() - t
    progress(f"incidents: {incidents:,} in {timings['incidents']:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_slot")
        if connection.vendor == "postgresql":
            for model in (
                Case,
                Referral,
                Client,
                Incident,
                NeedsAssessment,
                OutcomeMeasures,
                Journey,
                JourneyMilestone,
            ):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
    timings["total"] = time.perf_counter() - began
    return {"cases": cases, "referrals": referrals, "incidents": incidents, "timings": timings}
