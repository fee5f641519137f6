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


def _uuid(salt: int = 0) -> str:
    """A UUID made from the row number: unique per table and **in order**, so the unique index on
    ``public_id`` is appended to rather than written at random pages (random UUIDs made each
    insert touch a random leaf: most of the old generator's time)."""
    if connection.vendor == "sqlite":
        return f"printf('%08x%024x', {salt}, n)"
    return f"(lpad(to_hex({salt}), 8, '0') || lpad(to_hex(n), 24, '0'))::uuid"


def _json(expr: str) -> str:
    return expr if connection.vendor == "sqlite" else f"({expr})::jsonb"


def _reference() -> str:
    if connection.vendor == "sqlite":
        return "printf('HB-%07d', n)"
    return "('HB-' || lpad(n::text, 7, '0'))"


def _quote(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return ("1" if value else "0") if connection.vendor == "sqlite" else str(value).upper()
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _insert(
    model: type[models.Model],
    count: int,
    columns: dict[str, str],
    where: str = "",
    source: str = "",
) -> int:
    """INSERT rows of ``model`` for n = 1..``count`` (those meeting ``where``): ``columns`` maps a
    column to an SQL expression of ``n`` (and of ``s.org``, ``s.adv``, ``s.frc``: the row's
    provider, its advocate and its force, from ``bench_slot``); every other column gets the field's
    default as Django stores it. ``source`` replaces the generated sequence (it must name a column
    ``n``). One statement: the database makes the rows itself, nothing crosses to Python."""
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
    head = ""
    if source:
        source = f"({source}) AS seq"
    elif connection.vendor == "sqlite":
        head, source = _seq(count), "seq"
    else:
        source = f"generate_series(1, {count}) AS seq(n)"
    body = " ".join(f"{c} {e}" for c, e in columns.items())
    if "s.org" in body or "s.adv" in body or "s.frc" in body:
        source += f" JOIN bench_slot AS s ON s.slot = {_r('n', 1, _SLOTS[0])}"
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({', '.join(names)}) "
        + head
        + f"SELECT {', '.join(exprs)} FROM {source}"
        + (f" WHERE {where}" if where else "")
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return int(cursor.rowcount)


_SLOTS = [1]

#: Tables written in bulk: their secondary indexes are dropped for the load and built after it.
_BULK_TABLES = (
    "cases_client",
    "cases_case",
    "referrals_referral",
    "cases_needsassessment",
    "cases_outcomemeasures",
    "justice_journey",
    "justice_journeymilestone",
    "evidence_incident",
    "evidence_incidentversion",
)


#: The diary's tables keep their indexes: every one of them is written in key order (ids, and
#: each pass over the cases in case order), which costs less than reading 10 million rows again
#: to build each index afterwards.
_KEEP_INDEXES = ("evidence_incident", "evidence_incidentversion")


def _drop_indexes() -> list[str]:
    """Drop the bulk tables' indexes that no constraint needs; return the statements that rebuild
    them. (Primary keys and unique columns stay: their ids are written in order.)"""
    rebuild: list[str] = []
    with connection.cursor() as cursor:
        for table in _BULK_TABLES:
            if table in _KEEP_INDEXES:
                continue
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                    "AND sql IS NOT NULL",
                    [table],
                )
            else:
                cursor.execute(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
                    "(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)",
                    [table],
                )
            for name, create in cursor.fetchall():
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                rebuild.append(create)
    return rebuild


