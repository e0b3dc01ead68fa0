"""`copilot summarize`: Transcript JSON → cited ReviewDraft JSON (a public, stable contract)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from copilot.cli._common import progress_bar, read_json, write_json
from copilot.errors import InputError
from copilot.schema import Transcript
from copilot.services import build_services


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"--meeting-date must be YYYY-MM-DD, got {value!r}") from exc


def load_transcript(path: Path) -> Transcript:
    try:
        return Transcript.model_validate(read_json(path))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{path} is not a transcript: {where}: {first['msg']}") from exc


def summarize(
    transcript: Annotated[Path, typer.Argument(help="Transcript JSON from `copilot transcribe`.")],
    meeting_date: Annotated[str, typer.Option(help="Meeting date, YYYY-MM-DD; relative dates resolve from it.")],
    out: Annotated[Path | None, typer.Option(help="Write the JSON here instead of stdout.")] = None,
    employee: Annotated[str | None, typer.Option(help="Employee's name.")] = None,
    manager: Annotated[str | None, typer.Option(help="Manager's name.")] = None,
) -> None:
    """Draft a structured review in which every statement cites the transcript."""
    date = parse_date(meeting_date)
    data = load_transcript(transcript)
    services = build_services()
    with progress_bar("drafting") as progress:
        draft = services.drafter.draft(data, meeting_date=date, employee=employee, manager=manager, progress=progress)
    write_json(draft.model_dump(mode="json"), out)


def register(app: typer.Typer) -> None:
    app.command()(summarize)
