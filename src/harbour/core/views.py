from __future__ import annotations

import logging
import sys
import uuid

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, IntegrityError, connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_safe

from harbour.accounts.mfa import is_verified
from harbour.accounts.models import User
from harbour.cases.models import Case
from harbour.cases.queries import MANAGER_LISTS, TODAY_LISTS, today_for
from harbour.core import policy
from harbour.justice.home import JUSTICE_LISTS, justice_home
from harbour.programmes.home import programme_home
from harbour.referrals.home import referrals_home
from harbour.training.home import training_home

log = logging.getLogger("harbour.errors")

HOME_LISTS = frozenset(TODAY_LISTS + MANAGER_LISTS + JUSTICE_LISTS)


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    if is_verified(request.user):
        return redirect("core:home")
    return render(request, "core/landing.html")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # RequireMFAMiddleware lets only verified staff reach here
    context: dict[str, object] = {}
    # "Show all" of one home list: only a known list name is taken from the address.
    wanted = request.GET.get("all", "")
    expand = wanted if wanted in HOME_LISTS else ""
    if policy.is_provider_caseworker(user):
        today = today_for(user, expand=expand)
        context.update(today)
        open_cases = Case.objects.for_user(user).filter(status=Case.Status.OPEN)
        if policy.has_own_caseload(user):
            # The review lists read every open case of the advocate's already: their figure is
            # that count, and only the waiting cases are counted here (issue #8).
            context["my_open_cases"] = today["own_open_cases"]
            context["unallocated"] = open_cases.filter(allocated_to__isnull=True).count()
        else:
            counts = open_cases.aggregate(
                unallocated=Count("pk", filter=Q(allocated_to__isnull=True)), open=Count("pk")
            )
            context["open_cases"] = counts["open"]
            context["unallocated"] = counts["unallocated"]
    context.update(referrals_home(user))
    context.update(training_home(user))
    context.update(programme_home(user))
    context.update(justice_home(user, expand))
    return render(request, "core/home.html", context)


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _api(request: HttpRequest) -> bool:
    """The API answers every error in its own JSON format, never an HTML page."""
    return request.path.startswith("/api/")


def _api_error(status: int, message: str, **extra: object) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return _api_error(404, "Not found.")
    return render(request, "errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return _api_error(403, "Forbidden.")
    return render(request, "errors/403.html", status=403)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        if isinstance(exception, RequestDataTooBig):
            return _api_error(413, "The request body is too large.")
        return _api_error(400, "The request could not be understood.")
    return render(request, "errors/400.html", status=400)


def database_fault(exc: BaseException | None) -> str | None:
    """What is wrong with the database, in words for people, when ``exc`` is the database failing
    (unreachable, read-only, disk full) rather than Harbour; else None. Never the error's text,
    which may quote a statement."""
    if not isinstance(exc, DatabaseError) or isinstance(exc, IntegrityError):
        return None
    text = str(exc).lower()
    if "full" in text or "no space" in text or "could not extend" in text:
        return "The disk that holds Harbour's database is full."
    if "read-only" in text or "readonly" in text or "read only" in text:
        return "Harbour's database is accepting no changes just now (read-only)."
    return "Harbour cannot reach its database just now."


def error_500(request: HttpRequest) -> HttpResponse:
    error_id = uuid.uuid4().hex[:12]
    fault = database_fault(sys.exc_info()[1])
    if fault is not None:
        # Every write is a transaction: this request's changes were rolled back, earlier ones stand.
        log.error(
            "database unavailable",
            extra={"event": "database_unavailable", "error_id": error_id, "fault": fault},
        )
        if _api(request):
            response: HttpResponse = _api_error(
                503, f"{fault} Nothing was saved; try again later.", error_id=error_id
            )
        else:
            try:
                response = render(
                    request,
                    "errors/503.html",
                    {"error_id": error_id, "fault": fault},
                    status=503,
                )
            except Exception:  # the page itself needed the database: say it plainly
                response = HttpResponse(
                    f"{fault} Nothing from this request was saved, and nothing saved before was "
                    f"lost. Try again in a few minutes. Reference: {error_id}",
                    content_type="text/plain; charset=utf-8",
                    status=503,
                )
        response["Retry-After"] = "120"
        return response
    log.error("server error", extra={"event": "server_error", "error_id": error_id})
    if _api(request):
        return _api_error(500, "Something went wrong.", error_id=error_id)
    return render(request, "errors/500.html", {"error_id": error_id}, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _api(request):
        return _api_error(403, "Forbidden.")
    return render(request, "errors/csrf.html", status=403)