class _BulkLoad:
    """Settings for the load only, put back afterwards. SQLite: no rollback journal, no fsync, a
    1 GB page cache, temporary B-trees in memory, foreign keys not checked row by row (the ids are
    consistent by construction). PostgreSQL: no per-commit flush, foreign-key triggers off
    (``session_replication_role = replica``; the benchmark's role owns its throwaway cluster), more
    memory for the index builds."""

    def __enter__(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for pragma in (
                    "journal_mode = OFF",
                    "synchronous = OFF",
                    "cache_size = -1000000",
                    "temp_store = MEMORY",
                    "foreign_keys = OFF",
                ):
                    cursor.execute(f"PRAGMA {pragma}")
            else:
                cursor.execute("SET synchronous_commit = off")
                cursor.execute("SET session_replication_role = replica")
                cursor.execute("SET maintenance_work_mem = '512MB'")
                cursor.execute("SET work_mem = '256MB'")

    def __exit__(self, *exc: object) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for pragma in (
                    "journal_mode = WAL",
                    "synchronous = NORMAL",
                    "cache_size = -2000",
                    "foreign_keys = ON",
                ):
                    cursor.execute(f"PRAGMA {pragma}")
            else:
                cursor.execute("SET session_replication_role = DEFAULT")
                cursor.execute("RESET synchronous_commit")
                cursor.execute("RESET maintenance_work_mem")
                cursor.execute("RESET work_mem")


def _pool(name: str, field: models.Field[Any, Any], values: list[str]) -> str:
    """Encrypt ``values`` once (really, with Harbour's keys) into ``bench_pool``; return an SQL
    expression picking one of them per row. Thousands of rows share each ciphertext: the figures
    never read these columns, and encrypting a million names one by one would only time AES."""
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_pool (kind, i, v) VALUES (%s, %s, %s)",
            [(name, i, field.get_db_prep_save(v, connection)) for i, v in enumerate(values)],
        )
    salt = sum(map(ord, name))
    return f"(SELECT v FROM bench_pool WHERE kind = '{name}' AND i = {_r('n', salt, len(values))})"


GIVEN = ["Alex", "Sam", "Jo", "Priya", "Aisha", "Megan", "Chloe", "Olivia", "Emma", "Sophie"]
FAMILY = ["Smith", "Jones", "Taylor", "Brown", "Khan", "Patel", "Wilson", "Evans", "Walker"]
INCIDENT_TEXT = [
    "Sent messages all evening after being told to stop.",
    "Waited outside the client's workplace at the end of the day.",
    "Posted about the client on social media.",
    "Left a note on the client's car.",
    "Called repeatedly from a withheld number.",
    "Turned up at the gym at the client's usual time.",
    "Sent flowers to the client's home.",
]
#: Behaviours of a diary entry (JSON lists as stored), with weights in per cent.
BEHAVIOURS = [
    ("'[\"messages\"]'", 30),
    ("'[\"calls\"]'", 15),
    ("'[\"social_media_posts\"]'", 12),
    ("'[\"loitering\"]'", 10),
    ('\'["following", "watching"]\'', 10),
    ("'[\"property_interference\"]'", 8),
    ("'[\"emails_letters\"]'", 5),
    ("'[]'", 10),
]
#: Diary entries per case: 0 to ``2 * incidents_per_case``, most near the mean (the sum of two
#: even rolls); a case with none has no diary yet.


