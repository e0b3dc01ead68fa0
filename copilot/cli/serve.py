"""`copilot serve`: the HTTP API on uvicorn, with JSON logs."""

from __future__ import annotations

from typing import Annotated

import typer

from copilot.errors import InputError


def serve(
    host: Annotated[str, typer.Option(help="Address to bind; keep 127.0.0.1 unless a proxy fronts it.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    log_level: Annotated[str | None, typer.Option(help="Log level; default from COPILOT_LOG_LEVEL.")] = None,
    keep_alive_s: Annotated[
        int, typer.Option(help="Idle keep-alive; longer than clients' pool reuse gaps avoids reset races.")
    ] = 30,
) -> None:
    """Serve the API (OpenAPI docs at /docs) until interrupted."""
    if not 0 < port < 65536:
        raise InputError(f"--port must be 1..65535, got {port}")
    import uvicorn

    from copilot.api import create_app
    from copilot.api.logs import configure_logging
    from copilot.services import build_services

    services = build_services()
    level = (log_level or services.settings.log_level).upper()
    configure_logging(level)
    services.db.migrate()
    app = create_app(services)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        log_level=level.lower(),
        timeout_keep_alive=keep_alive_s,
    )


def register(app: typer.Typer) -> None:
    app.command()(serve)
