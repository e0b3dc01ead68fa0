"""Request ids and one access-log line per request, as plain ASGI (no body buffering)."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from copilot.api.errors import unexpected_error_response
from copilot.api.logs import request_id_var

log = logging.getLogger("copilot.api.requests")
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")


class RequestContextMiddleware:
    """Adopt a sane incoming X-Request-ID or mint one; echo it; log method, route, status, time."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = {"code": 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["started"] = message["status"], 1
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            # answered here, not by Starlette's outermost handler, so a 500 keeps its request id
            if status.get("started"):
                raise
            await unexpected_error_response(exc)(scope, receive, send_with_id)
        finally:
            route: Any = scope.get("route")
            state = scope.get("state", {})
            log.info(
                "request",
                extra={
                    "event": "request",
                    "method": scope.get("method"),
                    "route": getattr(route, "path", None) or "unmatched",
                    "status": status["code"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "actor_id": state.get("actor_id"),
                },
            )
            request_id_var.reset(token)
