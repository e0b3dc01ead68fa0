"""`copilot transcribe`: audio file → Transcript JSON (a public, stable contract)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copilot.cli._common import err_console, progress_bar, write_json
from copilot.errors import InputError
from copilot.services import build_services
from copilot.settings import Settings


def transcribe(
    audio: Annotated[Path, typer.Argument(help="Audio file: wav, flac, mp3, m4a, ogg, opus, webm.")],
    language: Annotated[str, typer.Option(help="auto, en, zh or yue.")] = "auto",
    out: Annotated[Path | None, typer.Option(help="Write the JSON here instead of stdout.")] = None,
    model: Annotated[str | None, typer.Option(help="'base', 'tiny.en' or a local model dir.")] = None,
) -> None:
    """Transcribe a recording locally, with timestamps and speakers."""
    if language not in ("auto", "en", "zh", "yue"):
        raise InputError(f"unknown language {language!r}; choose auto, en, zh or yue")
    settings = Settings() if model is None else Settings(asr_model=model)
    services = build_services(settings)
    with progress_bar("transcribing") as progress:
        transcript = services.transcribe_file(audio, language=language, progress=progress)
    for warning in transcript.warnings:
        err_console.print(f"warning: {warning}")
    write_json(transcript.model_dump(mode="json", exclude_none=True), out)


def register(app: typer.Typer) -> None:
    app.command()(transcribe)
