"""Login sessions and personal API tokens."""

from __future__ import annotations

from fastapi import APIRouter, status

from copilot.api.deps import AuthDep, PrincipalDep
from copilot.api.routes._common import ERROR_RESPONSES
from copilot.api.schemas import (
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenPublic,
    LoginRequest,
    Me,
    RefreshRequest,
    TokenResponse,
)
from copilot.auth import ApiTokenInfo, IssuedTokens

router = APIRouter(prefix="/auth", tags=["auth"], responses=ERROR_RESPONSES)


def _tokens(issued: IssuedTokens) -> TokenResponse:
    return TokenResponse(
        access_token=issued.access_token, refresh_token=issued.refresh_token, expires_in=issued.expires_in
    )


def _token_public(info: ApiTokenInfo) -> ApiTokenPublic:
    return ApiTokenPublic(
        id=info.id,
        name=info.name,
        scopes=info.scopes,
        created_at=info.created_at,
        expires_at=info.expires_at,
        revoked=info.revoked,
        last_used_at=info.last_used_at,
    )


@router.post("/login", response_model=TokenResponse)
def login(body: LoginRequest, auth: AuthDep) -> TokenResponse:
    """Exchange email and password for an access token and a refresh token."""
    return _tokens(auth.login(body.email, body.password))


@router.post("/refresh", response_model=TokenResponse)
def refresh(body: RefreshRequest, auth: AuthDep) -> TokenResponse:
    """Rotate both tokens; the old refresh token stops working."""
    return _tokens(auth.refresh(body.refresh_token))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(principal: PrincipalDep, auth: AuthDep) -> None:
    """Revoke this login session (its access and refresh tokens)."""
    auth.logout(principal)


@router.get("/me", response_model=Me)
def me(principal: PrincipalDep) -> Me:
    """Who the credential belongs to and what it may do."""
    return Me(id=principal.actor.id, name=principal.name, role=principal.actor.role, scopes=sorted(principal.scopes))


@router.post("/tokens", response_model=ApiTokenCreated, status_code=status.HTTP_201_CREATED)
def create_token(body: ApiTokenCreate, principal: PrincipalDep, auth: AuthDep) -> ApiTokenCreated:
    """Create a personal API token for an integration; the secret is shown only in this response."""
    info, secret = auth.create_api_token(
        principal, name=body.name, scopes=list(body.scopes), expires_in_days=body.expires_in_days
    )
    return ApiTokenCreated(token=_token_public(info), secret=secret)


@router.get("/tokens", response_model=list[ApiTokenPublic])
def list_tokens(principal: PrincipalDep, auth: AuthDep) -> list[ApiTokenPublic]:
    """Your API tokens (never their secrets)."""
    return [_token_public(t) for t in auth.list_api_tokens(principal)]


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: str, principal: PrincipalDep, auth: AuthDep) -> None:
    """Revoke one of your API tokens."""
    auth.revoke_api_token(principal, token_id)
