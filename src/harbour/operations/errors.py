"""Optional error reporting to a Sentry-compatible service, scrubbed before anything leaves.

Configured by HARBOUR_SENTRY_DSN. Events carry the exception type, the stack (file, function and
line, never local variables) and the route; request bodies, cookies, headers, query strings, the
user's details, breadcrumbs (which would hold SQL and log lines) and every value an encrypted field
held in this request are removed or blanked by ``scrub`` before sending.
"""

from __future__ import annotations

from typing import Any

from harbour.core import plaintexts

FILTERED = "[Filtered]"
_REQUEST_KEEP = {"method", "url"}


def _blank(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, FILTERED)
        return value
    if isinstance(value, dict):
        return {key: _blank(item, secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_blank(item, secrets) for item in value]
    return value


def scrub(event: dict[str, Any], hint: Any = None) -> dict[str, Any]:
    """Sentry's ``before_send``: what is left may leave the building."""
    request = event.get("request")
    if isinstance(request, dict):
        kept = {k: v for k, v in request.items() if k in _REQUEST_KEEP}
        if isinstance(kept.get("url"), str):
            kept["url"] = kept["url"].split("?", 1)[0]
        event["request"] = kept
    user = event.get("user")
    event["user"] = {"id": user.get("id")} if isinstance(user, dict) and user.get("id") else {}
    event.pop("breadcrumbs", None)
    event.pop("server_name", None)
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    blanked: dict[str, Any] = _blank(event, plaintexts.touched())
    return blanked


def init(dsn: str, *, environment: str, transport: Any = None) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    plaintexts.enabled = True
    options: dict[str, Any] = {}
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        # Collect nothing about the request or the person in the first place; scrub() below
        # removes whatever an integration adds all the same.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "off"}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
            "frame_context_lines": 0,
        },
        include_local_variables=False,
        include_source_context=False,
        max_request_body_size="never",
        before_send=scrub,  # type: ignore[arg-type]  # Sentry's Event is a TypedDict of a dict
        before_breadcrumb=lambda crumb, hint: None,
        traces_sample_rate=0.0,
        default_integrations=True,
        integrations=[DjangoIntegration(transaction_style="url")],
        **options,
    )
