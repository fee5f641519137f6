from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def shown(value: object) -> str:
    """A published count with thousands separated, or [c] where hidden."""
    if value is None:
        return "[c]"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@register.filter
def percent(value: object) -> str:
    return "[c]" if value is None else f"{value}%"


@register.filter
def get_chart(charts: dict[str, str], key: str) -> str:
    return charts.get(key, "")
