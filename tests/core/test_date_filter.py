"""``|date`` remembers its answers (harbour.core.templatetags.harbour_dates) and gives exactly
Django's: the same text for dates and for times in whatever zone and language they are shown in."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.template import engines
from django.template.defaultfilters import date as django_date
from django.utils import timezone, translation

from harbour.core.templatetags.harbour_dates import _formatted

DATE_FORMATS = ["j M Y", "D j M Y", "l jS F Y", "DATE_FORMAT", "SHORT_DATE_FORMAT", None]
FORMATS = [*DATE_FORMATS, "j F Y, H:i", "DATETIME_FORMAT", "c", "e T O"]


def render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


def test_every_date_filter_in_harbours_templates_is_the_remembering_one():
    _formatted.cache_clear()
    when = datetime.date(2026, 3, 29)
    assert render("{{ d|date:'j M Y' }} {{ d|date:'j M Y' }}", d=when) == "29 Mar 2026 29 Mar 2026"
    assert _formatted.cache_info().hits == 1


@pytest.mark.parametrize("fmt", DATE_FORMATS)
@pytest.mark.parametrize("language", ["en-gb", "cy", "fr"])
def test_the_text_is_djangos_for_dates_in_each_language(fmt, language):
    days = [datetime.date(2026, m, d) for m, d in ((1, 1), (3, 29), (10, 25), (12, 31))]
    with translation.override(language):
        for day in days:
            for _ in range(2):  # the second answer is the remembered one
                assert render("{{ d|date:f }}", d=day, f=fmt) == render_django(day, fmt)


def render_django(value, fmt):
    from django.utils.html import conditional_escape

    return conditional_escape(django_date(value, fmt))


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_moment_is_shown_in_each_zone_as_django_shows_it(fmt):
    """Equal times in different zones are equal datetimes: each must still be shown in its own
    zone (the template turns them into the current zone first), across a clock change too."""
    moments = [
        datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC),  # just before BST begins
        datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC),  # just after
        datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC),  # 01:30 BST
        datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC),  # 01:30 GMT (fold)
    ]
    seen = set()
    for zone in ("Europe/London", "UTC", "America/New_York", "Asia/Kolkata"):
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            for moment in moments:
                local = timezone.localtime(moment)
                for _ in range(2):
                    shown = render("{{ t|date:f }}", t=moment, f=fmt)
                    assert shown == render_django(local, fmt)
                seen.add(shown)
    if fmt in ("j F Y, H:i", "c", "e T O"):
        assert len(seen) > len(moments)  # the zone changed what was shown


def test_a_time_format_for_a_date_is_refused_as_django_refuses_it():
    for _ in range(2):
        with pytest.raises(TypeError, match="time-related"):
            render("{{ d|date:'H:i' }}", d=datetime.date(2026, 5, 4))


def test_anything_else_is_djangos_filter_unremembered():
    _formatted.cache_clear()
    naive = datetime.datetime(2026, 1, 2, 3, 4)  # noqa: DTZ001 - a naive time, as Django shows it
    assert render("{{ t|date:'j M Y H:i' }}", t=naive) == "2 Jan 2026 03:04"
    assert render("[{{ t|date:'j M Y' }}]", t=None) == "[]"
    assert render("[{{ t|date:'j M Y' }}]", t="not a date") == "[]"
    assert render("[{{ t|date:'j M Y' }}]", t="") == "[]"
    assert _formatted.cache_info().currsize == 0


def test_the_output_is_escaped_like_djangos():
    day = datetime.date(2026, 5, 4)
    assert render("{{ d|date:'\\<\\b\\>' }}", d=day) == "&lt;b&gt;"
