"""Error types, split by whose fault they are, translated once at each edge.

The CLI maps them to exit codes and one-line messages; the API maps them to
HTTP status codes. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class CopilotError(Exception):
    """Base of every expected failure; `str(err)` is a one-line message for users."""

    exit_code = 1
    http_status = 500


class ConfigError(CopilotError):
    """The installation or configuration is wrong (a setting, a path)."""

    exit_code = 78
    http_status = 500


class InputError(CopilotError):
    """The user gave bad input: a missing file, a wrong type, malformed JSON."""

    exit_code = 65
    http_status = 422


class ModelUnavailable(CopilotError):
    """A model package or endpoint is missing or unreachable."""

    exit_code = 69
    http_status = 503


class TranscriptionError(CopilotError):
    """Audio could not be turned into a transcript."""

    exit_code = 65
    http_status = 422


class SummaryError(CopilotError):
    """The LLM output could not be turned into a valid draft, even after retries."""

    exit_code = 70
    http_status = 502


class ConflictError(CopilotError):
    """A write was based on a stale version or is not allowed in the current state."""

    exit_code = 75
    http_status = 409

    def __init__(self, message: str, *, details: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.details = details or {}


class PermissionDenied(CopilotError):
    """The actor may not do this; the API shows it as 404 to avoid leaking existence."""

    exit_code = 77
    http_status = 404


class NotFound(CopilotError):
    """The object does not exist (or is not visible to the actor)."""

    exit_code = 66
    http_status = 404


class IntegrityError(CopilotError):
    """Stored data failed a hash, chain or signature check."""

    exit_code = 76
    http_status = 500


class AuthenticationError(CopilotError):
    """Missing, wrong, expired or revoked credentials."""

    exit_code = 77
    http_status = 401


class RateLimited(CopilotError):
    """Too many attempts (e.g. failed logins); try again later."""

    exit_code = 75
    http_status = 429
