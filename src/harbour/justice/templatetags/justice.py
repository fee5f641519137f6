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
    orders = list(
        Order.objects.for_case(user, case)
        .annotate(breached=Exists(Breach.unscoped.filter(order=OuterRef("pk"))))
        .select_related("suspect")
        .order_by("pk")
    )
    journeys = list(
        Journey.objects.for_case(user, case).select_related("force", "suspect").order_by("pk")
    )
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
