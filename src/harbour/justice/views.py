"""Orders, breaches, the criminal-justice journey, the police coordinator's workspace and
serial-suspect links. Every view calls an access helper first and audits what it shows."""

from __future__ import annotations

import datetime
import uuid
from collections import Counter, defaultdict
from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.accounts.access import denied
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.cases.models import Case
from harbour.core import policy
from harbour.core.forms import posted
from harbour.core.http import AuthenticatedHttpRequest
from harbour.core.pages import submitted
from harbour.evidence.models import Bundle
from harbour.justice import forms as justice_forms
from harbour.justice import rules, services
from harbour.justice.access import (
    get_case_for_justice_edit,
    get_case_for_police,
    get_disclosure_for_review,
    get_disclosure_for_user,
    get_journey_for_edit,
    get_journey_for_review_request,
    get_journey_for_user,
    get_link_pair,
    get_order_for_edit,
    get_order_for_user,
    get_reminder_for_user,
    require_link_viewer,
    require_police_workspace,
)
from harbour.justice.models import (
    Breach,
    Journey,
    JourneyMilestone,
    LinkDisclosure,
    Order,
    OrderCondition,
    OrderNotification,
    OrderStep,
    RecordingReview,
)
from harbour.referrals.models import Referral

FORM_PAGE = "cases/form_page.html"


def _case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.public_id]) + "#orders-and-justice"


def _order_url(order: Order) -> str:
    return reverse("justice:order_detail", args=[order.public_id])


def _journey_url(journey: Journey) -> str:
    return reverse("justice:journey_detail", args=[journey.public_id])


def _form_viewed(request: AuthenticatedHttpRequest, case: Case, form: str) -> None:
    if request.method == "GET":
        record(
            actor=request.user,
            verb=AuditVerb.JUSTICE_FORM_VIEWED,
            obj=case,
            request=request,
            payload={"form": form},
        )


def _form_page(
    request: AuthenticatedHttpRequest,
    form: Any,
    *,
    case: Case,
    title: str,
    back_url: str,
    submit: str = "Save",
) -> HttpResponse:
    return render(
        request,
        FORM_PAGE,
        {
            "case": case,
            "form": form,
            "page_title": title,
            "back_url": back_url,
            "submit_label": submit,
        },
    )


# --- orders --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def order_new(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_justice_edit(request, public_id)
    form = justice_forms.OrderForm(posted(request), case=case, user=request.user)
    _form_viewed(request, case, "order")
    done = submitted(
        request,
        form,
        lambda data: services.record_order(case, by=request.user, request=request, **data),
        then=_order_url,
        message="Order recorded",
        refusals=(services.RuleError,),
    )
    return done or _form_page(
        request, form, case=case, title="Record an order", back_url=_case_url(case)
    )


