"""The one place where failures become HTTP responses (RFC 9457 problem bodies).

Domain errors carry their own `http_status`; everything unexpected is a 500
with a request id and a log line that holds no user data.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from copilot.api.logs import request_id_var
from copilot.errors import ConflictError, CopilotError

log = logging.getLogger("copilot.api")
PROBLEM_MEDIA_TYPE = "application/problem+json"


class InsufficientScope(CopilotError):
    """The credential lacks the scope this request needs (e.g. a read-only API token writing)."""

    exit_code = 77
    http_status = 403


def _kebab(name: str) -> str:
    return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")


def problem(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body: dict[str, Any] = {
        "type": f"urn:review-copilot:problem:{kind or _kebab(title.replace(' ', ''))}",
        "title": title,
        "status": status,
        "detail": detail,
        "request_id": request_id_var.get(),
    }
    if details:
        body["details"] = details
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


async def _copilot_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CopilotError)
    status = exc.http_status
    details = exc.details if isinstance(exc, ConflictError) else None
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status >= 500:
        log.error("request failed", extra={"event": "request.error", "error_type": type(exc).__name__})
    # not-yours and not-there must look identical: a 404 never names the exception type, and the
    # access layer words a refusal of an object you cannot see exactly like a missing one
    kind = "not-found" if status == 404 else _kebab(type(exc).__name__)
    return problem(status, str(exc) or "not found", kind=kind, details=details, headers=headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    where = ".".join(str(p) for p in first.get("loc", ()))
    # the offending input is not echoed back or logged: it may be review content or a password
    fields = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in errors]
    return problem(422, f"{where}: {first.get('msg')}", kind="invalid-request", details={"errors": fields})


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return problem(exc.status_code, str(exc.detail), headers=dict(exc.headers) if exc.headers else None)


def unexpected_error_response(exc: Exception) -> JSONResponse:
    """A bug: log its type and frames (not its message, which may quote user data) and answer 500."""
    log.error("unhandled error", exc_info=exc, extra={"event": "request.unhandled", "error_type": type(exc).__name__})
    return problem(500, "internal error; quote the request id when reporting it", kind="internal")


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    return unexpected_error_response(exc)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CopilotError, _copilot_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
