"""Queries compiled to SQL once per database connection, then run with new values (issue #8).

Django turns a queryset into SQL afresh every time one is evaluated: it resolves each filter, works
out the joins and the columns of every model selected, and quotes every name. On a case page that is
20 queries and about 5.5 ms of the view's 19 ms, the same SQL each time with a different case.

A ``Precompiled`` query is a function from a few plain values (whole numbers, strings, dates and
times) to a queryset. The first time it runs on a connection it is compiled twice, with two
different made-up sets of values; where the two sets of parameters differ are the values' places,
and each of those must hold exactly the value as Django prepares it for the database. The SQL, the constant
parameters, the columns and the converters that turn each column into Python are kept. After that
it costs what the database and the rows cost: the SQL is run with the new values put in their
places, and the rows become model instances as Django's own iterator makes them (converters, so
encrypted fields are decrypted; rows of ``select_related`` models; deferred fields).

What cannot be compiled once safely is refused with ``NotPrecompilable`` the first time it runs
(so its tests fail), never run wrongly:

* SQL that differs between the two sets of values (a condition Django writes differently for some
  values), or a query Django would not run at all (an empty ``__in``);
* a parameter that changes with a value but is not the value as Django would prepare it (derived
  from it);
* ``prefetch_related``, and results other than model instances and ``values_list()`` tuples;
* values of any other type (``None`` among them: Django writes ``IS NULL`` for it).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import (  # type: ignore[attr-defined]  # not in django-stubs
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)

#: The kinds of value a precompiled query takes (a time must carry its time zone).
Value = int | str | datetime.date | datetime.datetime


class NotPrecompilable(TypeError):
    """The query cannot be compiled once and run again with other values (see the module)."""


def _prepared(connection: BaseDatabaseWrapper, value: Any) -> Any:
    """``value`` as Django prepares it for this database in a condition on a field of its type."""
    if type(value) in (int, str):
        return value
    if type(value) is datetime.date:
        return connection.ops.adapt_datefield_value(value)
    if type(value) is datetime.datetime and value.utcoffset() is not None:
        return connection.ops.adapt_datetimefield_value(value)
    raise NotPrecompilable(
        f"a precompiled query takes whole numbers, strings, dates and times with a zone, not "
        f"{type(value).__name__} {value!r}"
    )


def _samples(values: Sequence[Value], round_: int) -> list[Value]:
    """Made-up values of the same types as ``values``, all different from each other and from
    those of the other round."""
    made: list[Value] = []
    for index, value in enumerate(values):
        step = 2 * index + round_ + 1
        if type(value) is int:
            made.append(900_000_001 + 7_919 * step)
        elif type(value) is str:
            # Characters that a lookup's own preparation would change (LIKE escapes, quotes), so
            # that a lookup which transforms its value is refused, not run with the raw value.
            made.append(f"Harbour_%\\'\" sample {step}")
        elif type(value) is datetime.date:
            made.append(datetime.date(1901, 1, 1) + datetime.timedelta(days=97 * step))
        else:
            made.append(
                datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC)
                + datetime.timedelta(days=97 * step, seconds=3_607 * step, microseconds=step)
            )
    return made


@dataclass(frozen=True)
class _Plan:
    """One precompiled query on one connection."""

    sql: str
    #: The constant parameters, with a placeholder where each value goes.
    params: tuple[Any, ...]
    #: (position in ``params``, index of the value that goes there).
    places: tuple[tuple[int, int], ...]
    compiler: SQLCompiler
    converters: dict[int, tuple[list[Callable[..., Any]], Any]]
    #: How many columns make a row (Django adds columns to order by after them).
    width: int | None
    #: The model made of each row; None for ``values_list()`` rows (tuples).
    model: type[Model] | None
    init_list: tuple[str, ...]
    start: int
    end: int
    populators: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]


#: Where a connection keeps its compiled queries: on the connection object itself, so that they go
#: with it (a plan holds its compiler, which holds the connection: kept anywhere else, a connection
#: made for one request, as Django's asynchronous handler makes them, would never be freed).
_PLANS = "_harbour_precompiled"


def _plans_of(connection: BaseDatabaseWrapper) -> dict[Precompiled[Any], _Plan]:
    plans: dict[Precompiled[Any], _Plan] | None = connection.__dict__.get(_PLANS)
    if plans is None:
        plans = connection.__dict__[_PLANS] = {}
    return plans


class Precompiled(Generic[M]):
    """A query compiled once per connection: ``Precompiled(build)(*values)`` is
    ``list(build(*values))``.

    ``build`` must make the same query for any values of the same types, apart from the values
    themselves, and make it the same way each time it is called. Create these once, at import:
    each connection keeps every one's compiled form for as long as the connection lives."""

    def __init__(self, build: Callable[..., QuerySet[M]]) -> None:
        self.build = build

    def __call__(self, *values: Value) -> list[Any]:
        connection = connections[DEFAULT_DB_ALIAS]
        prepared = [_prepared(connection, value) for value in values]
        plans = _plans_of(connection)
        plan = plans.get(self)
        if plan is None:
            plan = plans[self] = self._compile(connection, values)
        params = list(plan.params)
        for position, index in plan.places:
            params[position] = prepared[index]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        return self._instances(plan, rows)

    def _compile(self, connection: BaseDatabaseWrapper, values: Sequence[Value]) -> _Plan:
        first, second = _samples(values, 0), _samples(values, 1)
        compiler, sql, params, tuples = self._sql(connection, first)
        _, sql_again, params_again, _ = self._sql(connection, second)
        if sql != sql_again or len(params) != len(params_again):
            raise NotPrecompilable(f"{self.build!r} writes different SQL for different values")
        places = []
        for position, (one, other) in enumerate(zip(params, params_again, strict=True)):
            if one == other and type(one) is type(other):
                continue
            index = next(
                (
                    i
                    for i in range(len(values))
                    if one == _prepared(connection, first[i])
                    and other == _prepared(connection, second[i])
                ),
                None,
            )
            if index is None:
                raise NotPrecompilable(
                    f"{self.build!r}: parameter {position} changes with the values but is not one"
                )
            places.append((position, index))
        select, klass_info = compiler.select, compiler.klass_info
        fields = [column[0] for column in select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise NotPrecompilable(f"{self.build!r} selects a composite field")
        places_at = {position for position, _ in places}
        shape: dict[str, Any] = {"model": None, "init_list": (), "start": 0, "end": 0}
        shape.update(populators=(), annotations=())
        if not tuples:  # model instances, not ``values_list()`` rows
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            shape.update(
                model=klass_info["model"],
                init_list=tuple(column[0].target.attname for column in select[start:end]),
                start=start,
                end=end,
                populators=tuple(get_related_populators(klass_info, select, DEFAULT_DB_ALIAS)),
                annotations=tuple(sorted((compiler.annotation_col_map or {}).items())),
            )
        return _Plan(
            sql=sql,
            params=tuple(None if i in places_at else v for i, v in enumerate(params)),
            places=tuple(places),
            compiler=compiler,
            converters=compiler.get_converters(fields),
            width=compiler.col_count if compiler.has_extra_select else None,
            **shape,
        )

    def _sql(
        self, connection: BaseDatabaseWrapper, values: Sequence[Value]
    ) -> tuple[SQLCompiler, str, tuple[Any, ...], bool]:
        try:
            queryset: Any = self.build(*values)  # reads QuerySet's own attributes, untyped
        except (TypeError, ValueError, LookupError) as error:
            raise NotPrecompilable(f"{self.build!r} cannot be built: {error!r}") from error
        if (
            queryset._iterable_class not in (ModelIterable, ValuesListIterable)
            or queryset._prefetch_related_lookups
            or queryset._known_related_objects
            or queryset.db != DEFAULT_DB_ALIAS
        ):
            raise NotPrecompilable(f"{self.build!r} is not a plain query for model instances")
        compiler = queryset.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except Exception as error:  # EmptyResultSet, FullResultSet: Django would not run it so
            raise NotPrecompilable(f"{self.build!r} cannot be compiled: {error!r}") from error
        return compiler, sql, tuple(params), queryset._iterable_class is ValuesListIterable

    @staticmethod
    def _instances(plan: _Plan, rows: list[Any]) -> list[Any]:
        """The rows as model instances, exactly as Django's ``ModelIterable`` makes them (as
        tuples for a ``values_list()`` query)."""
        if plan.width is not None:
            rows = [row[: plan.width] for row in rows]
        if plan.converters:
            rows = list(plan.compiler.apply_converters(rows, plan.converters))
        if plan.model is None:
            return [tuple(row) for row in rows]
        made: list[Any] = []
        start, end, init_list = plan.start, plan.end, list(plan.init_list)
        for row in rows:
            obj: Any = plan.model.from_db(DEFAULT_DB_ALIAS, init_list, row[start:end])
            for populator in plan.populators:
                populator.populate(row, obj)
            for name, position in plan.annotations:
                setattr(obj, name, row[position])
            made.append(obj)
        return made


__all__ = ["NotPrecompilable", "Precompiled"]
