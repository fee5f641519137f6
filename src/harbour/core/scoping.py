"""Managers for models that hold case data: every query must name the acting user.

``Case.objects.all()`` raises ``ScopeRequired``; ``Case.objects.for_user(user)`` returns only what the
policy module lets that user see. Background jobs that genuinely act for the service (retention, key
rotation, demo data) say so with ``Case.objects.system("why")``. Reverse relations derived from the
default manager raise too, so a template cannot walk from a visible record into an invisible one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models

from harbour.core import policy
from harbour.core.precompiled import Precompiled

if TYPE_CHECKING:
    from harbour.accounts.models import User

M = TypeVar("M", bound=models.Model)


class ScopeRequired(RuntimeError):
    """A case-data query was made without an acting user."""


class ScopedManager(models.Manager[M], Generic[M]):
    def get_queryset(self) -> models.QuerySet[M]:
        raise ScopeRequired(
            f"{self.model._meta.label}.objects needs .for_user(user) or .system(reason)"
        )

    def _unscoped(self) -> models.QuerySet[M]:
        return models.QuerySet(self.model, using=self._db)

    def for_user(self, user: User | Any) -> models.QuerySet[M]:
        return policy.scope(self.model, user, self._unscoped())

    def for_case(self, user: User | Any, case: Any) -> models.QuerySet[M]:
        """The records of ``case`` that ``user`` may see (see ``policy.scope_case_records``)."""
        return policy.scope_case_records(self.model, user, case, self._unscoped())

    def system(self, reason: str) -> models.QuerySet[M]:
        if not reason.strip():
            raise ScopeRequired("system access needs a reason")
        return self._unscoped()


def first(qs: models.QuerySet[M]) -> models.QuerySet[M]:
    """At most the first row, in the order ``QuerySet.first()`` would take it."""
    return (qs if qs.ordered else qs.order_by("pk"))[:1]


class CaseRecords(Generic[M]):
    """One kind of record of a case, as a page reads it: ``refine`` (an order, related rows, a
    limit, a condition) applied to the records of the case that the user may see.

    ``records(user, case)`` is ``list(refine(Model.objects.for_case(user, case)))``. When the user
    may see every record of the case (``policy.sees_every_record``: a caseworker admitted to it in
    this request), the query is one condition on the case's key, compiled once per connection
    (``harbour.core.precompiled``); anyone else's is built through ``for_case`` as usual.

    Why unscoped: the precompiled query reads the model's rows of one case without the scoping
    manager, and runs only when ``policy.sees_every_record`` says every record of that case is
    the user's to see, exactly as ``policy.scope_case_records`` would return them.

    Create these once, at import (each keeps its compiled query per connection).
    """

    def __init__(
        self,
        model: type[M],
        refine: Callable[[models.QuerySet[M]], models.QuerySet[M]] | None = None,
    ) -> None:
        self.model = model
        self.refine = refine if refine is not None else _unchanged
        self._of_case: Precompiled[M] = Precompiled(self._build)

    def _build(self, case_id: int) -> models.QuerySet[M]:
        unscoped: Any = models.QuerySet(self.model)
        rows: models.QuerySet[M] = unscoped.filter(**{policy.case_path(self.model): case_id})
        return self.refine(rows)

    def __call__(self, user: User | Any, case: Any) -> list[M]:
        if policy.sees_every_record(user, case):
            return self._of_case(case.pk)
        manager: Any = self.model._default_manager
        return list(self.refine(manager.for_case(user, case)))


def _unchanged(qs: models.QuerySet[M]) -> models.QuerySet[M]:
    return qs
