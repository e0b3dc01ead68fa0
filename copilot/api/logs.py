"""Structured JSON logs that never carry transcript text, tokens or passwords.

Only an allow-list of `extra` fields is written (ids, roles, routes, statuses,
timings), and anything shaped like one of our tokens is masked as a last guard,
so a careless `log.info(...)` elsewhere cannot leak a secret into the log.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import sys
import traceback
from typing import Any

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

ALLOWED_FIELDS = (
    "event",
    "actor_id",
    "role",
    "action",
    "object_type",
    "object_id",
    "method",
    "route",
    "status",
    "duration_ms",
    "job_id",
    "error_type",
    "client",
)
_TOKEN_RE = re.compile(r"rc[arp]_[A-Za-z0-9_\-]{8,}")
_BEARER_RE = re.compile(r"(?i)(bearer\s+)\S+")


def scrub(text: str) -> str:
    """Mask anything that looks like a credential."""
    return _BEARER_RE.sub(r"\1[redacted]", _TOKEN_RE.sub("[redacted]", text))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and allow-listed fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": scrub(record.getMessage()),
        }
        request_id = request_id_var.get()
        if request_id:
            out["request_id"] = request_id
        for key in ALLOWED_FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                out[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            # frames only: an exception's message may quote user data
            out["error_type"] = record.exc_info[0].__name__
            out["traceback"] = scrub("".join(traceback.format_tb(record.exc_info[2])))
        return json.dumps(out, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", stream: Any = None) -> None:
    """Route every logger (ours, uvicorn's, SQLAlchemy's) through the JSON formatter."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # we log requests ourselves, without query strings
    # SQLAlchemy logs statements *with parameters* (review text, token hashes) at INFO: never let it
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
