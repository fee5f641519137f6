"""The reporting dashboard, its exports, the quarterly return and the office's settings."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core.forms import posted
from harbour.core.http import AuthenticatedHttpRequest
from harbour.reporting import access, exports, figures
from harbour.reporting.charts import bar_chart
from harbour.reporting.dashboard import (
    DEFAULT_RETURN_COLUMNS,
    HIDDEN_NOTE,
    Dashboard,
    build,
    quarterly_return,
    return_columns,
)
from harbour.reporting.figures import Scope
from harbour.reporting.forms import RecordedCrimesForm, ReturnColumnsForm, SettingsForm
from harbour.reporting.models import RecordedCrimes, ReportingArea, ReportingSettings
from harbour.reporting.periods import Kind, Period, choices
from harbour.reporting.tables import ALL, Column

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _period(request: AuthenticatedHttpRequest, today: datetime.date, kind: str = "") -> Period:
    """The period asked for (``?period=2025-Q2``), if it is one on offer; else the current
    financial year (or the last complete quarter, for a return)."""
    offered = choices(today)
    try:
        asked = Period.parse(request.GET.get("period", ""))
    except ValueError:
        asked = None
    if asked is not None and asked in offered and (not kind or asked.kind == kind):
        return asked
    if kind == Kind.QUARTER:
        this = Period.quarter_of(today)
        return Period.quarter_of(this.start - datetime.timedelta(days=1))
    return Period.financial_year_of(today)


def _focus(request: AuthenticatedHttpRequest, scope: Scope) -> Column:
    """``?focus=org-12`` or ``area-3`` among the dashboard's own columns; else everyone."""
    asked = request.GET.get("focus", "")
    kind, _dash, pk = asked.partition("-")
    if kind in ("org", "area") and pk.isdigit():
        column: Column = (kind, int(pk))
        if column in scope.columns("provider").column_keys():
            return column
    return (ALL,)


def _dashboard(request: AuthenticatedHttpRequest, scope: Scope) -> Dashboard:
    today = timezone.localdate()
    period = _period(request, today)
    focus = _focus(request, scope)
    hidden = figures.largest_hidden()
    protected = figures.protected_year(scope, period.financial_year_start, today)
    return build(scope, protected, period, focus, hidden)


def _query(dash: Dashboard) -> str:
    focus = "all" if dash.focus == (ALL,) else f"{dash.focus[0]}-{dash.focus[1]}"  # type: ignore[misc]
    return f"period={dash.period.slug}&focus={focus}"


@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = access.require_dashboard(request)
    dash = _dashboard(request, scope)
    record(
        actor=request.user,
        verb=AuditVerb.REPORTING_DASHBOARD_VIEWED,
        payload={"period": dash.period.slug, "focus": _query(dash)},
        request=request,
    )
    columns = scope.columns("provider")
    focus_choices = [("all", "All providers")] + [
        (f"{key[0]}-{key[1]}", columns.label(key))  # type: ignore[misc]
        for key in columns.column_keys()
        if key != (ALL,)
    ]
    return render(
        request,
        "reporting/dashboard.html",
        {
            "dash": dash,
            "charts": {t.key: bar_chart(f"chart-{t.key}", t.title, t.chart()) for t in dash.tables},
            "periods": choices(timezone.localdate()),
            "focus_choices": focus_choices if len(focus_choices) > 2 else [],
            "focus_value": _query(dash).split("focus=")[1],
            "query": _query(dash),
            "is_office": scope.commissioner is not None,
        },
    )


