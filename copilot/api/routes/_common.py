"""Shared bits for route modules: documented error responses."""

from __future__ import annotations

from typing import Any

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Malformed request body (not parseable JSON)."},
    401: {"description": "Missing, invalid, expired or revoked credentials."},
    403: {"description": "The credential lacks the scope (read/write) this request needs."},
    404: {"description": "Not found, or not yours: the two look the same."},
    409: {"description": "Stale version or not allowed in the current state."},
    422: {"description": "Invalid input."},
    429: {"description": "Too many failed logins; locked out for a while."},
}
