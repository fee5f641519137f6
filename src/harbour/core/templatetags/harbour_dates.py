"""``|date`` that remembers its answers: Django's filter, each date formatted once per format and
language.

Django's ``date`` filter costs about 18 microseconds a call (it builds a formatter and looks up the
format and the month's name in the active language each time), more than the rest of a list row
together, and a home page or a case list formats thirty to sixty dates (issue #8). What it returns
depends only on the value, the format, the language and, for a time, the time zone it is shown in,
so the same four give the same text. This filter keeps the last ``CACHED_DATES`` answers per
process for dates and for times with a time zone; anything else is Django's filter, unremembered.

Registered as a template builtin after Django's own (``settings.TEMPLATES``), so every ``|date`` in
Harbour's templates is this one. As Django's, it receives a time already turned into the local time
zone (``expects_localtime``) and is not marked safe (its output is escaped like any other).
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Any

from django import template
from django.template.defaultfilters import date as django_date
from django.utils.translation import get_language

register = template.Library()

#: How many formatted dates each process remembers (a few dozen bytes each).
CACHED_DATES = 8192


@lru_cache(maxsize=CACHED_DATES)
def _formatted(value: datetime.date, zone: str, arg: str | None, language: str | None) -> str:
    # ``zone`` and ``language`` are part of the key: Django's filter reads both from the value and
    # the request's thread.
    return str(django_date(value, arg))


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """Django's ``date`` filter, remembering its answers for plain dates and zoned times."""
    kind = type(value)
    if kind is datetime.date:
        return _formatted(value, "", arg, get_language())
    if kind is datetime.datetime and value.tzinfo is not None:
        # Equal times in different zones are equal datetimes: the zone (its name and its offset
        # at this time) is in the key, so each is shown in its own.
        zone = f"{value.tzinfo}|{value.utcoffset()}|{value.fold}"
        return _formatted(value, zone, arg, get_language())
    return str(django_date(value, arg))
