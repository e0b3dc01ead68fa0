"""Request and response bodies that exist only at the HTTP edge.

Domain shapes (reviews, drafts, transcripts, jobs, users) come from
copilot.schema; this module adds credentials, problems and small envelopes.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from copilot.schema import Role, StrictModel


class Problem(StrictModel):
    """An error, as RFC 9457 problem details plus our request id."""

    type: str = Field(description="URI naming the kind of problem.")
    title: str = Field(description="Short name of the kind of problem.")
    status: int = Field(description="HTTP status code.")
    detail: str = Field(description="One-line explanation for a person.")
    request_id: str | None = Field(default=None, description="Id to quote when reporting the problem.")
    details: dict[str, object] | None = Field(default=None, description="Machine-readable context, e.g. a conflict.")


class Health(StrictModel):
    status: Literal["ok"] = Field(description="Always 'ok' while the process serves requests.")


class Readiness(StrictModel):
    status: Literal["ready", "not_ready"] = Field(description="Whether requests can be served.")
    database: str = Field(description="'ok' or the reason the database is not usable.")


class LoginRequest(StrictModel):
    email: str = Field(min_length=3, max_length=320, description="Account email.")
    password: str = Field(min_length=1, max_length=1024, description="Account password.")


class RefreshRequest(StrictModel):
    refresh_token: str = Field(min_length=1, max_length=200, description="Refresh token from login or refresh.")


class TokenResponse(StrictModel):
    access_token: str = Field(description="Short-lived bearer token for the Authorization header.")
    refresh_token: str = Field(description="Longer-lived token to get a new access token; keep it secret.")
    token_type: Literal["bearer"] = Field(default="bearer", description="Always 'bearer'.")
    expires_in: int = Field(description="Seconds until the access token expires.")


class Me(StrictModel):
    id: str = Field(description="Your user id.")
    name: str = Field(description="Your display name.")
    role: Role = Field(description="Your role.")
    scopes: list[str] = Field(description="What the credential used may do: read and/or write.")


class UserCreate(StrictModel):
    name: str = Field(min_length=1, max_length=200, description="Display name.")
    email: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$", description="Unique email.")
    role: Role = Field(description="Role.")
    manager_id: str | None = Field(default=None, max_length=36, description="Id of this user's manager.")
    password: str = Field(min_length=10, max_length=1024, description="Initial password (10+ characters).")


class PasswordChange(StrictModel):
    password: str = Field(min_length=10, max_length=1024, description="New password (10+ characters).")


class ApiTokenCreate(StrictModel):
    name: str = Field(min_length=1, max_length=100, description="What the token is for, e.g. 'HRIS sync'.")
    scopes: list[Literal["read", "write"]] = Field(min_length=1, description="read: GET requests; write: changes.")
    expires_in_days: int | None = Field(default=None, ge=1, le=3650, description="Lifetime; none means no expiry.")


class ApiTokenPublic(StrictModel):
    id: str = Field(description="Token id (to revoke it).")
    name: str = Field(description="What the token is for.")
    scopes: list[str] = Field(description="Granted scopes.")
    created_at: dt.datetime = Field(description="When it was created (UTC).")
    expires_at: dt.datetime | None = Field(default=None, description="When it expires (UTC).")
    revoked: bool = Field(description="True once revoked.")
    last_used_at: dt.datetime | None = Field(default=None, description="Last successful use (UTC).")


class ApiTokenCreated(StrictModel):
    token: ApiTokenPublic = Field(description="The token's metadata.")
    secret: str = Field(description="The bearer token itself; shown once, never again.")
