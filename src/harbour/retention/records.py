"""Everything held about a record: every row of every model whose foreign keys lead to it.

The walk reads the model registry (as the scoping test does), so a model added later is included in
subject access exports and erasure without anyone remembering to list it here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q

from harbour.core.fields import BlindIndexField, EncryptedDateField, EncryptedTextField


def _paths(
    model: type[models.Model], target: type[models.Model], seen: frozenset[Any]
) -> list[str]:
    if model is target:
        return [""]
    found = []
    for f in model._meta.concrete_fields:
        if (f.many_to_one or f.one_to_one) and f.related_model not in seen | {model}:
            for rest in _paths(f.related_model, target, seen | {model}):  # type: ignore[arg-type]
                found.append(f.name + (f"__{rest}" if rest else ""))
    return found


@functools.cache
def models_leading_to(
    target: type[models.Model],
) -> tuple[tuple[type[models.Model], tuple[str, ...]], ...]:
    """(model, lookup paths to ``target``) for every model with a chain of foreign keys to it."""
    result = []
    for model in apps.get_models():
        if model is target or not model._meta.managed:
            continue
        paths = tuple(sorted(set(_paths(model, target, frozenset())), key=len))
        if paths:
            result.append((model, paths))
    return tuple(sorted(result, key=lambda item: item[0]._meta.label_lower))


def rows_about(
    target: type[models.Model], pks: Iterable[Any]
) -> Iterator[tuple[type[models.Model], models.QuerySet[Any]]]:
    """For each model leading to ``target``: its rows belonging to the ``target`` rows ``pks``."""
    pks = list(pks)
    for model, paths in models_leading_to(target):
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{path}__in": pks})
        yield model, model._base_manager.filter(condition).order_by("pk")


def identifying_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedTextField | EncryptedDateField | BlindIndexField)
    ]


def emptied(field: models.Field[Any, Any]) -> Any:
    return None if field.null else ""


def anonymise(queryset: models.QuerySet[Any]) -> int:
    """Empty every identifying field of these rows; returns how many rows. Append-only models
    (diary versions, consents) refuse ``update`` on purpose; erasure is the one exception, so it
    calls the plain ``QuerySet.update``."""
    fields = identifying_fields(queryset.model)
    if not fields:
        return 0
    return models.QuerySet.update(queryset, **{f.attname: emptied(f) for f in fields})
