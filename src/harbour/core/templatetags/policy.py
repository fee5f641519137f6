"""Templates ask the policy module, never compare role names: ``{% if user|may:"manage_users" %}``.

Each question is one ``harbour.core.policy`` function of the user alone; an unknown question fails
loudly rather than quietly hiding (or showing) part of a page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template

from harbour.core import policy

register = template.Library()

QUESTIONS: dict[str, Callable[[Any], bool]] = {
    "manage_users": policy.can_manage_users,
    "view_sent_referrals": policy.can_view_sent_referrals,
    "use_police_workspace": policy.can_use_police_workspace,
    "view_suspect_links": policy.can_view_suspect_links,
}


@register.filter
def may(user: Any, question: str) -> bool:
    try:
        ask = QUESTIONS[question]
    except KeyError:
        raise template.TemplateSyntaxError(f"the policy has no question {question!r}") from None
    return ask(user)
