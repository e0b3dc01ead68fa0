"""User administration (admins only) and password changes."""

from __future__ import annotations

from fastapi import APIRouter, status

from copilot.api.deps import AuthDep, PrincipalDep
from copilot.api.routes._common import ERROR_RESPONSES
from copilot.api.schemas import PasswordChange, UserCreate
from copilot.schema import UserPublic

router = APIRouter(prefix="/users", tags=["users"], responses=ERROR_RESPONSES)


@router.post("", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, principal: PrincipalDep, auth: AuthDep) -> UserPublic:
    """Create an account (admins only)."""
    return auth.create_user(
        principal,
        name=body.name,
        email=body.email,
        role=body.role,
        manager_id=body.manager_id,
        password=body.password,
    )


@router.get("", response_model=list[UserPublic])
def list_users(principal: PrincipalDep, auth: AuthDep) -> list[UserPublic]:
    """Every account (admins only)."""
    return auth.list_users(principal)


@router.post("/{user_id}/disable", response_model=UserPublic)
def disable_user(user_id: str, principal: PrincipalDep, auth: AuthDep) -> UserPublic:
    """Disable an account and revoke all its sessions and API tokens (admins only)."""
    return auth.disable_user_as(principal, user_id)


@router.put("/{user_id}/password", status_code=status.HTTP_204_NO_CONTENT)
def set_password(user_id: str, body: PasswordChange, principal: PrincipalDep, auth: AuthDep) -> None:
    """Change your own password, or (admins) anyone's; the user's login sessions end."""
    auth.set_password(principal, user_id, body.password)