@require_GET
def order_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    order = get_order_for_user(request, public_id)
    user = request.user
    steps = list(OrderStep.objects.for_user(user).filter(order=order).select_related("recorded_by"))
    conditions = list(OrderCondition.objects.for_user(user).filter(order=order))
    notifications = list(OrderNotification.objects.for_user(user).filter(order=order))
    breaches = list(Breach.objects.for_user(user).filter(order=order))
    linked = services.breach_incidents(breaches)
    for breach in breaches:
        breach.linked = linked[breach.pk]  # type: ignore[attr-defined]
    record(actor=user, verb=AuditVerb.JUSTICE_ORDER_VIEWED, obj=order.case, request=request)
    today = timezone.localdate()
    deadlines = [(d, d.stage(today)) for d in services.order_deadlines(order, notifications)]
    can_edit = policy.can_record_justice(user, order.case)
    return render(
        request,
        "justice/order_detail.html",
        {
            "case": order.case,
            "order": order,
            "steps": steps,
            "conditions": conditions,
            "notifications": notifications,
            "notified_form": justice_forms.NotifiedForm(),
            "breaches": breaches,
            "unreported": [b for b in breaches if b.reported_to_police_on is None],
            "deadlines": deadlines,
            "can_edit": can_edit,
            "next_steps": rules.allowed_steps(order.kind, order.status),
            "minimum_end": (
                rules.minimum_full_term_end(order.made_on)
                if order.is_spo and order.made_on
                else None
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def order_step(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    order = get_order_for_edit(request, public_id)
    form = justice_forms.StepForm(posted(request), order=order)
    _form_viewed(request, order.case, "order_step")
    done = submitted(
        request,
        form,
        lambda data: services.record_order_step(order, by=request.user, request=request, **data),
        then=_order_url(order),
        message="Step recorded",
        refusals=(services.RuleError,),
    )
    return done or _form_page(
        request,
        form,
        case=order.case,
        title=f"Next step: {order.title}",
        back_url=_order_url(order),
    )


@require_http_methods(["GET", "POST"])
def condition_new(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    order = get_order_for_edit(request, public_id)
    form = justice_forms.ConditionForm(posted(request))
    _form_viewed(request, order.case, "order_condition")
    done = submitted(
        request,
        form,
        lambda data: services.add_condition(order, by=request.user, request=request, **data),
        then=_order_url(order),
        message="Condition added",
    )
    return done or _form_page(
        request, form, case=order.case, title="Add a condition", back_url=_order_url(order)
    )


@require_http_methods(["GET", "POST"])
def notification_new(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    order = get_order_for_edit(request, public_id)
    if not order.notification_required:
        raise denied(request, "justice.order_notification", str(public_id))
    form = justice_forms.NotificationForm(posted(request))
    _form_viewed(request, order.case, "order_notification")
    done = submitted(
        request,
        form,
        lambda data: services.record_notification_event(
            order, by=request.user, request=request, **data
        ),
        then=_order_url(order),
        message="Notification requirement recorded",
        refusals=(services.RuleError,),
    )
    return done or _form_page(
        request,
        form,
        case=order.case,
        title="Service or a change of name or address",
        back_url=_order_url(order),
    )


@require_POST
def notified(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, notification_id: uuid.UUID
) -> HttpResponse:
    order = get_order_for_edit(request, public_id)
    notification = (
        OrderNotification.objects.for_user(request.user)
        .filter(order=order, public_id=notification_id)
        .first()
    )
    if notification is None:
        raise denied(request, "justice.ordernotification", str(notification_id))
    notification.order = order
    form = justice_forms.NotifiedForm(posted(request))
    if form.is_valid():
        try:
            services.record_notified(
                notification,
                by=request.user,
                notified_on=form.cleaned_data["notified_on"],
                request=request,
            )
        except services.RuleError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "Notification recorded")
    else:
        messages.error(request, "Enter the date the suspect notified police.")
    return redirect(_order_url(order))


@require_http_methods(["GET", "POST"])
def breach_new(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    order = get_order_for_edit(request, public_id)
    form = justice_forms.BreachForm(posted(request), case=order.case, user=request.user)
    _form_viewed(request, order.case, "breach")
    done = submitted(
        request,
        form,
        lambda data: services.record_breach(order, by=request.user, request=request, **data),
        then=_order_url(order),
        message=lambda breach: (
            "Breach recorded. Breaching an order is an offence: report it to police. "
            "An action to do so is due today."
            if breach.reported_to_police_on is None
            else "Breach recorded"
        ),
        level=lambda breach: (
            messages.WARNING if breach.reported_to_police_on is None else messages.SUCCESS
        ),
        refusals=(services.RuleError,),
    )
    return done or _form_page(
        request,
        form,
        case=order.case,
        title=f"Record a breach: {order.title}",
        back_url=_order_url(order),
    )


# --- the criminal-justice journey -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def journey_new(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_justice_edit(request, public_id)
    form = justice_forms.JourneyForm(posted(request), case=case, user=request.user)
    _form_viewed(request, case, "journey")
    done = submitted(
        request,
        form,
        lambda data: services.start_journey(case, by=request.user, request=request, **data),
        then=_journey_url,
        message="Report to police recorded",
        refusals=(services.RuleError,),
    )
    return done or _form_page(
        request,
        form,
        case=case,
        title="Record a report to police",
        back_url=_case_url(case),
    )


@require_GET
def journey_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    journey = get_journey_for_user(request, public_id)
    milestones = list(
        JourneyMilestone.objects.for_user(request.user)
        .filter(journey=journey)
        .select_related("recorded_by")
        .order_by("recorded_at", "pk")
    )
    reviews = list(RecordingReview.objects.for_user(request.user).filter(journey=journey))
    record(
        actor=request.user, verb=AuditVerb.JUSTICE_JOURNEY_VIEWED, obj=journey.case, request=request
    )
    return render(
        request,
        "justice/journey_detail.html",
        {
            "case": journey.case,
            "journey": journey,
            "milestones": milestones,
            "reviews": reviews,
            "can_edit": policy.can_record_justice(request.user, journey.case),
        },
    )


@require_http_methods(["GET", "POST"])
def milestone_new(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    journey = get_journey_for_edit(request, public_id)
    form = justice_forms.MilestoneForm(posted(request))
    _form_viewed(request, journey.case, "milestone")
    done = submitted(
        request,
        form,
        lambda data: services.record_milestone(journey, by=request.user, request=request, **data),
        then=_journey_url(journey),
        message="Milestone recorded",
        refusals=(services.RuleError,),
    )
    return done or _form_page(
        request,
        form,
        case=journey.case,
        title="Record a milestone",
        back_url=_journey_url(journey),
    )


# --- the police stalking coordinator's workspace ------------------------------------------------------


def _force_spos(user: Any) -> list[Order]:
    return list(
        Order.objects.for_user(user)
        .filter(kind=rules.OrderKind.SPO)
        .select_related("case", "force")
        .order_by("status_on", "pk")[:500]
    )


@require_GET
def workspace(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_police_workspace(request)
    user = request.user
    spos = _force_spos(user)
    by_status = Counter(o.status for o in spos)
    pipeline = [
        (rules.STEP_LABELS[s], by_status[s.value]) for s in rules.Step if by_status[s.value]
    ]
    recent = timezone.localdate() - datetime.timedelta(days=90)
    breaches = Breach.objects.for_user(user).filter(occurred_on__gte=recent).count()
    overdue = (
        OrderNotification.objects.for_user(user)
        .filter(notified_on__isnull=True, due_on__lt=timezone.localdate())
        .count()
    )
    under = services.possibly_under_recorded(Journey.objects.for_user(user))
    sent = Referral.objects.for_user(user)
    record(
        actor=user,
        verb=AuditVerb.JUSTICE_POLICE_WORKSPACE_VIEWED,
        request=request,
        payload={"page": "workspace", "orders": len(spos), "under_recorded": len(under)},
    )
    return render(
        request,
        "justice/workspace.html",
        {
            "pipeline": pipeline,
            "spo_count": len(spos),
            "breaches_recent": breaches,
            "notifications_overdue": overdue,
            "under_recorded": len(under),
            "referrals_sent": sent.count(),
            "referrals_open": sent.filter(status__in=Referral.OPEN_STATUSES).count(),
            "bundles": Bundle.objects.for_user(user).count(),
        },
    )


@require_GET
def pipeline(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_police_workspace(request)
    user = request.user
    spos = _force_spos(user)
    notifications: dict[int, list[OrderNotification]] = defaultdict(list)
    for n in OrderNotification.objects.for_user(user).filter(order__in=spos):
        notifications[n.order_id].append(n)
    breach_counts = dict(
        Breach.objects.for_user(user)
        .filter(order__in=spos)
        .values_list("order_id")
        .annotate(n=Count("id"))
        .values_list("order_id", "n")
    )
    today = timezone.localdate()
    rows = []
    for order in spos:
        deadlines = [
            (d, d.stage(today)) for d in services.order_deadlines(order, notifications[order.pk])
        ]
        rows.append(
            {
                "order": order,
                "deadlines": deadlines,
                "breaches": breach_counts.get(order.pk, 0),
                "notifications": notifications[order.pk],
            }
        )
    record(
        actor=user,
        verb=AuditVerb.JUSTICE_POLICE_WORKSPACE_VIEWED,
        request=request,
        payload={"page": "spo_pipeline", "orders": len(rows)},
    )
    return render(request, "justice/pipeline.html", {"rows": rows})


@require_GET
def under_recording(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_police_workspace(request)
    user = request.user
    found = services.possibly_under_recorded(Journey.objects.for_user(user))
    reviews = set(RecordingReview.objects.for_user(user).values_list("journey_id", flat=True))
    months = Counter(rules.month_start(j.reported_on) for j, _s in found if j.reported_on)
    record(
        actor=user,
        verb=AuditVerb.JUSTICE_POLICE_WORKSPACE_VIEWED,
        request=request,
        payload={"page": "under_recording", "cases": len(found)},
    )
    return render(
        request,
        "justice/under_recording.html",
        {
            "rows": [(j, s, j.pk in reviews) for j, s in found],
            "months": sorted(months.items(), reverse=True),
        },
    )


@require_GET
def police_case(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = get_case_for_police(request, public_id)
    user = request.user
    journeys = list(
        Journey.objects.for_user(user).filter(case=case).select_related("force").order_by("pk")
    )
    milestones: dict[int, list[JourneyMilestone]] = defaultdict(list)
    for m in (
        JourneyMilestone.objects.for_user(user)
        .filter(journey__in=journeys)
        .order_by("recorded_at", "pk")
    ):
        milestones[m.journey_id].append(m)
    orders = list(Order.objects.for_user(user).filter(case=case).order_by("pk"))
    conditions: dict[int, list[OrderCondition]] = defaultdict(list)
    for c in OrderCondition.objects.for_user(user).filter(order__in=orders):
        conditions[c.order_id].append(c)
    notifications: dict[int, list[OrderNotification]] = defaultdict(list)
    for n in OrderNotification.objects.for_user(user).filter(order__in=orders):
        notifications[n.order_id].append(n)
    breaches: dict[int, list[Breach]] = defaultdict(list)
    for b in Breach.objects.for_user(user).filter(order__in=orders):
        breaches[b.order_id].append(b)
    facts = services.case_facts(case)
    flagged = {j.pk for j in journeys if services.is_possibly_under_recorded(j, facts)[0]}
    reviewed = set(
        RecordingReview.objects.for_user(user)
        .filter(journey__case=case)
        .values_list("journey_id", flat=True)
    )
    summary = services.case_summary(facts)
    record(actor=user, verb=AuditVerb.JUSTICE_POLICE_CASE_VIEWED, obj=case, request=request)
    return render(
        request,
        "justice/police_case.html",
        {
            "case": case,
            "journeys": [
                (j, milestones[j.pk], j.pk in flagged, j.pk in reviewed) for j in journeys
            ],
            "orders": [(o, conditions[o.pk], notifications[o.pk], breaches[o.pk]) for o in orders],
            "summary": summary,
            "bundles": list(Bundle.objects.for_user(user).filter(case=case)),
        },
    )


@require_POST
def review_request(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    journey = get_journey_for_review_request(request, public_id)
    services.request_recording_review(journey, by=request.user, request=request)
    messages.success(request, "Review of the crime recording asked for")
    return redirect(reverse("justice:police_case", args=[journey.case.public_id]))


# --- reminders ------------------------------------------------------------------------------------


@require_POST
def reminder_read(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    reminder = get_reminder_for_user(request, public_id)
    services.mark_reminder_read(reminder, by=request.user, request=request)
    return redirect("core:home")


# --- serial-suspect links -------------------------------------------------------------------------------


@require_GET
def links(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_link_viewer(request)
    user = request.user
    flagged = services.flagged_suspects(user)
    own_cases = {
        pk: (reference, public_id)
        for pk, reference, public_id in Case.objects.for_user(user)
        .filter(pk__in=[m.case_id for _s, ms in flagged for m in ms])
        .values_list("pk", "reference", "public_id")
    }
    rows = []
    for suspect, matches in flagged:
        shown = []
        for m in matches:
            own_org = m.organisation.pk == user.organisation_id
            shown.append(
                {
                    "match": m,
                    "own_org": own_org,
                    "restricted": m.restricted,
                    "reference": own_cases.get(m.case_id, ("", ""))[0] if own_org else None,
                    "case_public_id": own_cases.get(m.case_id, ("", ""))[1] if own_org else None,
                }
            )
        rows.append({"suspect": suspect, "matches": shown})
    record(
        actor=user,
        verb=AuditVerb.JUSTICE_LINKS_VIEWED,
        request=request,
        payload={"flagged": len(rows)},
    )
    return render(request, "justice/links.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def disclose(
    request: AuthenticatedHttpRequest, own_id: uuid.UUID, other_id: uuid.UUID
) -> HttpResponse:
    own, other = get_link_pair(request, own_id, other_id)
    form = justice_forms.DisclosureForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            disclosure = services.claim_link_disclosure(
                manager=request.user,
                own=own,
                other=other,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.RuleError as refused:
            form.add_error(None, str(refused))
        else:
            return redirect(reverse("justice:disclosure_detail", args=[disclosure.public_id]))
    return render(
        request,
        "justice/disclose.html",
        {
            "form": form,
            "organisation": other.case.organisation,
            "hours": services.break_glass_hours(),
        },
    )


@require_GET
def disclosure_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    disclosure = get_disclosure_for_user(request, public_id)
    other = disclosure.other_suspect
    record(
        actor=request.user,
        verb=AuditVerb.JUSTICE_LINK_DISCLOSURE_VIEWED,
        obj=other.case,
        request=request,
        payload={"disclosure": str(disclosure.public_id)},
    )
    return render(
        request,
        "justice/disclosure_detail.html",
        {
            "disclosure": disclosure,
            "other": other,
            "organisation": other.case.organisation,
            "identifiers": services.identifier_values(other),
            "orders": services.orders_against(other),
        },
    )


@require_GET
def disclosure_reviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_link_viewer(request)
    user = request.user
    pending = list(
        LinkDisclosure.objects.for_user(user)
        .filter(other_suspect__case__organisation=user.organisation)
        .select_related("requested_by", "requested_by__organisation", "reviewed_by")
        .order_by("reviewed_at", "-granted_at")[:200]
    )
    record(
        actor=user,
        verb=AuditVerb.JUSTICE_LINKS_VIEWED,
        request=request,
        payload={"page": "disclosure_reviews", "count": len(pending)},
    )
    return render(
        request,
        "justice/disclosure_reviews.html",
        {"disclosures": pending, "form": justice_forms.ReviewForm()},
    )


@require_POST
def disclosure_review(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    disclosure = get_disclosure_for_review(request, public_id)
    form = justice_forms.ReviewForm(posted(request))
    if form.is_valid():
        services.review_link_disclosure(
            disclosure, by=request.user, note=form.cleaned_data["note"], request=request
        )
        messages.success(request, "Review recorded")
    else:
        messages.error(request, "Write a review note.")
    return redirect("justice:disclosure_reviews")
