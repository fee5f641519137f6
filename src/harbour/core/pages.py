"""The one way a form page hands a valid submission to a service.

Every "record something" page does the same four things: bind the POST, run one service function
with the form's data, turn the service's refusal into an error on the form, or redirect with a
message. :func:`submitted` does them; the view declares which form, which service and where to go.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

T = TypeVar("T")


def submitted(
    request: HttpRequest,
    form: forms.BaseForm,
    act: Callable[[dict[str, Any]], T],
    *,
    then: str | Callable[[T], str],
    message: str | Callable[[T], str] | None = "Saved",
    refusals: tuple[type[Exception], ...] = (),
    level: Callable[[T], int] | None = None,
) -> HttpResponse | None:
    """Run ``act`` with a valid posted form's cleaned data and redirect to ``then``.

    ``None`` means "show the page": a GET, an invalid form, or a refusal (one of ``refusals``: a
    rule of the service, whose message is safe to show) added to the form as a non-field error.
    ``then`` and ``message`` may depend on what ``act`` returned (``message=None``: the next page
    says it all); ``level`` picks the message's level (default: success).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = act(form.cleaned_data)
    except refusals as refused:
        form.add_error(None, str(refused))
        return None
    if message is not None:
        text = message(result) if callable(message) else message
        messages.add_message(request, level(result) if level else messages.SUCCESS, text)
    return redirect(then(result) if callable(then) else then)
