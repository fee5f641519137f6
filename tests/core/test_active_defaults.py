"""The service's time zone and language are active for the whole of a request, and only then."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import timezone, translation

from harbour.core.middleware import ActiveDefaultsMiddleware


def test_a_request_runs_with_the_services_zone_and_language_active() -> None:
    seen: dict[str, object] = {}

    def view(request: HttpRequest) -> HttpResponse:
        # What is active, not what Django falls back to: the context-local holds a value.
        seen["zone"] = getattr(timezone._active, "value", None)
        seen["language"] = getattr(translation.trans_real._active, "value", None)
        return HttpResponse("ok")

    assert getattr(timezone._active, "value", None) is None
    ActiveDefaultsMiddleware(view)(RequestFactory().get("/"))

    assert str(seen["zone"]) == "Europe/London"
    assert getattr(seen["language"], "to_language", lambda: None)() == "en-gb"
    # Afterwards the thread's zone is as it was, and its language still the service's own (Django's
    # override restores "en-gb" as the language it found): nothing else leaks into the next request.
    assert getattr(timezone._active, "value", None) is None
    assert translation.get_language() == "en-gb"
