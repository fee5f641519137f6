"""``{% url %}`` that remembers its answers: Django's tag, with each address worked out once.

Django's ``reverse()`` costs about 20 microseconds a call (it walks the namespaces and checks the
built address against its pattern), and a staff page makes forty to sixty of them, many the same
pattern with another case's id: about a millisecond a page (issue #8). An address depends only on
the view's name, its arguments, the application namespace in use, the URL configuration and the
script prefix, so the answer for the same five is the same. This tag keeps the last
``CACHED_ADDRESSES`` answers per process, for arguments that are plain values (strings, whole
numbers, UUIDs) only; anything else goes to ``reverse()`` every time, as Django's tag does.

Registered as a template builtin after Django's own (``settings.TEMPLATES``), so every ``{% url %}``
in Harbour's templates is this one. A changed URL configuration (tests override it) empties the
cache.
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

#: How many addresses each process remembers (a few hundred bytes each).
CACHED_ADDRESSES = 4096

_PLAIN = (str, int, uuid.UUID)


@lru_cache(maxsize=CACHED_ADDRESSES)
def _address(
    view_name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
    urlconf: str | None,
    prefix: str,  # part of the key: reverse() reads it from the request's thread
) -> str:
    return reverse(
        view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _address.cache_clear()


class RememberedURLNode(URLNode):
    def render(self, context: Context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((k, v.resolve(context)) for k, v in self.kwargs.items())
        view_name = self.view_name.resolve(context)
        if not isinstance(view_name, str) or not all(
            isinstance(value, _PLAIN) for value in (*args, *(v for _k, v in kwargs))
        ):
            return super().render(context)  # not plain values: Django's own tag, unremembered
        try:
            current_app = context.request.current_app  # type: ignore[attr-defined]
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace  # type: ignore[attr-defined]
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = _address(view_name, args, kwargs, current_app, get_urlconf(), get_script_prefix())
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> RememberedURLNode:
    """Django's ``{% url %}``, parsed by Django, rendered by ``RememberedURLNode``."""
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
