"""`copilot demo`: the whole loop on the sample recording, on embedded defaults."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markdown import Markdown

from copilot.cli._common import console, err_console, progress_bars
from copilot.errors import ConfigError
from copilot.procstats import peak_rss_mb
from copilot.render import draft_to_markdown
from copilot.schema import Role
from copilot.services import Services, build_services
from copilot.storage import repo

SAMPLE_AUDIO = Path(__file__).resolve().parents[2] / "samples" / "review_demo.ogg"
DEMO_MANAGER = ("Dana Lee", "dana.lee@example.com")
DEMO_EMPLOYEE = ("Priya Shah", "priya.shah@example.com")


def ensure_demo_users(services: Services) -> tuple[str, str]:
    """Create (once) a demo manager and their report; return their ids."""
    with services.db.session() as sess:
        manager = repo.find_user_by_email(sess, email=DEMO_MANAGER[1]) or repo.add_user(
            sess, name=DEMO_MANAGER[0], email=DEMO_MANAGER[1], role=Role.manager
        )
        employee = repo.find_user_by_email(sess, email=DEMO_EMPLOYEE[1]) or repo.add_user(
            sess, name=DEMO_EMPLOYEE[0], email=DEMO_EMPLOYEE[1], role=Role.employee, manager_id=manager.id
        )
        return manager.id, employee.id


def demo(
    audio: Annotated[Path, typer.Option(help="Recording to use instead of the bundled sample.")] = SAMPLE_AUDIO,
    meeting_date: Annotated[str | None, typer.Option(help="YYYY-MM-DD; default today.")] = None,
    plain: Annotated[bool, typer.Option(help="Print raw Markdown instead of rendering it.")] = False,
    language: Annotated[
        str, typer.Option(help="The sample is English; a known language allows batched (faster) decoding.")
    ] = "en",
) -> None:
    """Sample audio → transcript → cited draft → stored review, printed as Markdown."""
    if not audio.is_file():
        raise ConfigError(f"sample recording not found at {audio}; run scripts/make_sample_audio.sh")
    date = dt.date.fromisoformat(meeting_date) if meeting_date else dt.date.today()
    started = time.perf_counter()
    services = build_services()
    manager_id, employee_id = ensure_demo_users(services)
    with progress_bars("transcribing", "drafting") as (t_progress, d_progress):
        job_id, review = services.record_meeting(
            audio,
            employee_id=employee_id,
            manager_id=manager_id,
            meeting_date=date,
            actor_id=manager_id,
            language=language,
            transcribe_progress=t_progress,
            draft_progress=d_progress,
        )
    with services.db.session() as sess:
        transcript = repo.get_transcript(sess, transcript_id=review.transcript_id) if review.transcript_id else None
    markdown = draft_to_markdown(review.draft, transcript)
    if plain or not console.is_terminal:
        print(markdown)  # noqa: T201
    else:
        console.print(Markdown(markdown))
    elapsed = time.perf_counter() - started
    peak_mb = peak_rss_mb()
    err_console.print(
        f"stored review {review.id} (version {review.version}, state {review.state.value}) "
        f"in {services.db.safe_url}\njob {job_id} done in {elapsed:.1f} s, peak memory {peak_mb:.0f} MB"
    )


def register(app: typer.Typer) -> None:
    app.command()(demo)
