"""The ASGI application ``harbour serve`` runs (uvicorn workers under gunicorn).

Only the live chat's event streams (server-sent events, long-lived) are served by Django's
asynchronous handler, so hundreds of open streams cost no threads. Every other request goes to
Django's WSGI application through a2wsgi's thread pool, exactly as it ran under gunicorn's threaded
workers before: same middleware, same per-thread database connections, request bodies streamed.
"""

from __future__ import annotations

import os
import re
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")

streams = get_asgi_application()  # sets Django up first

from a2wsgi import WSGIMiddleware  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

#: The live chat's event streams: the visitor's, each adviser conversation's, the advisers' queue.
STREAM_PATH = re.compile(
    r"^/(public/chat/[-a-zA-Z0-9_]+/conversation|chat/[-0-9a-f]{36}|chat/queue)/events/$"
)

Asgi = Any


def build(threads: int = 8) -> Asgi:
    """The application, with ``threads`` threads for ordinary (WSGI) requests per process."""
    pages = WSGIMiddleware(get_wsgi_application(), workers=threads)  # type: ignore[arg-type]

    async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] == "http" and STREAM_PATH.match(scope["path"]):
            await streams(scope, receive, send)
        elif scope["type"] == "http":
            await pages(scope, receive, send)  # type: ignore[arg-type]  # a2wsgi's TypedDicts

    return application


application = build()
