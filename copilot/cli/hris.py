"""`copilot hris`: deliver the outbox to the HRIS webhook, show its status, or export records as CSV/JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copilot.cli._common import console
from copilot.errors import ConfigError, InputError
from copilot.hris import OutboxWorker, WebhookSink, export_records, outbox_status
from copilot.services import Services, build_services

hris_app = typer.Typer(help="HRIS sync: webhook delivery of the outbox, and file export.", no_args_is_help=True)


def worker(services: Services) -> OutboxWorker:
    s = services.settings
    if not s.hris_webhook_url or s.hris_webhook_secret is None:
        raise ConfigError("set COPILOT_HRIS_WEBHOOK_URL and COPILOT_HRIS_WEBHOOK_SECRET, or use `copilot hris export`")
    sink = WebhookSink(s.hris_webhook_url, s.hris_webhook_secret.get_secret_value().encode("utf-8"))
    return OutboxWorker(
        services.db,
        services.clock,
        sink,
        max_attempts=s.hris_max_attempts,
        backoff_base_s=s.hris_backoff_base_s,
        backoff_max_s=s.hris_backoff_max_s,
    )


@hris_app.command("deliver")
def deliver(
    max_seconds: Annotated[float, typer.Option(help="Stop after this long even if events are still pending.")] = 60.0,
) -> None:
    """Deliver pending outbox events with retries and backoff until none is pending."""
    w = worker(build_services())
    stats = w.run(max_seconds=max_seconds)
    status = w.status()
    console.print(
        f"delivered {stats.delivered}, failed attempts {stats.failed_attempts}, dead-lettered {stats.dead}; "
        f"pending {status['pending']}",
        highlight=False,
    )
    if status["pending"] or status["dead"]:
        raise typer.Exit(code=75)


@hris_app.command("status")
def status() -> None:
    """Counts of delivered, pending and dead-lettered outbox events."""
    s = outbox_status(build_services().db)
    console.print(f"delivered {s['delivered']}, pending {s['pending']}, dead {s['dead']}", highlight=False)


@hris_app.command("export")
def export(
    out: Annotated[Path, typer.Option(help="Output file.")],
    format_: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
) -> None:
    """Export every signed review and its action items for a manual HRIS import."""
    if format_ not in ("csv", "json"):
        raise InputError(f"--format must be csv or json, not {format_!r}")
    text = export_records(build_services().db, format_)  # type: ignore[arg-type]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    console.print(f"wrote {out}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(hris_app, name="hris")
