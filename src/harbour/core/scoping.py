"""Managers for models that hold case data: every query must name the acting user.

``Case.objects.all()`` raises ``ScopeRequired``; ``Case.objects.for_user(user)`` returns only what the
policy module lets that user see. Background jobs that genuinely act for the service (retention, key
rotation, demo data) say so with ``Case.objects.system("why")``. Reverse relations derived from the
default manager raise too, so a template cannot walk from a visible record into an invisible one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models

from harbour.core import policy

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
