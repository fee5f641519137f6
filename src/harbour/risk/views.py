"""Risk assessments (form generated from the instrument) and MARAC tracking."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from harbour.accounts.access import denied
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.cases.models import RiskLevel
from harbour.core import policy
from harbour.core.forms import posted
from harbour.core.http import AuthenticatedHttpRequest
from harbour.core.versioning import edit_page
from harbour.risk import services
from harbour.risk.access import (
    get_assessment_for_user,
    get_case_for_assessment,
    get_marac_for_edit,
)
from harbour.risk.forms import AssessmentForm, LevelDecisionForm, MaracForm, MaracNewForm
from harbour.risk.instrument import AnswerError, OverrideError
from harbour.risk.models import Assessment, forum_for, forum_name


@require_GET
def instrument_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.can_view_instruments(request.user):
        raise denied(request, "risk.instrument_list")
    versions = services.instruments_for(request.user)
    record(actor=request.user, verb=AuditVerb.RISK_INSTRUMENTS_VIEWED, request=request)
    return render(request, "risk/instrument_list.html", {"versions": versions})


@require_http_methods(["GET", "POST"])
def assessment_new(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_assessment(request, public_id)
    available = services.instruments_for(request.user)
    wanted = request.GET.get("instrument") or request.POST.get("instrument")
    chosen = next((v for v in available if str(v.pk) == wanted), None) or (
        available[-1] if available else None
    )
    if chosen is None:
        raise denied(request, "risk.instrument", wanted or "")
    form = AssessmentForm(posted(request), instrument_version=chosen)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.record_assessment(
                case,
                instrument_version=chosen,
                answers=form.answers(),
                by=request.user,
                override_band=form.cleaned_data.get("override_band") or None,
                override_reason=form.cleaned_data.get("override_reason", ""),
                review_on=form.cleaned_data.get("review_on"),
                request=request,
            )
        except (AnswerError, OverrideError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Risk assessment saved")
            return redirect(reverse("risk:assessment_detail", args=[assessment.public_id]))
    if request.method == "GET":
        record(
            actor=request.user,
            verb=AuditVerb.RISK_ASSESSMENT_FORM_VIEWED,
            obj=case,
            request=request,
        )
    return render(
        request,
        "risk/assessment_form.html",
        {"case": case, "form": form, "instrument": chosen, "available": available},
    )


@require_GET
def assessment_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    assessment: Assessment = get_assessment_for_user(request, public_id)
    instrument = assessment.instrument_version.instrument
    answers = assessment.answers
    rows = []
    for q in instrument.questions:
        value = answers.get(q.id)
        if q.type == "choice":
            value = next((c.label for c in q.choices if c.value == value), value)
        elif q.type in ("yes_no", "yes_no_unknown") and value:
            value = {"yes": "Yes", "no": "No", "unknown": "Not known"}[value]
        rows.append((q.section or "", q.text, value))
    record(
        actor=request.user,
        verb=AuditVerb.RISK_ASSESSMENT_VIEWED,
        obj=assessment.case,
        request=request,
        payload={"assessment": str(assessment.public_id)},
    )
    return render(
        request,
        "risk/assessment_detail.html",
        {
            "assessment": assessment,
            "case": assessment.case,
            "instrument": instrument,
            "rows": rows,
            "computed_label": instrument.band(assessment.computed_band).label,
            "floor_labels": [f.label for f in instrument.floors if f.id in assessment.floors],
            "level_in_force": RiskLevel(assessment.case.risk_level).label,
            "triggers": assessment.trigger_labels(),
            "suggest_marac": any("marac" in t for t in assessment.triggers),
            "forum_label": forum_name(forum_for(assessment.case), assessment.case.organisation),
        },
    )


@require_http_methods(["GET", "POST"])
def marac_new(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_assessment(request, public_id)
    form = MaracNewForm(posted(request), initial={"referred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        latest = Assessment.objects.for_user(request.user).filter(case=case).first()
        services.refer_to_marac(
            case,
            by=request.user,
            reason=form.cleaned_data["reason"],
            referred_on=form.cleaned_data["referred_on"],
            assessment=latest,
            request=request,
        )
        forum = forum_name(forum_for(case), case.organisation)
        messages.success(request, f"Referral to {forum} recorded")
        return redirect(reverse("cases:detail", args=[case.public_id]) + "#risk")
    if request.method == "GET":
        record(actor=request.user, verb=AuditVerb.RISK_MARAC_FORM_VIEWED, obj=case, request=request)
    return render(
        request,
        "cases/form_page.html",
        {
            "case": case,
            "form": form,
            "page_title": f"Refer to {forum_name(forum_for(case), case.organisation)}",
            "lede": "MARAC is for stalking that is domestic abuse (by a partner, former partner or "
            "family member); other stalking goes to the area's multi-agency stalking panel or "
            "clinic. Harbour chooses from the relationship and flags on the case.",
            "back_url": reverse("cases:detail", args=[case.public_id]),
        },
    )


@require_http_methods(["GET", "POST"])
def marac_edit(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = get_marac_for_edit(request, public_id)
    case = referral.case
    form = MaracForm(posted(request), instance=referral)
    if request.method == "GET":
        record(
            actor=request.user,
            verb=AuditVerb.RISK_MARAC_VIEWED,
            obj=case,
            request=request,
            payload={"marac": str(referral.public_id)},
        )
    return edit_page(
        request,
        form,
        template="cases/form_page.html",
        context={
            "case": case,
            "page_title": "MARAC referral and meeting",
            "back_url": reverse("cases:detail", args=[case.public_id]) + "#risk",
        },
        success_url=reverse("cases:detail", args=[case.public_id]) + "#risk",
        verb=AuditVerb.RISK_MARAC_CHANGED,
        audit_obj=case,
        success_message="MARAC referral saved",
    )


@require_http_methods(["GET", "POST"])
def level_decide(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_assessment(request, public_id)
    form = LevelDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_level(
                case,
                RiskLevel(form.cleaned_data["level"]),
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
        except services.RiskRuleError as exc:
            form.add_error("level", str(exc))
        else:
            messages.success(request, "Level in force changed")
            return redirect(reverse("cases:detail", args=[case.public_id]) + "#risk")
    if request.method == "GET":
        record(actor=request.user, verb=AuditVerb.RISK_LEVEL_FORM_VIEWED, obj=case, request=request)
    return render(
        request,
        "cases/form_page.html",
        {
            "case": case,
            "form": form,
            "page_title": "Change the risk level in force",
            "lede": f"The level in force is {RiskLevel(case.risk_level).label.lower()}. It rises "
            "by itself when an assessment or the police grade the risk higher; it only goes down "
            "when you decide so here, with a reason.",
            "back_url": reverse("cases:detail", args=[case.public_id]) + "#risk",
        },
    )
