"""The `copilot` command line: one module per command group.

Each module in this package exposes `register(app)`; they are discovered here
so that adding a command group never edits a shared file. Expected errors are
translated once, in `main`, into a one-line message and an exit code.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys

import typer
from pydantic import ValidationError

from copilot.cli._common import err_console
from copilot.errors import ConfigError, CopilotError

app = typer.Typer(
    name="copilot",
    help="Review Copilot: record a review meeting, draft a cited review, agree and sign.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _register_all() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(app)


_register_all()


def settings_problem(exc: ValidationError) -> str:
    """'COPILOT_MEETING_KIND: Input should be ...' for the first bad setting (the value is not repeated)."""
    first = exc.errors()[0]
    name = "COPILOT_" + "_".join(str(p) for p in first["loc"]).upper()
    return f"{name}: {first['msg']}"


def main() -> None:
    """Console-script entry point: run the app, turning expected errors into one line."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        # without standalone mode click returns a command's exit code instead of exiting with it
        code = app(standalone_mode=False)
    except CopilotError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # click usage errors arrive here too
        import click
        from typer.exceptions import TyperException

        # typer >= 0.2x raises its own copy of click's exceptions ("No such option", a bad choice), not click's
        if isinstance(exc, click.ClickException | TyperException) and hasattr(exc, "show"):
            exc.show()
            sys.exit(getattr(exc, "exit_code", 2))
        if isinstance(exc, ValidationError) and exc.title == "Settings":  # a COPILOT_* variable with a bad value
            error = ConfigError(f"invalid setting: {settings_problem(exc)}")
            err_console.print(f"[bold red]error:[/] {error}", highlight=False, markup=True, soft_wrap=True)
            sys.exit(error.exit_code)
        raise
    sys.exit(code if isinstance(code, int) else 0)
