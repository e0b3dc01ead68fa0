"""`copilot set-password EMAIL`: set an account's password from the server's shell (e.g. the first admin)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from copilot.auth import AuthService
from copilot.cli._common import console
from copilot.errors import InputError, NotFound
from copilot.services import build_services
from copilot.storage import repo


def set_password(
    email: Annotated[str, typer.Argument(help="Email of the account.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (for scripts).")
    ] = False,
) -> None:
    """Set a password (argon2id-hashed); the account's login sessions end."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise InputError("the password is empty")
    services = build_services()
    with services.db.session() as sess:
        user = repo.find_user_by_email(sess, email=email)
        if user is None:
            raise NotFound(f"no user with email {email}")
        user_id = user.id
    AuthService(services.db, services.settings, services.clock).reset_password(user_id, password, actor_id=None)
    console.print(f"password set for {email}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("set-password")(set_password)
