"""`copilot audit verify`: re-check the hash chain, its head, every signature, and optional export anchors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copilot.cli._common import read_json
from copilot.errors import InputError, IntegrityError
from copilot.services import build_services

audit_app = typer.Typer(help="Tamper-evident audit trail.", no_args_is_help=True)


@audit_app.command("verify")
def verify(
    anchor: Annotated[
        list[Path] | None,
        typer.Option(help="A JSON export kept elsewhere (repeatable): the chain must still contain its audit head."),
    ] = None,
) -> None:
    """Verify the whole audit trail; names the first bad row and every invalid signature."""
    anchors = []
    for path in anchor or []:
        data = read_json(path)
        head = data.get("audit", {}).get("head") if isinstance(data, dict) else None
        if not isinstance(head, dict) or "seq" not in head or "hash" not in head:
            raise InputError(f"{path} carries no audit head")
        anchors.append((int(head["seq"]), str(head["hash"])))
    report = build_services().lifecycle.verify_audit(None, anchors=anchors)
    if not report.ok:
        raise IntegrityError("audit verification failed: " + "; ".join(report.problems))
    typer.echo(
        f"OK: {report.events_checked} audit events chained, head matches, "
        f"{report.signatures_checked} signatures valid" + (f", {len(anchors)} anchors found" if anchors else "")
    )


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
