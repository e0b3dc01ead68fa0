"""`copilot transcribe` (audio → Transcript JSON, a public, stable contract) and `copilot transcript ...`.

Every transcription runs as a durable job, so a long meeting interrupted with
Ctrl-C (or `copilot transcript cancel`) keeps its partial results and resumes
with `copilot transcript resume JOB_ID`. Speaker labels can be corrected with
`copilot transcript relabel`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from copilot.cli._common import err_console, progress_bar, read_json, write_json
from copilot.errors import InputError
from copilot.schema import Transcript

LANGUAGES = ("auto", "en", "zh", "yue")
transcript_app = typer.Typer(
    help="Transcription jobs (status, resume, cancel, partial) and speaker fixes.", no_args_is_help=True
)


def _jobs(model: str | None = None, script: str | None = None) -> Any:
    from copilot.jobs import TranscriptionJobs
    from copilot.services import build_services
    from copilot.settings import Settings

    overrides: dict[str, Any] = {}
    if model is not None:
        overrides["asr_model"] = model
    if script is not None:
        overrides["chinese_script"] = script
    return TranscriptionJobs(build_services(Settings(**overrides)))


def _run_job(jobs: Any, job_id: str, out: Path | None) -> None:
    try:
        with progress_bar(f"transcribing (job {job_id})") as progress:
            transcript = jobs.run(job_id, progress=progress)
    except KeyboardInterrupt:
        err_console.print(f"interrupted: partial results kept; resume with: copilot transcript resume {job_id}")
        raise typer.Exit(130) from None
    for warning in transcript.warnings:
        err_console.print(f"warning: {warning}", highlight=False)
    write_json(transcript.model_dump(mode="json", exclude_none=True), out)


def transcribe(
    audio: Annotated[Path, typer.Argument(help="Audio file: wav, flac, mp3, m4a, aac, ogg, opus, webm.")],
    language: Annotated[str, typer.Option(help="auto, en, zh or yue.")] = "auto",
    out: Annotated[Path | None, typer.Option(help="Write the JSON here instead of stdout.")] = None,
    model: Annotated[str | None, typer.Option(help="'base', 'tiny.en' or a local model dir.")] = None,
    manager: Annotated[str | None, typer.Option(help="Manager's name (helps spelling).")] = None,
    employee: Annotated[str | None, typer.Option(help="Employee's name (helps spelling).")] = None,
    hotword: Annotated[
        list[str] | None, typer.Option(help="A term to spell right, e.g. an OKR name (repeatable).")
    ] = None,
    speaker_order: Annotated[
        str, typer.Option(help="Labels for the left,right channel (stereo) or the first,second voice heard (mono).")
    ] = "manager,employee",
    script: Annotated[str | None, typer.Option(help="Chinese output: simplified or traditional.")] = None,
) -> None:
    """Transcribe a recording locally, with timestamps and speakers, as a resumable job."""
    from transcription.whisper import TranscribeOptions

    if language not in LANGUAGES:
        raise InputError(f"unknown language {language!r}; choose auto, en, zh or yue")
    if script not in (None, "simplified", "traditional"):
        raise InputError(f"unknown script {script!r}; choose simplified or traditional")
    speakers = tuple(s.strip() for s in speaker_order.split(",") if s.strip())
    if len(speakers) < 2 or len(set(speakers)) != len(speakers):
        raise InputError("--speaker-order needs two different labels, e.g. manager,employee")
    hotwords = tuple(dict.fromkeys([n for n in (manager, employee) if n] + list(hotword or [])))
    options = TranscribeOptions(language=language, hotwords=hotwords, speakers=speakers)
    jobs = _jobs(model, script)
    _run_job(jobs, jobs.submit(audio, options), out)


@transcript_app.command("resume")
def resume(
    job_id: Annotated[str, typer.Argument(help="The job id printed by `copilot transcribe`.")],
    out: Annotated[Path | None, typer.Option(help="Write the JSON here instead of stdout.")] = None,
) -> None:
    """Continue a cancelled, failed or interrupted transcription from its last checkpoint."""
    _run_job(_jobs(), job_id, out)


@transcript_app.command("cancel")
def cancel(job_id: Annotated[str, typer.Argument(help="Job id.")]) -> None:
    """Stop a queued or running transcription (it stops within seconds; partial results are kept)."""
    job = _jobs().cancel(job_id)
    err_console.print(f"job {job.id}: {job.state}", highlight=False)


@transcript_app.command("status")
def status(job_id: Annotated[str, typer.Argument(help="Job id.")]) -> None:
    """State, progress, estimated time left and the reason of a failure, as JSON."""
    st = _jobs().status(job_id)
    data = st.job.model_dump(mode="json")
    data.update(
        eta_s=None if st.eta_s is None else round(st.eta_s, 1),
        segments_done=st.segments_done,
        resume_from_s=round(st.resume_from_s, 3),
    )
    write_json(data, None)


@transcript_app.command("partial")
def partial(
    job_id: Annotated[str, typer.Argument(help="Job id.")],
    out: Annotated[Path | None, typer.Option(help="Write the JSON here instead of stdout.")] = None,
) -> None:
    """The transcript so far of an unfinished (or cancelled, or failed) job."""
    write_json(_jobs().partial(job_id).model_dump(mode="json", exclude_none=True), out)


def _pairs(values: list[str] | None, what: str) -> dict[str, str]:
    pairs = {}
    for value in values or []:
        key, sep, label = value.partition("=")
        if not sep or not key.strip() or not label.strip():
            raise InputError(f"{what} wants KEY=LABEL, got {value!r}")
        pairs[key.strip()] = label.strip()
    return pairs


@transcript_app.command("relabel")
def relabel(
    transcript: Annotated[Path, typer.Argument(help="Transcript JSON from `copilot transcribe`.")],
    swap: Annotated[bool, typer.Option(help="Swap manager and employee everywhere.")] = False,
    rename: Annotated[
        list[str] | None, typer.Option(help="OLD=NEW label, e.g. speaker_1=manager (repeatable).")
    ] = None,
    segment: Annotated[
        list[str] | None, typer.Option(help="ID=LABEL for one turn, e.g. 7=employee (repeatable).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write here; default: print.")] = None,
) -> None:
    """Correct who spoke: swap the two roles, rename a label, or fix single turns."""
    from pydantic import ValidationError

    from transcription.speakers import relabel as relabel_segments

    try:
        t = Transcript.model_validate(read_json(transcript))
    except ValidationError as exc:
        raise InputError(f"{transcript} is not a transcript: {exc.errors()[0]['msg']}") from exc
    by_segment: dict[int, str] = {}
    for key, label in _pairs(segment, "--segment").items():
        if not key.isdigit():
            raise InputError(f"--segment wants a numeric segment id, got {key!r}")
        by_segment[int(key)] = label
    segments = relabel_segments(
        t.segments,
        mapping=_pairs(rename, "--rename"),
        by_segment=by_segment,
        swap=("manager", "employee") if swap else None,
    )
    write_json(t.model_copy(update={"segments": segments}).model_dump(mode="json", exclude_none=True), out)


def register(app: typer.Typer) -> None:
    app.command()(transcribe)
    app.add_typer(transcript_app, name="transcript")
