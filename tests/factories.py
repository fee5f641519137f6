"""Test factories (factory-boy): one per model that tests build again and again, a subclass per state.

Cases are opened through ``services.open_case`` (audited, the client's fields encrypted), never
inserted directly. Case records go in through the unscoped manager, as services do: a factory acts
for the test, not for a member of staff.

    OpenCaseFactory(organisation=orgs["provider_a"], by=cast["mia"], allocated_to=cast["alice"])
    SupportActionFactory(case=case, owner=cast["alice"], due_in_days=-1)   # overdue
"""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from harbour.cases import services
from harbour.cases.models import Case, SupportAction, Suspect


class CaseRecordFactory(factory.django.DjangoModelFactory):
    """Case records are saved through the unscoped manager (the default one needs a user)."""

    class Meta:
        abstract = True

    @classmethod
    def _get_manager(cls, model_class: Any) -> Any:
        return model_class.objects_base


class OpenCaseFactory(factory.Factory):
    """An open case at ``organisation``, opened by ``by`` (required: a manager or None)."""

    class Meta:
        model = Case

    given_name = factory.Sequence(lambda n: f"Client{n}")
    allocated_to = None
    source = "test"

    @classmethod
    def _create(
        cls,
        model_class: type[Case],
        *,
        organisation: Any,
        by: Any,
        given_name: str,
        allocated_to: Any,
        source: str,
        **client_fields: Any,
    ) -> Case:
        return services.open_case(
            organisation=organisation,
            client_fields={"given_name": given_name, **client_fields},
            by=by,
            allocated_to=allocated_to,
            source=source,
        )


class SupportActionFactory(CaseRecordFactory):
    """An open action on ``case`` owned by ``owner``, due ``due_in_days`` from today."""

    class Meta:
        model = SupportAction

    class Params:
        due_in_days = 0

    area = "home_security"
    description = "Fit a video doorbell"
    due_on = factory.LazyAttribute(
        lambda o: timezone.localdate() + datetime.timedelta(days=o.due_in_days)
    )


class SuspectFactory(CaseRecordFactory):
    class Meta:
        model = Suspect

    names = "S"
