"""Staff pages for referrals: the provider's triage queue and actions, the police coordinator's
referral form and "referrals we sent" list, and referral counts by source."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case as DbCase
from django.db.models import Count, F, IntegerField, Q, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from harbour.accounts.stepup import recently_reauthenticated, step_up_url
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.cases.models import Case
from harbour.cases.queries import PAGE_SIZE
from harbour.core import policy
from harbour.core.fields import encrypted_fields_except
from harbour.core.forms import posted
from harbour.core.http import AuthenticatedHttpRequest
from harbour.coverage import routing as coverage_routing
from harbour.referrals import access, services
from harbour.referrals.forms import (
    FAMILY_RELATIONSHIPS,
    PROFESSIONS,
    RELATIONSHIP,
    REPORTED,
    AcceptForm,
    ContactAttemptForm,
    DeclineForm,
    MergeForm,
    PoliceReferralForm,
    RerouteForm,
    SignpostForm,
    UnableToContactForm,
    choice_label,
    intake_fields,
)
from harbour.referrals.models import (
    HOW_LONG,
    Channel,
    ContactAttempt,
    Referral,
    first_contact_target_days,
)
from harbour.referrals.reporting import victims_code_by_month, victims_code_by_month_cached

# Provider: triage --------------------------------------------------------------------------------


#: Sort key for the triage queue: high, medium, standard, then not assessed.
RISK_FIRST = DbCase(
    When(risk_level=Referral.RiskLevel.HIGH, then=Value(0)),
    When(risk_level=Referral.RiskLevel.MEDIUM, then=Value(1)),
    When(risk_level=Referral.RiskLevel.STANDARD, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


#: The encrypted fields the queue shows (name, postcode district) and the force's list of referrals
#: sent shows (crime reference, where it was signposted): the rest are not loaded.
QUEUE_SHOWS = ("given_name", "family_name", "postcode")
SENT_SHOWS = ("crime_reference", "signposted_to")


@require_GET
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_triage(request)
    show_closed = request.GET.get("show") == "closed"
    referrals = (
        Referral.objects.for_user(request.user)
        .select_related("referring_organisation")
        .defer(*encrypted_fields_except(Referral, *QUEUE_SHOWS))
    )
    if show_closed:
        referrals = referrals.exclude(status__in=Referral.OPEN_STATUSES).order_by("-outcome_at")
    else:
        # Highest risk first, then the soonest due: a high-risk referral never waits behind
        # a standard one that happens to have arrived earlier.
        referrals = referrals.filter(status__in=Referral.OPEN_STATUSES).order_by(
            RISK_FIRST, "due_by"
        )
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    duplicates = services.duplicate_counts(rows, user=request.user)
    now = timezone.now()
    items = [
        {
            "referral": r,
            "overdue": r.is_overdue(now),
            "due_today": r.is_due_today(now),
            "duplicates": duplicates.get(r.pk, 0),
        }
        for r in rows
    ]
    record(
        actor=request.user,
        verb=AuditVerb.REFERRAL_QUEUE_VIEWED,
        request=request,
        payload={"count": len(rows), "page": page.number, "closed": show_closed},
    )
    return render(
        request,
        "referrals/queue.html",
        {
            "page": page,
            "items": items,
            "show_closed": show_closed,
            "overdue_count": sum(1 for i in items if i["overdue"]),
            "can_see_sources": policy.can_view_referral_sources(request.user),
        },
    )


@require_GET
def detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = access.get_referral_for_triage(request, public_id)
    attempts = list(
        ContactAttempt.objects.for_user(request.user)
        .filter(referral=referral)
        .select_related("by")
        .order_by("at")
    )
    duplicates = services.find_duplicates(referral, user=request.user)
    record(actor=request.user, verb=AuditVerb.REFERRAL_VIEWED, obj=referral, request=request)
    # The address is masked until a step-up re-authentication; each reveal is audited.
    reveal = recently_reauthenticated(request)
    if reveal and referral.address:
        record(
            actor=request.user,
            verb=AuditVerb.REFERRAL_ADDRESS_REVEALED,
            obj=referral,
            request=request,
        )
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "reveal_address": reveal,
            "reveal_url": step_up_url(request.get_full_path()),
            "attempts": attempts,
            "duplicates": duplicates,
            "overdue": referral.is_overdue(),
            "channels": [
                {"label": c.label, "safe": referral.is_channel_safe(c.value)} for c in Channel
            ],
            "can_reroute": policy.can_reroute_referral(request.user, referral),
            "labels": {
                "how_long": choice_label(HOW_LONG, referral.how_long),
                "reported": choice_label(REPORTED, referral.reported_to_police),
                "relationship": choice_label(RELATIONSHIP, referral.suspect_relationship),
                "referrer_role": choice_label(
                    PROFESSIONS + FAMILY_RELATIONSHIPS, referral.referrer_role
                ),
            },
        },
    )


def _action(
    request: AuthenticatedHttpRequest,
    referral: Referral,
    form: Any,
    template_title: str,
    do: Callable[[Any], str],
    *,
    button: str,
    warning: bool = False,
) -> HttpResponse:
    """Shared GET/POST handling for a triage action form."""
    if request.method == "POST" and form.is_valid():
        try:
            message = do(form.cleaned_data)
        except services.ReferralError as exc:
            form.add_error(None, str(exc).capitalize())
        else:
            messages.success(request, message)
            return redirect("referrals:detail", public_id=referral.public_id)
    return render(
        request,
        "referrals/action.html",
        {
            "referral": referral,
            "form": form,
            "title": template_title,
            "button": button,
            "warning": warning,
        },
    )


@require_http_methods(["GET", "POST"])
def contact(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = access.get_referral_for_triage(request, public_id)
    form = ContactAttemptForm(posted(request), referral=referral)

    def do(data: dict[str, Any]) -> str:
        services.attempt_contact(
            referral,
            channel=data["channel"],
            outcome=data["outcome"],
            note=data["note"],
            by=request.user,
        )
        return "Contact attempt recorded"

    channel_field: Any = form.fields["channel"]
    if request.method == "POST" and not channel_field.choices:
        form.add_error(None, "The person has not marked any way of contacting them as safe")
    return _action(request, referral, form, "Record a contact attempt", do, button="Record attempt")


@require_http_methods(["GET", "POST"])
def accept(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = access.get_referral_for_triage(request, public_id)
    form = AcceptForm(posted(request), organisation=referral.routed_to)

    def do(data: dict[str, Any]) -> str:
        case = services.accept(referral, by=request.user, allocate_to=data["allocate_to"])
        return f"Referral accepted: case {case.reference} opened"

    return _action(
        request, referral, form, "Accept the referral", do, button="Accept and open a case"
    )


@require_http_methods(["GET", "POST"])
def decline(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = access.get_referral_for_triage(request, public_id)
    form = DeclineForm(posted(request))

    def do(data: dict[str, Any]) -> str:
        services.decline(referral, reason=data["reason"], note=data["note"], by=request.user)
        return "Referral declined"

    return _action(
        request, referral, form, "Decline the referral", do, button="Decline", warning=True
    )


@require_http_methods(["GET", "POST"])
def signpost(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = access.get_referral_for_triage(request, public_id)
    form = SignpostForm(posted(request))

    def do(data: dict[str, Any]) -> str:
        services.signpost(referral, to=data["to"], note=data["note"], by=request.user)
        return "Referral closed as signposted"

    return _action(request, referral, form, "Signpost elsewhere", do, button="Signpost")


@require_http_methods(["GET", "POST"])
def unable_to_contact(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = access.get_referral_for_triage(request, public_id)
    form = UnableToContactForm(posted(request))

    def do(data: dict[str, Any]) -> str:
        services.unable_to_contact(referral, note=data["note"], by=request.user)
        return "Referral closed: unable to contact"

    return _action(
        request, referral, form, "Close as unable to contact", do, button="Close referral"
    )


@require_http_methods(["GET", "POST"])
def reroute(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = access.get_referral_for_reroute(request, public_id)
    form = RerouteForm(posted(request), referral=referral)

    def do(data: dict[str, Any]) -> str:
        services.reroute(referral, to=data["to"], reason=data["reason"], by=request.user)
        return f"Referral sent to {data['to'].label}"

    if request.method == "POST" and form.is_valid():
        try:
            message = do(form.cleaned_data)
        except services.ReferralError as exc:
            form.add_error(None, str(exc).capitalize())
        else:
            # The referral has left this provider: back to the queue, not to its page.
            messages.success(request, message)
            return redirect("referrals:queue")
    return render(
        request,
        "referrals/action.html",
        {
            "referral": referral,
            "form": form,
            "title": "Send to another provider",
            "button": "Send referral",
            "warning": False,
        },
    )


@require_http_methods(["GET", "POST"])
def merge(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = access.get_referral_for_triage(request, public_id)
    matches = services.find_duplicates(referral, user=request.user)
    targets: dict[str, Any] = {}
    choices = []
    for m in matches:
        if isinstance(m.target, Case) and not m.target.is_open:
            continue  # a returning client: shown on the referral page, not a merge target
        if isinstance(m.target, Case):
            key = f"case:{m.target.public_id}"
            label = f"Case {m.target.reference} (matches on {', '.join(m.on)})"
        else:
            key = f"referral:{m.target.public_id}"
            label = (
                f"Referral received {m.target.received_at:%d %b %Y} (matches on {', '.join(m.on)})"
            )
        targets[key] = m.target
        choices.append((key, label.replace("name_dob", "name and date of birth")))
    form = MergeForm(posted(request), choices=choices)
    if not choices:
        return render(
            request,
            "referrals/action.html",
            {
                "referral": referral,
                "title": "Merge as a duplicate",
                "empty_message": "No open case or open referral matches this person's phone "
                "number, email address, or name and date of birth.",
            },
        )

    def do(data: dict[str, Any]) -> str:
        target = targets[data["target"]]
        if isinstance(target, Case):
            services.merge_as_duplicate(referral, into_case=target, by=request.user)
        else:
            services.merge_as_duplicate(referral, into_referral=target, by=request.user)
        return "Referral merged as a duplicate"

    return _action(request, referral, form, "Merge as a duplicate", do, button="Merge")


#: Periods for the counts page: key -> (label, days back or None for all time).
PERIODS: dict[str, tuple[str, int | None]] = {
    "30d": ("Last 30 days", 30),
    "12m": ("Last 12 months", 365),
    "all": ("All time", None),
}


@require_GET
def sources(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_sources_report(request)
    now = timezone.now()
    period = request.GET.get("period", "12m")
    if period not in PERIODS:
        period = "12m"
    referrals = Referral.objects.for_user(request.user)
    days = PERIODS[period][1]
    if days is not None:
        referrals = referrals.filter(received_at__gte=now - timedelta(days=days))
    open_q = Q(status__in=Referral.OPEN_STATUSES)
    rows = (
        referrals.values("source")
        .annotate(
            total=Count("pk"),
            accepted=Count("pk", filter=Q(status=Referral.Status.ACCEPTED)),
            still_open=Count("pk", filter=open_q),
            overdue=Count("pk", filter=open_q & Q(first_contact_at__isnull=True, due_by__lt=now)),
            on_time=Count("pk", filter=Q(first_contact_at__lte=F("due_by"))),
            late=Count("pk", filter=Q(first_contact_at__gt=F("due_by"))),
        )
        .order_by("source")
    )
    by_source = {row["source"]: row for row in rows}
    table = []
    for source in Referral.Source:
        row = by_source.get(source.value, {})
        table.append(
            {
                "label": source.label,
                **{
                    k: row.get(k, 0)
                    for k in ("total", "accepted", "still_open", "overdue", "on_time", "late")
                },
            }
        )
    record(
        actor=request.user,
        verb=AuditVerb.REFERRAL_SOURCES_VIEWED,
        request=request,
        payload={"period": period},
    )
    return render(
        request,
        "referrals/sources.html",
        {
            "table": table,
            "target_days": first_contact_target_days(),
            "code_rows": victims_code_by_month(referrals),
            "period": period,
            "periods": [(key, label) for key, (label, _days) in PERIODS.items()],
        },
    )


# Police -------------------------------------------------------------------------------------


@require_GET
def sent(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_police_coordinator(request)
    referrals = (
        Referral.objects.for_user(request.user)
        .select_related("routed_to")
        .defer(*encrypted_fields_except(Referral, *SENT_SHOWS))
        .order_by("-received_at")
    )
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    year_ago = timezone.now() - timedelta(days=366)
    code_rows = victims_code_by_month_cached(
        Referral.objects.for_user(request.user).filter(received_at__gte=year_ago),
        scope=f"sent-seen-by-{request.user.pk}",
    )
    progress = services.progress_for_referrer(list(page.object_list))
    record(
        actor=request.user,
        verb=AuditVerb.REFERRAL_SENT_LIST_VIEWED,
        request=request,
        payload={"count": len(page.object_list), "page": page.number},
    )
    return render(
        request,
        "referrals/sent.html",
        {
            "page": page,
            "rows": [(r, progress.get(r.pk, "")) for r in page.object_list],
            "code_rows": code_rows,
        },
    )


@require_http_methods(["GET", "POST"])
def police_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_police_referrer(request)
    form = PoliceReferralForm(posted(request))
    if request.method == "POST" and form.is_valid():
        referral = services.receive_referral(
            source=Referral.Source.POLICE,
            fields=intake_fields(form.cleaned_data),
            by=request.user,
            referring_organisation=request.user.organisation,
        )
        # Honest about where it went: an unrouted referral promises the victim nothing.
        tell = messages.info if coverage_routing.is_unrouted(referral) else messages.success
        tell(request, coverage_routing.referrer_message(referral))
        return redirect("referrals:sent")
    return render(request, "referrals/police_new.html", {"form": form})
