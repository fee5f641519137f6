"""Structured (JSON lines) logging that never carries identifying data.

Only whitelisted record attributes are emitted; exception tracebacks are reduced to the exception
class and the innermost frame's location, because locals and messages may hold personal data.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

_EXTRA_KEYS = (
    "event",
    "method",
    "route",
    "status",
    "duration_ms",
    "user_id",
    "org_id",
    "error_id",
    "count",
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "at": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage() if record.name.startswith("harbour") else record.msg,
        }
        for key in _EXTRA_KEYS:
            if hasattr(record, key):
                data[key] = getattr(record, key)
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _, tb = record.exc_info
            where = ""
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            if tb is not None:
                where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"
            data["exception"] = f"{exc_type.__name__} at {where}"
        if not isinstance(data["message"], str):
            data["message"] = str(data["message"])
        return json.dumps(data, default=str)
