"""`copilot summarize`: Transcript JSON → cited ReviewDraft JSON (a public, stable contract)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from copilot.cli._common import err_console, progress_bar, read_json, write_json
from copilot.errors import InputError
from copilot.schema import Transcript
from copilot.settings import Settings


class MeetingKindOption(StrEnum):
    auto = "auto"
    review = "review"
    check_in = "check_in"


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
    kpi: Annotated[
        Path | None, typer.Option(help="KPI file (.csv or .json: employee, period, metric, target, actual).")
    ] = None,
    previous: Annotated[
        Path | None, typer.Option(help="Previous review draft JSON (or a list of action items) to follow up on.")
    ] = None,
    template: Annotated[str, typer.Option(help="Review template: a name in prompts/templates or a YAML path.")] = (
        "default"
    ),
    meeting_kind: Annotated[
        MeetingKindOption | None,
        typer.Option(
            help="review: every template section; check_in: summary, progress and action items only; auto: a short "
            "meeting that opens as a check-in is one. Default: COPILOT_MEETING_KIND, else auto."
        ),
    ] = None,
) -> None:
    """Draft a structured review in which every statement cites the transcript."""
    from summarize.kpi import load_kpis
    from summarize.pipeline import build_drafter
    from summarize.previous import load_previous

    date = parse_date(meeting_date)
    data = load_transcript(transcript)
    kpis = load_kpis(kpi, employee=employee) if kpi else None
    earlier = load_previous(previous) if previous else None
    settings = Settings()
    if meeting_kind is not None:
        settings = settings.model_copy(update={"meeting_kind": meeting_kind.value})
    drafter = build_drafter(settings, template=template)
    with progress_bar("drafting") as bar:
        draft = drafter.draft(
            data, meeting_date=date, employee=employee, manager=manager, progress=bar, kpis=kpis, previous=earlier
        )
    write_json(draft.model_dump(mode="json"), out)
    fallbacks = draft.generator.model_fallbacks if draft.generator else 0
    if fallbacks:
        err_console.print(
            f"warning: {fallbacks} model step(s) gave invalid output after retries; "
            "those fields use the speaker's own words (generator.model_fallbacks)"
        )


def register(app: typer.Typer) -> None:
    app.command()(summarize)
