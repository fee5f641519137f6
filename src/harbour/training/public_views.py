"""Public training pages: the request form (with the same protections as a self-referral: exit
this page, a honeypot, a signed form token with a minimum fill time, the hourly limit per address)
and the attendee's own feedback link, which needs no account and takes one response.

The feedback link's token is a random secret, not derived from anything about the attendee; an
unknown, used-up or not-yet-delivered link answers "Page not found" like any other.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core import policy
from harbour.core.forms import posted
from harbour.public.views import _submission as submit_public_form
from harbour.training import services
from harbour.training.certificate import certificate_filename, certificate_pdf
from harbour.training.forms import FeedbackForm, TrainingRequestForm
from harbour.training.models import TrainingRequest
from harbour.training.views import pdf_response


@require_http_methods(["GET", "POST"])
def request_training(request: HttpRequest) -> HttpResponse:
    providers = policy.training_providers()

    def save(cleaned: dict[str, Any]) -> TrainingRequest:
        fields = dict(cleaned)
        provider = fields.pop("provider")
        return services.receive_request(provider, fields)

    return submit_public_form(
        request,
        partial(TrainingRequestForm, providers=providers),
        "training/public_request.html",
        save,
        sent="training_public:sent",
    )


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "training/public_sent.html")


@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, token: str) -> HttpResponse:
    attendee = services.attendee_for_link(token)
    if attendee is None:
        raise Http404
    done = services.has_given_feedback(attendee)
    form = FeedbackForm(None if done else posted(request))
    if request.method == "POST" and not done and form.is_valid():
        done = services.give_feedback(attendee, form.cleaned_data) is not None
        return render(
            request,
            "training/public_feedback.html",
            {"attendee": attendee, "done": True, "thanks": done, "token": token},
        )
    return render(
        request,
        "training/public_feedback.html",
        {"attendee": attendee, "form": form, "done": done, "token": token},
    )


@require_GET
def certificate(request: HttpRequest, token: str) -> HttpResponse:
    attendee = services.attendee_for_link(token)
    if attendee is None:
        raise Http404
    record(
        actor=None,
        verb=AuditVerb.TRAINING_CERTIFICATE_ISSUED,
        obj=attendee.session,
        payload={"attendee": str(attendee.public_id)},
        request=request,
        username="attendee feedback link",
    )
    return pdf_response(certificate_pdf(attendee), certificate_filename(attendee))
