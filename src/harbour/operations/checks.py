"""Deployment checks for alerts, metrics and error reports (``harbour check --deploy``).

Each names the variable to set. They run with Django's own deployment checks, which read the same
settings (HSTS, secure cookies, SSL redirect, DEBUG, the secret key).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register("harbour", deploy=True)
def alerts_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.PRODUCTION:
        return []
    problems: list[CheckMessage] = []
    site = settings.HARBOUR_SITE_URL
    if not site:
        problems.append(
            Error(
                "HARBOUR_SITE_URL is not set: alert e-mails would link to nowhere.",
                hint="Set HARBOUR_SITE_URL to the address staff sign in at, e.g. "
                "https://harbour.example.org.",
                id="harbour.E010",
            )
        )
    elif not site.startswith("https://"):
        problems.append(
            Error(
                "HARBOUR_SITE_URL does not start with https://: alert e-mails would send staff "
                "to a sign-in page without TLS.",
                hint="Use the https:// address staff sign in at.",
                id="harbour.E011",
            )
        )
    if not settings.EMAIL_HOST:
        problems.append(
            Warning(
                "HARBOUR_EMAIL_HOST is not set: no alert e-mails are sent (staff still see "
                "everything on their home pages).",
                hint="Set HARBOUR_EMAIL_HOST (and HARBOUR_EMAIL_PORT, HARBOUR_EMAIL_USER, "
                "HARBOUR_EMAIL_PASSWORD, HARBOUR_EMAIL_FROM) to your mail relay.",
                id="harbour.W010",
            )
        )
    elif not (settings.EMAIL_USE_TLS or settings.EMAIL_USE_SSL):
        problems.append(
            Warning(
                "Alert e-mails go to the mail relay without TLS.",
                hint="Set HARBOUR_EMAIL_USE_TLS=true (STARTTLS) or HARBOUR_EMAIL_USE_SSL=true.",
                id="harbour.W011",
            )
        )
    if settings.DEFAULT_FROM_EMAIL.endswith("@localhost"):
        problems.append(
            Warning(
                "HARBOUR_EMAIL_FROM is not set: alerts would come from harbour@localhost.",
                hint="Set HARBOUR_EMAIL_FROM to an address of your own domain.",
                id="harbour.W012",
            )
        )
    return problems


@register("harbour", deploy=True)
def operator_visibility(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.PRODUCTION:
        return []
    problems: list[CheckMessage] = []
    if settings.HARBOUR_SENTRY_DSN and not settings.HARBOUR_SENTRY_DSN.startswith("https://"):
        problems.append(
            Error(
                "HARBOUR_SENTRY_DSN does not start with https://: error reports would travel "
                "unencrypted.",
                hint="Use the https:// DSN your error service gives.",
                id="harbour.E012",
            )
        )
    wide = [n for n in settings.HARBOUR_METRICS_ALLOWED_NETWORKS if n.endswith("/0")]
    if wide:
        problems.append(
            Error(
                f"HARBOUR_METRICS_ALLOWED_NETWORKS lets any address read the metrics ({wide[0]}).",
                hint="List only the monitoring server's network, or use HARBOUR_METRICS_TOKEN.",
                id="harbour.E013",
            )
        )
    if not settings.HARBOUR_READY_NEEDS_WORKER:
        problems.append(
            Warning(
                "HARBOUR_WORKER_STALE_SECONDS=0: readiness does not check that a background "
                "worker is running (alerts, imports and reminders would wait unnoticed).",
                hint="Leave HARBOUR_WORKER_STALE_SECONDS at its default (120).",
                id="harbour.W013",
            )
        )
    return problems
