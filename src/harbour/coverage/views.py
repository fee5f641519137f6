"""Coverage pages: a provider's own rules, and the unrouted queue of a triage team."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.accounts.models import ServiceArea
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core.forms import posted
from harbour.core.http import AuthenticatedHttpRequest
from harbour.coverage import access, services
from harbour.coverage.forms import PanelNameForm, RemoveRuleForm, RuleForm
from harbour.coverage.models import AuthorityProvider, CoverageRule, TriageTeam
from harbour.coverage.rules import Level
from harbour.referrals.models import Referral
from harbour.risk.models import MaracReferral, forum_name


@require_http_methods(["GET", "POST"])
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_coverage_manager(request)
    organisation = request.user.organisation
    assert organisation is not None  # the access helper has checked
    form = RuleForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            prefix, level = services.add_rule(
                form.cleaned_data["postcodes"],
                organisation,
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except services.CoverageError as exc:
            form.add_error("postcodes", str(exc))
        else:
            messages.success(request, f"Your service now covers {level.label.lower()} {prefix}")
            return redirect("coverage:index")
    rules = [
        (a.postcode_district, Level.DISTRICT.label, a.label)
        for a in ServiceArea.objects.filter(organisation=organisation)
    ] + [
        (r.prefix, Level(r.level).label, r.note)
        for r in CoverageRule.objects.filter(organisation=organisation)
    ]
    return render(
        request,
        "coverage/index.html",
        {
            "form": form,
            "panel_form": PanelNameForm(initial={"panel_name": organisation.panel_name}),
            "panel_default": forum_name(MaracReferral.Forum.PANEL),
            "rules": sorted(rules),
            "authorities": AuthorityProvider.objects.filter(organisation=organisation),
            "triage_for": [
                t.area or "Everywhere no rule covers"
                for t in TriageTeam.objects.filter(organisation=organisation)
            ],
        },
    )


@require_POST
def panel(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_coverage_manager(request)
    organisation = request.user.organisation
    assert organisation is not None  # the access helper has checked
    form = PanelNameForm(request.POST)
    if form.is_valid():
        name = services.name_panel(organisation, form.cleaned_data["panel_name"], by=request.user)
        messages.success(
            request,
            f"Cases now offer a referral to {name or forum_name(MaracReferral.Forum.PANEL)}",
        )
    else:
        messages.error(request, "The name is too long: use 120 characters or fewer")
    return redirect("coverage:index")


@require_POST
def remove(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_coverage_manager(request)
    form = RemoveRuleForm(request.POST)
    if form.is_valid():
        try:
            prefix = services.remove_rule(
                form.cleaned_data["postcodes"],
                organisation=request.user.organisation,
                by=request.user,
            )
        except services.CoverageError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Your service no longer covers {prefix}")
    return redirect("coverage:index")


@require_GET
def unrouted(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_unrouted_queue(request)
    referrals = list(
        Referral.objects.for_user(request.user)
        .filter(unrouted__isnull=False, status__in=Referral.OPEN_STATUSES)
        .order_by("due_by")[:200]
    )
    now = timezone.now()
    record(
        actor=request.user,
        verb=AuditVerb.COVERAGE_UNROUTED_VIEWED,
        request=request,
        payload={"count": len(referrals)},
    )
    return render(
        request,
        "coverage/unrouted.html",
        {"items": [(r, r.is_overdue(now)) for r in referrals]},
    )
