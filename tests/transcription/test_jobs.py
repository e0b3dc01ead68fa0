"""Durable transcription jobs on real SQLite and PostgreSQL: cancel, partial results, resume, failures."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from copilot import jobs as jobs_module
from copilot.errors import ConflictError, CopilotError, InputError
from copilot.jobs import JobCancelled, TranscriptionJobs
from copilot.services import Services, build_services
from copilot.settings import Settings
from copilot.storage import repo
from copilot.storage.models import JobRow, TranscriptRow
from tests.conftest import shared_data
from tests.test_cli import run as run_cli
from tests.transcription.helpers import DEMO, make_video, need, sh
from transcription.whisper import SILENCE_WARNING, TranscribeOptions, WhisperTranscriber


@pytest.fixture
def services(tmp_path: Path, db_url: str) -> Iterator[Services]:
    svc = build_services(Settings(home=tmp_path / "home", database_url=db_url))
    try:
        yield svc
    finally:
        svc.db.dispose()


@pytest.fixture
def chunked(model_home: Path) -> WhisperTranscriber:
    """tiny.en cutting the recording into ~10 s chunks, so a 64 s dialogue has six checkpoints."""
    return WhisperTranscriber("tiny.en", model_home, chunk_s=10.0)


def _job(services: Services, job_id: str) -> JobRow:
    with services.db.session() as sess:
        return repo.get_job(sess, job_id=job_id)


@pytest.mark.e2e
@pytest.mark.slow
def test_cancel_keeps_partial_results_and_resume_finishes_the_same_transcript(
    services: Services, chunked: WhisperTranscriber, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs_module, "HEARTBEAT_S", 0.0)
    jobs = TranscriptionJobs(services, transcriber=chunked)
    options = TranscribeOptions(language="en")
    job_id = jobs.submit(DEMO, options)
    kept = Path(_job(services, job_id).payload["audio"])
    assert kept.read_bytes() == DEMO.read_bytes()  # the original, byte for byte
    assert _job(services, job_id).state == "queued"

    def cancel_at_40_percent(fraction: float) -> None:
        if fraction > 0.4 and _job(services, job_id).state == "running":
            jobs.cancel(job_id)

    with pytest.raises(JobCancelled):
        jobs.run(job_id, progress=cancel_at_40_percent)
    row = _job(services, job_id)
    assert row.state == "cancelled" and 0.3 < row.progress < 0.9
    status = jobs.status(job_id)
    assert status.resume_from_s > 10 and status.segments_done > 0
    partial = jobs.partial(job_id)
    assert partial.segments and partial.segments[-1].end <= 64.0

    done = jobs.run(job_id)  # resume from the last checkpoint
    row = _job(services, job_id)
    assert row.state == "done" and row.progress == 1.0 and row.attempts == 2 and row.error is None
    with services.db.session() as sess:
        stored = repo.get_transcript(sess, transcript_id=row.result["transcript_id"])
    assert stored == done
    straight = chunked.transcribe(DEMO, options=options)
    assert [s.text for s in done.segments] == [s.text for s in straight.segments]
    assert [s.speaker for s in done.segments] == [s.speaker for s in straight.segments]
    with pytest.raises(ConflictError, match="already done"):
        jobs.run(job_id)


def test_a_job_alive_in_another_process_is_not_run_twice(services: Services, chunked: WhisperTranscriber) -> None:
    jobs = TranscriptionJobs(services, transcriber=chunked)
    job_id = jobs.submit(shared_data("audio", "jfk.flac"), TranscribeOptions(language="en"))
    with services.db.session() as sess:
        row = repo.get_job(sess, job_id=job_id)
        row.state, row.updated_at = "running", services.clock.now()
    with pytest.raises(ConflictError, match="running in another process"):
        jobs.run(job_id)
    assert jobs.cancel(job_id).state == "cancelled"
    with pytest.raises(ConflictError, match="only queued or running"):
        jobs.cancel(job_id)


def _bad(kind: str, tmp_path: Path) -> Path:
    path = tmp_path / "upload.wav"
    if kind == "nonexistent":
        return tmp_path / "nope.wav"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "corrupt-header":
        path.write_bytes(b"RIFF\xff\xff\xff\xffWAVEfmt " + bytes(range(256)) * 8)
    elif kind == "zero-length":
        sh("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(path), "trim", "0", "0")
    elif kind == "truncated":
        whole = tmp_path / "whole.wav"
        sh("sox", str(shared_data("audio", "jfk.flac")), "-r", "16000", "-c", "1", str(whole))
        path.write_bytes(whole.read_bytes()[: whole.stat().st_size * 6 // 10])
    elif kind == "video-renamed":
        video = tmp_path / "v.mp4"
        make_video(video)
        path.write_bytes(video.read_bytes())
    elif kind == "image-renamed":
        image = tmp_path / "i.png"
        sh("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=red:size=32x32", "-frames:v", "1", str(image))
        path.write_bytes(image.read_bytes())
    elif kind == "2GB":
        with path.open("wb") as fh:
            fh.truncate(2 * 1024**3)
    return path


BAD = {
    "nonexistent": "audio file not found",
    "empty": "empty",
    "zero-length": "zero-length",
    "corrupt-header": "cannot decode",
    "truncated": "truncated",
    "video-renamed": "video renamed",
    "image-renamed": "no audio stream|cannot decode",
    "2GB": "over the limit",
}


@pytest.mark.parametrize("kind", list(BAD))
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_bad_input_fails_the_job_with_the_reason_and_keeps_the_original(
    services: Services, chunked: WhisperTranscriber, tmp_path: Path, kind: str
) -> None:
    need("sox")
    need("ffmpeg")
    audio = _bad(kind, tmp_path)
    jobs = TranscriptionJobs(services, transcriber=chunked)
    with pytest.raises(CopilotError, match=BAD[kind]) as err:
        jobs.run(jobs.submit(audio, TranscribeOptions(language="en")))
    assert "\n" not in str(err.value)
    with services.db.session() as sess:
        row = sess.scalars(select(JobRow)).one()
        assert row.state == "failed" and row.error == str(err.value)
        assert sess.scalar(select(func.count()).select_from(TranscriptRow)) == 0
    kept_dir = services.settings.home / "audio"
    kept = list(kept_dir.iterdir()) if kept_dir.exists() else []
    if kind in ("nonexistent", "2GB"):
        assert kept == []  # nothing to keep, and 2 GB are never copied
    else:
        assert [p.read_bytes() for p in kept] == [audio.read_bytes()]
    if kind == "truncated":  # what could be decoded is kept as partial results
        assert "fellow" in " ".join(s.text for s in jobs.partial(row.id).segments).lower()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_silence_finishes_with_an_empty_transcript_and_a_warning(
    services: Services, chunked: WhisperTranscriber, tmp_path: Path
) -> None:
    need("sox")
    path = tmp_path / "quiet.wav"
    sh("sox", "-n", "-r", "16000", "-c", "1", str(path), "trim", "0", "4")
    jobs = TranscriptionJobs(services, transcriber=chunked)
    job_id = jobs.submit(path, TranscribeOptions(language="en"))
    t = jobs.run(job_id)
    assert t.segments == [] and t.warnings == [SILENCE_WARNING]
    assert _job(services, job_id).state == "done"


def test_cli_relabel_fixes_speakers(tmp_path: Path) -> None:
    transcript = {
        "language": "en",
        "duration_s": 3.0,
        "segments": [
            {"id": 0, "start": 0.0, "end": 1.0, "speaker": "manager", "text": "hi"},
            {"id": 1, "start": 1.0, "end": 2.0, "speaker": "employee", "text": "hello"},
            {"id": 2, "start": 2.0, "end": 3.0, "speaker": "employee", "text": "bye"},
        ],
    }
    path, out = tmp_path / "t.json", tmp_path / "fixed.json"
    path.write_text(json.dumps(transcript))
    proc = run_cli(
        "transcript",
        "relabel",
        str(path),
        "--swap",
        "--segment",
        "2=Priya",
        "--out",
        str(out),
        home=tmp_path / "home",
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert [s["speaker"] for s in json.loads(out.read_text())["segments"]] == ["employee", "manager", "Priya"]
    proc = run_cli("transcript", "relabel", str(path), "--segment", "9=manager", home=tmp_path / "home", timeout=120)
    assert proc.returncode == 65 and "no segment with id 9" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_status_of_a_failed_job_gives_the_reason(tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    home = tmp_path / "home"
    proc = run_cli("transcribe", str(empty), home=home, timeout=120)
    assert proc.returncode == 65
    services = build_services(Settings(home=home))
    with services.db.session() as sess:
        row = sess.scalars(select(JobRow)).one()
    assert f"job {row.id}" in proc.stderr  # shown with the progress bar, for `copilot transcript resume`
    proc = run_cli("transcript", "status", row.id, home=home, timeout=120)
    assert proc.returncode == 0, proc.stderr
    status = json.loads(proc.stdout)
    assert status["state"] == "failed" and "empty" in status["error"]
    with pytest.raises(InputError):
        TranscriptionJobs(services).partial(row.id)
    services.db.dispose()
