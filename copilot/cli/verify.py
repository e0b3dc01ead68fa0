"""`copilot verify FILE`: check a signed-review JSON export offline, with no database and no server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copilot.cli._common import read_json
from copilot.errors import InputError, IntegrityError
from copilot.export.bundle import verify_bundle
from copilot.signing_keys import fingerprint


def verify(
    file: Annotated[Path, typer.Argument(help="JSON export from `copilot reviews export --format json`.")],
    key: Annotated[
        list[Path] | None,
        typer.Option(help="Trusted public key PEM (repeatable); every signature must use one of them."),
    ] = None,
) -> None:
    """Check the content hash, both Ed25519 signatures, the objections they cover and the certificate."""
    trusted = None
    if key:
        trusted = set()
        for path in key:
            if not path.is_file():
                raise InputError(f"key file not found: {path}")
            trusted.add(fingerprint(path.read_text(encoding="utf-8")))
    report = verify_bundle(read_json(file), trusted_key_ids=trusted)
    for signer in report.signers:
        typer.echo(f"signed by {signer}")
    if not report.ok:
        raise IntegrityError(f"{file}: " + "; ".join(report.problems))
    typer.echo(
        f"OK: {file} content sha256 {report.content_sha256}; both signatures valid"
        + ("" if trusted is None else " with trusted keys")
    )
    if trusted is None:
        typer.echo("note: keys were taken from the file; pin them with --key to check who signed")


def register(app: typer.Typer) -> None:
    app.command()(verify)
