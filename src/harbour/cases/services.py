"""Named state changes for cases. Views and other apps call these, never raw saves."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from harbour.accounts.models import Organisation, User
from harbour.audit.log import record
from harbour.cases.models import Case, Client


def open_case(
    *,
    organisation: Organisation,
    client_fields: dict[str, Any],
    by: User | None,
    allocated_to: User | None = None,
    existing_client: Client | None = None,
    source: str = "",
) -> Case:
    """Create (or reuse) the client and open a case for them, audited in the same transaction."""
    with transaction.atomic():
        client = existing_client
        if client is None:
            client = Client(organisation=organisation, **client_fields)
            client.save()
        case = Case.objects_base.create(
            organisation=organisation, client=client, allocated_to=allocated_to
        )
        record(actor=by, verb="case.opened", obj=case, payload={"source": source})
    return case