def _download(data: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def export(request: AuthenticatedHttpRequest, figure: str, fmt: str) -> HttpResponse:
    scope = access.require_dashboard(request)
    if fmt not in ("csv", "xlsx") or (figure != "all" and figure not in figures.SPECS):
        raise Http404
    dash = _dashboard(request, scope)
    tables = dash.tables if figure == "all" else [t for t in dash.tables if t.key == figure]
    if not tables:
        raise Http404
    record(
        actor=request.user,
        verb=AuditVerb.REPORTING_FIGURES_EXPORTED,
        payload={"figure": figure, "format": fmt, "query": _query(dash)},
        request=request,
    )
    blocks = [exports.figure_rows(t) for t in tables]
    if fmt == "csv":
        data = exports.csv_bytes(blocks, dash.hidden_note)
    else:
        data = exports.xlsx_bytes(
            [(t.title, b) for t, b in zip(tables, blocks, strict=True)], dash.hidden_note
        )
    return _download(data, fmt, f"figures-{figure}-{dash.period.slug}".replace("_", "-"))


@require_GET
def dashboard_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = access.require_dashboard(request)
    dash = _dashboard(request, scope)
    record(
        actor=request.user,
        verb=AuditVerb.REPORTING_FIGURES_EXPORTED,
        payload={"figure": "dashboard", "format": "pdf", "query": _query(dash)},
        request=request,
    )
    return _download(exports.dashboard_pdf(dash), "pdf", f"figures-{dash.period.slug}")


# The quarterly return ----------------------------------------------------------------------------


def _chosen(office_settings: ReportingSettings | None) -> list[str]:
    chosen = list(office_settings.return_columns) if office_settings else []
    return chosen or list(DEFAULT_RETURN_COLUMNS)


@require_http_methods(["GET", "POST"])
def quarterly(request: AuthenticatedHttpRequest) -> HttpResponse:
    office, scope = access.require_office(request)
    office_settings = ReportingSettings.objects.filter(commissioner=office).first()
    form = ReturnColumnsForm(
        posted(request),
        choices=return_columns(),
        initial={"columns": _chosen(office_settings)},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved, _created = ReportingSettings.objects.get_or_create(commissioner=office)
            saved.return_columns = list(form.cleaned_data["columns"])
            saved.updated_at = timezone.now()
            saved.save()
            record(
                actor=request.user,
                verb=AuditVerb.REPORTING_RETURN_CONFIGURED,
                payload={"columns": saved.return_columns},
                request=request,
            )
        return redirect("reporting:return")
    today = timezone.localdate()
    quarter = _period(request, today, kind=Kind.QUARTER)
    protected = figures.protected_year(scope, quarter.financial_year_start, today)
    found = quarterly_return(scope, protected, quarter, _chosen(office_settings))
    record(
        actor=request.user,
        verb=AuditVerb.REPORTING_RETURN_VIEWED,
        payload={"period": quarter.slug},
        request=request,
    )
    quarters = [p for p in choices(today) if p.kind == Kind.QUARTER]
    return render(
        request,
        "reporting/return.html",
        {
            "form": form,
            "found": found,
            "quarters": quarters,
            "note": HIDDEN_NOTE.format(largest=figures.largest_hidden()),
        },
    )


@require_GET
def return_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    office, scope = access.require_office(request)
    if fmt not in FORMATS:
        raise Http404
    office_settings = ReportingSettings.objects.filter(commissioner=office).first()
    today = timezone.localdate()
    quarter = _period(request, today, kind=Kind.QUARTER)
    protected = figures.protected_year(scope, quarter.financial_year_start, today)
    found = quarterly_return(scope, protected, quarter, _chosen(office_settings))
    note = HIDDEN_NOTE.format(largest=figures.largest_hidden())
    record(
        actor=request.user,
        verb=AuditVerb.REPORTING_FIGURES_EXPORTED,
        payload={"figure": "quarterly_return", "format": fmt, "period": quarter.slug},
        request=request,
    )
    rows = exports.return_rows(found)
    if fmt == "csv":
        data = exports.csv_bytes([rows], note)
    elif fmt == "xlsx":
        data = exports.xlsx_bytes([("Quarterly return", rows)], note)
    else:
        data = exports.return_pdf(found, scope.title, note)
    return _download(data, fmt, f"quarterly-return-{quarter.slug}")


# The office's settings and recorded crimes ------------------------------------------------------


@require_http_methods(["GET", "POST"])
def office_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    office, scope = access.require_office(request)
    areas = list(ReportingArea.objects.filter(commissioner=office).order_by("name"))
    saved = ReportingSettings.objects.filter(commissioner=office).first()
    today = timezone.localdate()
    which = request.POST.get("form", "") if request.method == "POST" else ""
    settings_form = SettingsForm(
        posted(request) if which == "settings" else None,
        areas=areas,
        initial={
            "survey_rate_percent": saved.survey_rate_percent if saved else None,
            "survey_rate_source": saved.survey_rate_source if saved else "",
        },
        prefix="settings",
    )
    crimes_form = RecordedCrimesForm(
        posted(request) if which == "crimes" else None,
        areas=areas,
        today=today,
        prefix="crimes",
    )
    if which == "settings" and settings_form.is_valid():
        with transaction.atomic():
            row, _created = ReportingSettings.objects.get_or_create(commissioner=office)
            row.survey_rate_percent = settings_form.cleaned_data["survey_rate_percent"]
            row.survey_rate_source = settings_form.cleaned_data["survey_rate_source"]
            row.updated_at = timezone.now()
            row.save()
            for area in areas:
                area.population_16_59 = settings_form.cleaned_data.get(f"population_{area.pk}")
                area.save(update_fields=["population_16_59"])
            record(
                actor=request.user,
                verb=AuditVerb.REPORTING_FIGURES_ENTERED,
                payload={"what": "settings", "rate": str(row.survey_rate_percent)},
                request=request,
            )
        return redirect("reporting:settings")
    if which == "crimes" and crimes_form.is_valid():
        area = next(a for a in areas if str(a.pk) == crimes_form.cleaned_data["area"])
        month = crimes_form.month_date()
        with transaction.atomic():
            RecordedCrimes.objects.update_or_create(
                area=area,
                month=month,
                defaults={
                    "stalking_crimes": crimes_form.cleaned_data["stalking_crimes"],
                    "entered_by": request.user,
                    "entered_at": timezone.now(),
                },
            )
            record(
                actor=request.user,
                verb=AuditVerb.REPORTING_FIGURES_ENTERED,
                payload={"what": "recorded_crimes", "area": area.pk, "month": f"{month:%Y-%m}"},
                request=request,
            )
        return redirect("reporting:settings")
    crimes = RecordedCrimes.objects.filter(area__in=areas).select_related("area")
    return render(
        request,
        "reporting/settings.html",
        {
            "settings_form": settings_form,
            "crimes_form": crimes_form,
            "crimes": crimes.order_by("-month", "area__name")[:36],
            "areas": areas,
            "scope": scope,
        },
    )