def generate(
    cases: int = 1_000_000,
    incidents_per_case: int = 10,
    today: datetime.date | None = None,
    progress: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Write the dataset; return what was made and how long each step took (seconds)."""
    rebuild: list[str] = []
    try:
        with _BulkLoad():
            return _generate(cases, incidents_per_case, today, progress, rebuild)
    finally:
        # Whatever happened, the indexes the load dropped are back (already, if it finished).
        with connection.cursor() as cursor:
            for create in rebuild:
                cursor.execute(create)


def _generate(
    cases: int,
    incidents_per_case: int,
    today: datetime.date | None,
    progress: Callable[[str], None],
    rebuild: list[str],
) -> dict[str, Any]:
    from django.utils import timezone

    from harbour.accounts.models import Organisation, User
    from harbour.cases.models import Case, Client, NeedArea, NeedsAssessment, OutcomeMeasures
    from harbour.evidence.models import Incident, IncidentVersion
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

    def step(name: str, t: float, rows: int | None = None) -> None:
        timings[name] = time.perf_counter() - t
        made = f"{rows:,} " if rows is not None else ""
        progress(f"{name}: {made}in {timings[name]:.1f} s")

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
        for table in ("bench_slot", "bench_pool"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            "CREATE TABLE bench_slot (slot integer PRIMARY KEY, org integer, adv integer, frc integer)"
        )
        cursor.execute(
            "CREATE TABLE bench_pool (kind varchar(20), i integer, v text, PRIMARY KEY (kind, i))"
        )
        cursor.executemany(
            "INSERT INTO bench_slot VALUES (%s, %s, %s, %s)",
            [(i, org, adv, force) for i, (org, adv, force) in enumerate(slots)],
        )
    _SLOTS[0] = len(slots)
    rebuild += _drop_indexes()
    timings["organisations"] = time.perf_counter() - began

    # Clients and cases: ids n (the tables are empty).
    t = time.perf_counter()
    field = Client._meta.get_field
    with transaction.atomic():
        made = _insert(
            Client,
            cases,
            {
                "id": "n",
                "organisation_id": "s.org",
                "given_name": _pool("given", field("given_name"), GIVEN),
                "family_name": _pool("family", field("family_name"), FAMILY),
                "phone": _pool(
                    "phone", field("phone"), [f"07700 900{i:03d}" for i in range(0, 1000, 37)]
                ),
                "created_at": _datetime(start, _r("n", 2, span)),
            },
        )
    step("clients", t, made)
    opened = _datetime(start, _r("n", 2, span) + " + 86400")
    t = time.perf_counter()
    closed_if = f"{_r('n', 3, 100)} < 35 AND {_r('n', 2, span)} < {span - 90 * 86400}"
    with transaction.atomic():
        made = _insert(
            Case,
            cases,
            {
                "id": "n",
                "public_id": _uuid(1),
                "reference": _reference(),
                "organisation_id": "s.org",
                "client_id": "n",
                "allocated_to_id": "s.adv",
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
    step("cases", t, made)

    # Referrals: every case came from one (accepted); 60% more did not become a case. The same
    # row number gives the same provider as the case (the slot is a function of n).
    referrals = cases * 16 // 10
    when = f"(CASE WHEN n <= {cases} THEN {_r('n', 2, span)} ELSE {_r('n', 12, span)} END)"
    received = _datetime(start, when)
    contact = _datetime(
        start,
        f"{when} + 3600 * "
        + _pick("n", 13, [("2", 30), ("20", 30), ("30", 15), ("60", 15), ("150", 10)]),
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
        made = _insert(
            Referral,
            referrals,
            {
                "id": "n",
                "public_id": _uuid(2),
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
                "due_by": _datetime(start, f"{when} + 2 * 86400"),
                "first_contact_at": f"(CASE WHEN {_r('n', 16, 100)} < 92 THEN {contact} END)",
                "routed_to_id": "s.org",
                "referring_organisation_id": f"(CASE WHEN {source} = 'police' THEN s.frc END)",
                "crime_reported_on": f"(CASE WHEN {source} = 'police' AND {_r('n', 17, 10)} < 9 THEN "
                + _date(
                    start.date(),
                    f"{when} / 86400 - "
                    + _pick("n", 18, [("0", 40), ("1", 25), ("2", 15), ("4", 10), ("9", 10)]),
                )
                + " END)",
                "case_id": f"(CASE WHEN n <= {cases} THEN n END)",
            },
        )
    step("referrals", t, made)

    # Needs and outcome measures of closed cases; journeys and milestones.
    t = time.perf_counter()
    made = 0
    with transaction.atomic():
        closed = "SELECT id AS n FROM cases_case WHERE status = 'closed'"
        needs_cols = {
            "public_id": _uuid(3),
            "case_id": "n",
            **{
                area.value: _pick(
                    "n", 20 + i, [("'met'", 45), ("'none'", 25), ("'some'", 15), ("''", 15)]
                )
                for i, area in enumerate(NeedArea)
            },
        }
        made += _insert(NeedsAssessment, cases, needs_cols, source=closed)
        for salt, (stage, low) in enumerate((("entry", 1), ("exit", 2)), start=4):
            made += _insert(
                OutcomeMeasures,
                cases,
                {
                    "public_id": _uuid(salt),
                    "case_id": "n",
                    "stage": f"'{stage}'",
                    **{
                        key: f"({low} + {_r('n', 40 + i + low, 3)})"
                        for i, (key, _l) in enumerate(OutcomeMeasures.MEASURES)
                    },
                },
                source=closed,
            )
        journey_if = f"{_r('n', 50, 100)} < 45"
        made += _insert(
            Journey,
            cases,
            {
                "id": "n",
                "public_id": _uuid(6),
                "case_id": "n",
                "force_id": "s.frc",
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
        for salt, (kind, share, days) in enumerate(steps, start=7):
            made += _insert(
                JourneyMilestone,
                cases,
                {
                    "public_id": _uuid(salt),
                    "journey_id": "n",
                    "kind": f"'{kind}'",
                    "on": _date(start.date(), f"{_r('n', 2, span)} / 86400 + {days}"),
                    "outcome": "'convicted'" if kind == "outcome" else "''",
                },
                f"{journey_if} AND {_r('n', 52, 100)} < {share} AND "
                + _date(start.date(), f"{_r('n', 2, span)} / 86400 + {days}")
                + f" <= {_quote(today.isoformat())}",
            )
    step("needs, measures, journeys", t, made)

    # Diary incidents, each with its first version (what the pattern and the under-recording
    # figure read): per case 0 to 2 x incidents_per_case, most near the mean. Pass k writes the
    # k-th entry of every case that has k or more, so ids (k - 1) * cases + case stay in order.
    t = time.perf_counter()
    made = 0
    half = incidents_per_case + 1
    per_case = f"({_r('id', 61, half)} + {_r('id', 62, half)})"
    text = IncidentVersion._meta.get_field("what_happened")
    what = _pool("incident", text, INCIDENT_TEXT)
    for k in range(1, 2 * incidents_per_case + 1):
        cases_k = f"SELECT id AS n, allocated_to_id AS adv FROM cases_case WHERE {per_case} >= {k}"
        logged = _datetime(
            start, f"{_r('n', 2, span)} + 86400 * {k * 3} + {_r('n', 60 + k, 86400)}"
        )
        with transaction.atomic():
            made += _insert(
                Incident,
                cases,
                {
                    "id": f"{(k - 1) * cases} + n",
                    "public_id": _uuid(100 + k),
                    "case_id": "n",
                    "number": str(k),
                    "logged_at": logged,
                    "logged_by_id": "adv",
                },
                source=cases_k,
            )
            _insert(
                IncidentVersion,
                cases,
                {
                    "id": f"{(k - 1) * cases} + n",
                    "incident_id": f"{(k - 1) * cases} + n",
                    "number": "1",
                    "precision": "'exact'",
                    "occurred_at": logged,
                    "reporter": "'client'",
                    "behaviours": _json(_pick("n", 70 + k, BEHAVIOURS)),
                    "what_happened": what,
                    "effects": _json("'[]'"),
                    "saved_at": logged,
                    "saved_by_id": "adv",
                },
                source=cases_k,
            )
    step("incidents (each with its version)", t, made)
    incidents = made

    t = time.perf_counter()
    with connection.cursor() as cursor:
        while rebuild:
            cursor.execute(rebuild[0])
            rebuild.pop(0)
    step("indexes built", t)
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_slot")
        cursor.execute("DROP TABLE bench_pool")
        if connection.vendor == "postgresql":
            for table in _BULK_TABLES:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
            # What autovacuum would do soon after a real load: statistics for the planner, and
            # the visibility map that lets the reports' index-only scans skip the table.
            # (The diary's two big tables get statistics only: no figure reads them by index alone.)
            for table in _BULK_TABLES:
                vacuum = "" if table.startswith("evidence_") else "VACUUM "
                cursor.execute(f"{vacuum}ANALYZE {table}")
        else:
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")
    step("statistics", t)
    timings["total"] = time.perf_counter() - began
    return {"cases": cases, "referrals": referrals, "incidents": incidents, "timings": timings}
