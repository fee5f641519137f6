"""Public pages: no account, nothing identifying in URLs or titles, nothing kept in the browser.

Every page carries "Exit this page", whose link is Harbour's own /public/leave/: it ends the
session and sends the browser to a neutral site. Submissions are rate limited per address and
carry a honeypot field and a signed form token with a minimum fill time; none needs a third party.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from harbour.core.forms import posted
from harbour.public import formtoken, throttle
from harbour.public.forms import (
    FamilyFriendForm,
    ProfessionalReferralForm,
    SelfCheckForm,
    SelfReferralForm,
    self_check_result,
)
from harbour.referrals.forms import intake_fields
from harbour.referrals.models import Referral
from harbour.referrals.services import receive_referral

#: Where "Exit this page" finally lands: a neutral, common page.
NEUTRAL_SITE = "https://www.bbc.co.uk/weather"
HONEYPOT = "website"


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """The "exit a page quickly" interruption page, before anything else."""
    return render(request, "public/start.html")


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "public/index.html")


@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest) -> HttpResponse:
    """End the session and leave for a neutral site. No audit row: leaving must leave no trace."""
    request.session.flush()
    response = HttpResponseRedirect(NEUTRAL_SITE)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    """Confirmation. Shows nothing about what was sent (someone else may see this screen)."""
    return render(request, "public/sent.html")


def _submission(
    request: HttpRequest,
    form_class: Callable[..., Any],
    template: str,
    save: Callable[[dict[str, Any]], object],
    sent: str = "public:sent",
) -> HttpResponse:
    """Send a public form. A person never loses what they typed: whatever stops a submission (the
    hourly limit, a form that was open too long or sent too quickly), the form comes back with their
    entries, a plain explanation and the helpline number. Only a stored submission counts towards
    the limit; the honeypot and forms with errors do not use up anyone's allowance."""
    form_key = template
    notice = ""
    status = 200
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            # A person never sees this field. Look like success; store nothing; count nothing.
            return redirect(sent)
        form = form_class(request.POST)
        if form.is_valid():
            verdict = formtoken.check(request.POST.get(formtoken.FIELD), form_key)
            if verdict is not formtoken.Verdict.OK:
                notice = "check"
            elif throttle.is_limited(request):
                notice, status = "paused", 429
            else:
                with transaction.atomic():
                    save(form.cleaned_data)
                    throttle.note_submission(request)
                return redirect(sent)
    else:
        form = form_class()
    context = {
        "form": form,
        "honeypot": HONEYPOT,
        "form_token": formtoken.issue(form_key),
        "notice": notice,
    }
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def self_referral(request: HttpRequest) -> HttpResponse:
    def save(cleaned: dict[str, Any]) -> Referral:
        return receive_referral(
            source=Referral.Source.SELF, fields=intake_fields(cleaned), via="public"
        )

    return _submission(request, SelfReferralForm, "public/self_referral.html", save)


@require_http_methods(["GET", "POST"])
def family(request: HttpRequest) -> HttpResponse:
    def save(cleaned: dict[str, Any]) -> Referral:
        return receive_referral(
            source=Referral.Source.FAMILY_FRIEND,
            kind=Referral.Kind.ADVICE,
            fields=intake_fields(cleaned),
            via="public",
        )

    return _submission(request, FamilyFriendForm, "public/family.html", save)


@require_http_methods(["GET", "POST"])
def professional(request: HttpRequest) -> HttpResponse:
    def save(cleaned: dict[str, Any]) -> Referral:
        return receive_referral(
            source=Referral.Source.PROFESSIONAL, fields=intake_fields(cleaned), via="public"
        )

    return _submission(request, ProfessionalReferralForm, "public/professional.html", save)


@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest) -> HttpResponse:
    """Answers are never stored; the result is shown in the response to the POST only."""
    form = SelfCheckForm(posted(request))
    result = None
    if request.method == "POST" and form.is_valid():
        result = self_check_result(form.cleaned_data)
    return render(request, "public/self_check.html", {"form": form, "result": result})
