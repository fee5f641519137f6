"""``{% justice_section case %}``: the orders and criminal-justice section of the case page.

The case page's own view has already checked access to the case and audited the view; this tag
reads the case's orders and journeys through the scoped managers as the signed-in user.

Why unscoped: where it reads ``unscoped`` it is for the case the page's view has already admitted
the user to.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Exists, OuterRef

from harbour.core import policy
from harbour.justice.models import Breach, Journey, Order

register = template.Library()


@register.inclusion_tag("justice/_case_section.html", takes_context=True)
def justice_section(context: Any, case: Any) -> dict[str, Any]:
    user = context["request"].user
    order_rows = Order.objects.for_case(user, case).annotate(
        breached=Exists(Breach.unscoped.filter(order=OuterRef("pk")))
    )
    journey_rows = Journey.objects.for_case(user, case).select_related("force")
    # The case page has read this case's suspects already: name each order's and journey's from
    # them rather than join and decrypt the suspects again (issue #8).
    known = {s.pk: s for s in context.get("suspects") or ()}
    if not known:
        order_rows = order_rows.select_related("suspect")
        journey_rows = journey_rows.select_related("suspect")
    orders, journeys = list(order_rows.order_by("pk")), list(journey_rows.order_by("pk"))
    records: list[Any] = [*orders, *journeys]
    for record in records:
        if record.suspect_id in known:
            record.suspect = known[record.suspect_id]
    return {
        "case": case,
        "orders": orders,
        "journeys": journeys,
        # The case page has decided whether this user may change the case (policy.can_edit_case,
        # which is what can_record_justice asks): reuse it rather than ask the database again.
        "can_record": context.get("can_edit", False)
        if "can_edit" in context
        else policy.can_record_justice(user, case),
    }
