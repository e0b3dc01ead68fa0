"""`copilot users`: add, list and disable accounts from the server's shell, and show signers' public keys."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from copilot.auth import AuthService
from copilot.cli._common import console
from copilot.errors import InputError, NotFound
from copilot.schema import Role, UserPublic
from copilot.services import Services, build_services
from copilot.storage import Database, repo
from copilot.storage.lifecycle_models import SigningKeyRow

users_app = typer.Typer(
    help="Manage user accounts (operator commands; the API has the same for admins).", no_args_is_help=True
)


def add_user(
    db: Database,
    *,
    name: str,
    email: str,
    role: Role,
    manager_email: str | None = None,
    password_hash: str | None = None,
) -> UserPublic:
    """Create an account (audited); the password can be set now as a hash or later by the auth service."""
    if not name.strip() or "@" not in email:
        raise InputError("a user needs a name and an email address")
    with db.session() as sess:
        manager_id = None
        if manager_email:
            manager = repo.find_user_by_email(sess, email=manager_email)
            if manager is None:
                raise InputError(f"manager {manager_email} does not exist")
            manager_id = manager.id
        row = repo.add_user(
            sess, name=name.strip(), email=email, role=role, manager_id=manager_id, password_hash=password_hash
        )
        repo.append_audit(
            sess,
            actor_id=None,
            action="user.create",
            object_type="user",
            object_id=row.id,
            details={"role": role.value},
        )
        return repo.user_public(row)


def user_id_for(services: Services, email: str) -> str:
    """The id of the account with this email (CLI commands name people by email)."""
    with services.db.session() as sess:
        row = repo.find_user_by_email(sess, email=email)
        if row is None:
            raise NotFound(f"no user with email {email}")
        return row.id


@users_app.command("add")
def add(
    name: Annotated[str, typer.Option(help="Display name.")],
    email: Annotated[str, typer.Option(help="Unique email address.")],
    role: Annotated[Role, typer.Option(help="employee, manager, hr, auditor or admin.")],
    manager: Annotated[str | None, typer.Option(help="Email of this user's manager.")] = None,
) -> None:
    """Add a user."""
    user = add_user(build_services().db, name=name, email=email, role=role, manager_email=manager)
    console.print(f"added {user.role.value} {user.email} ({user.id})", highlight=False)


@users_app.command("list")
def list_(include_disabled: Annotated[bool, typer.Option(help="Show disabled accounts too.")] = False) -> None:
    """List users."""
    services = build_services()
    with services.db.session() as sess:
        rows = [repo.user_public(r) for r in repo.list_users(sess)]
        emails = {r.id: r.email for r in rows}
    table = Table("email", "name", "role", "manager", "active", "id")
    for u in rows:
        if u.active or include_disabled:
            table.add_row(
                u.email, u.name, u.role.value, emails.get(u.manager_id or "", ""), "yes" if u.active else "no", u.id
            )
    console.print(table)


@users_app.command("disable")
def disable(email: Annotated[str, typer.Argument(help="Email of the account to disable.")]) -> None:
    """Disable an account and revoke its sessions and API tokens (its signatures stay valid)."""
    services = build_services()
    user = AuthService(services.db, services.settings, services.clock).disable_user(
        user_id_for(services, email), actor_id=None
    )
    console.print(f"disabled {user.email}", highlight=False)


@users_app.command("public-key")
def public_key(email: Annotated[str, typer.Argument(help="Email of a signer.")]) -> None:
    """Print the signer's Ed25519 public key(s) in PEM, to pin with `copilot verify --key`."""
    services = build_services()
    user_id = user_id_for(services, email)
    with services.db.session() as sess:
        keys = list(sess.scalars(select(SigningKeyRow).where(SigningKeyRow.user_id == user_id)))
    if not keys:
        raise NotFound(f"{email} has not signed anything yet, so has no signing key")
    for key in keys:
        typer.echo(key.public_key_pem, nl=False)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
