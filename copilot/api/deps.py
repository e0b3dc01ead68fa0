"""FastAPI dependencies as `Annotated` aliases: the services, the auth service, the caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from copilot.access import ReviewAccess
from copilot.api.errors import InsufficientScope
from copilot.auth import AuthService, Principal
from copilot.errors import AuthenticationError
from copilot.services import Services

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_bearer = HTTPBearer(auto_error=False, description="Access token from /auth/login, or a personal API token.")


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_auth(request: Request) -> AuthService:
    auth: AuthService = request.app.state.auth
    return auth


def get_access(request: Request) -> ReviewAccess:
    access: ReviewAccess = request.app.state.access
    return access


ServicesDep = Annotated[Services, Depends(get_services)]
AuthDep = Annotated[AuthService, Depends(get_auth)]
AccessDep = Annotated[ReviewAccess, Depends(get_access)]


def current_principal(
    request: Request,
    auth: AuthDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Authenticate the bearer token and check its scope against the HTTP method (read vs write)."""
    if credentials is None:
        raise AuthenticationError("missing bearer token")
    principal = auth.authenticate(credentials.credentials)
    request.state.actor_id = principal.actor.id
    needed = "read" if request.method in SAFE_METHODS else "write"
    if needed not in principal.scopes:
        raise InsufficientScope(f"this token lacks the '{needed}' scope")
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]
