"""Durable transcription jobs: queued → running → done | failed (with a reason) | cancelled.

A one-hour recording takes minutes on a laptop, so the work is a database row
that survives the process: every decoded chunk is checkpointed (segments so
far and where to restart), a cancelled or crashed job resumes from its last
checkpoint, and the partial transcript can be read at any time. The original
upload is kept byte for byte (`Services.keep_audio`) before any decoding, so a
failed job can always be retried or inspected.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from copilot.errors import ConflictError, CopilotError, InputError
from copilot.ports import ProgressCallback
from copilot.schema import JobPublic, Transcript
from copilot.services import Services
from copilot.storage import repo
from copilot.storage.models import JobRow
from transcription.audio import AudioInfo, check_file
from transcription.speakers import Piece
from transcription.whisper import ChunkResult, RunState, TranscribeOptions

KIND = "transcribe"
HEARTBEAT_S = 2.0
"""How often a running job writes its progress and looks for a cancel request."""
STALE_AFTER_S = 120.0
"""A 'running' job silent for this long belongs to a process that died; it may be resumed."""


class JobCancelled(CopilotError):
    """The job was cancelled; its checkpoint and partial results are kept."""

    exit_code = 130


@runtime_checkable
class StepwiseTranscriber(Protocol):
    """A transcriber that works chunk by chunk, so a job can checkpoint and resume (WhisperTranscriber)."""

    def start(self, audio: Path, options: TranscribeOptions, *, sha256: str | None = None) -> RunState: ...

    def run_chunks(
        self,
        audio: Path,
        state: RunState,
        *,
        progress: ProgressCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> Iterator[ChunkResult]: ...

    def finish(self, state: RunState) -> Transcript: ...


@dataclasses.dataclass(frozen=True)
class JobStatus:
    """What `copilot transcript status` and the API show about a job."""

    job: JobPublic
    eta_s: float | None
    segments_done: int
    resume_from_s: float


class TranscriptionJobs:
    """Submit, run, cancel, resume and inspect transcription jobs stored in the `jobs` table."""

    def __init__(self, services: Services, *, transcriber: StepwiseTranscriber | None = None) -> None:
        self._services = services
        self._transcriber = transcriber

    @property
    def transcriber(self) -> StepwiseTranscriber:
        if self._transcriber is None:
            t = self._services.transcriber
            if not isinstance(t, StepwiseTranscriber):
                raise ConflictError("the configured transcriber cannot run as a resumable job")
            self._transcriber = t
        return self._transcriber

    # ------------------------------------------------------------------ lifecycle

    def submit(self, audio: Path, options: TranscribeOptions) -> str:
        """Record the job, then keep the original bytes; a refused upload leaves a failed job with the reason."""
        with self._services.db.session() as sess:
            row = repo.add_job(sess, kind=KIND, payload={"source": str(audio), "options": dataclasses.asdict(options)})
            job_id = row.id
        try:
            check_file(audio, max_bytes=self._services.settings.max_upload_bytes, allow_empty=True)
            kept = self._services.keep_audio(audio)
        except CopilotError as exc:
            self._update(job_id, state="failed", error=str(exc))
            raise
        with self._services.db.session() as sess:
            row = repo.get_job(sess, job_id=job_id)
            row.payload = {**row.payload, "audio": str(kept), "sha256": kept.stem}
        return job_id

    def run(self, job_id: str, *, progress: ProgressCallback | None = None) -> Transcript:
        """Run (or resume) a job to the end; errors mark it failed with the reason and are re-raised."""
        payload, checkpoint = self._claim(job_id)
        audio = Path(payload["audio"])
        options = TranscribeOptions.from_json(payload["options"])
        t = self.transcriber
        try:
            state = t.start(audio, options, sha256=payload.get("sha256"))
            _restore(state, checkpoint)
            state.partial = []  # an interrupted chunk is redone from its start
            run_start = {
                "started_at": self._services.clock.now().isoformat(),
                "started_progress": state.next_start_s / max(state.info.duration_s, 1e-6),
            }
            self._update(job_id, checkpoint=_checkpoint(state) | run_start)
            watcher = _Watcher(self, job_id, progress)
            for result in t.run_chunks(audio, state, progress=watcher.progress, should_stop=watcher.cancelled):
                self._update(
                    job_id,
                    checkpoint=_checkpoint(state) | run_start,
                    progress=min(state.next_start_s / max(state.info.duration_s, 1e-6), 0.999),
                )
                if not result.complete:
                    raise JobCancelled(f"job {job_id} was cancelled; resume with: copilot transcript resume {job_id}")
            transcript = t.finish(state)
        except JobCancelled:
            self._update(job_id, state="cancelled")
            raise
        except KeyboardInterrupt:
            self._update(job_id, state="cancelled", error="interrupted")
            raise
        except CopilotError as exc:
            # messages name the kept copy (its sha256); users know their file by its own name
            exc.args = (str(exc).replace(audio.name, Path(payload["source"]).name),)
            self._update(job_id, state="failed", error=str(exc))
            raise
        except Exception as exc:
            self._update(job_id, state="failed", error=f"internal error: {type(exc).__name__}")
            raise
        with self._services.db.session() as sess:
            trow = repo.add_transcript(sess, transcript=transcript, audio_path=str(audio))
            row = repo.get_job(sess, job_id=job_id)
            row.state, row.progress, row.error = "done", 1.0, None
            row.result = {"transcript_id": trow.id}
            row.updated_at = self._services.clock.now()
        return transcript

    def cancel(self, job_id: str) -> JobPublic:
        """Ask a queued or running job to stop; a running one stops at its next heartbeat."""
        with self._services.db.session() as sess:
            row = repo.get_job(sess, job_id=job_id)
            _check_kind(row)
            if row.state not in ("queued", "running"):
                raise ConflictError(f"job {job_id} is {row.state}; only queued or running jobs can be cancelled")
            row.state = "cancelled"
            row.updated_at = self._services.clock.now()
            return repo.job_public(row)

    def status(self, job_id: str) -> JobStatus:
        with self._services.db.session() as sess:
            row = repo.get_job(sess, job_id=job_id)
            _check_kind(row)
            cp = row.checkpoint or {}
            eta = None
            if row.state == "running" and cp.get("started_at"):
                started = dt.datetime.fromisoformat(cp["started_at"])
                done = row.progress - float(cp.get("started_progress", 0.0))
                elapsed = (self._services.clock.now() - started).total_seconds()
                if done > 0:
                    eta = elapsed / done * (1.0 - row.progress)
            return JobStatus(
                job=repo.job_public(row),
                eta_s=eta,
                segments_done=len(cp.get("pieces", [])) + len(cp.get("partial", [])),
                resume_from_s=float(cp.get("next_start_s", 0.0)),
            )

    def partial(self, job_id: str) -> Transcript:
        """The transcript so far (checkpointed chunks plus any interrupted chunk), speakers included."""
        with self._services.db.session() as sess:
            row = repo.get_job(sess, job_id=job_id)
            _check_kind(row)
            cp, payload = row.checkpoint, row.payload
        if not cp or "info" not in cp:
            raise InputError(f"job {job_id} has no partial results yet")
        options = TranscribeOptions.from_json(payload["options"])
        state = RunState(info=AudioInfo(**cp["info"]), options=options)
        _restore(state, cp)
        state.pieces = state.pieces + state.partial
        if state.partial:
            state.next_start_s = max(state.next_start_s, state.partial[-1].end)
        return self.transcriber.finish(state)

    # ------------------------------------------------------------------ internals

    def _claim(self, job_id: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """Move a job to running, refusing one that is done or alive in another process."""
        now = self._services.clock.now()
        with self._services.db.session() as sess:
            row = repo.get_job(sess, job_id=job_id)
            _check_kind(row)
            if row.state == "done":
                raise ConflictError(f"job {job_id} is already done")
            if row.state == "running":
                age = (now - repo._aware(row.updated_at)).total_seconds()
                if age < STALE_AFTER_S:
                    raise ConflictError(f"job {job_id} is running in another process (last heartbeat {age:.0f} s ago)")
            if "audio" not in row.payload:
                raise ConflictError(f"job {job_id} has no kept audio (it failed before upload: {row.error})")
            row.state, row.error = "running", None
            row.attempts += 1
            row.updated_at = now
            return dict(row.payload), dict(row.checkpoint) if row.checkpoint else None

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._services.db.session() as sess:
            row = repo.get_job(sess, job_id=job_id)
            for key, value in changes.items():
                setattr(row, key, value)
            row.updated_at = self._services.clock.now()

    def _read_state(self, job_id: str, progress: float | None) -> str:
        """Heartbeat: store progress, and read the state (to see a cancel from another process)."""
        with self._services.db.session() as sess:
            row = repo.get_job(sess, job_id=job_id)
            if progress is not None and row.state == "running":
                row.progress = progress
                row.updated_at = self._services.clock.now()
            return row.state


class _Watcher:
    """Forwards progress to the caller and polls the job row at most every HEARTBEAT_S."""

    def __init__(self, jobs: TranscriptionJobs, job_id: str, progress: ProgressCallback | None) -> None:
        self._jobs, self._job_id, self._progress = jobs, job_id, progress
        self._last = 0.0
        self._fraction = 0.0
        self._cancelled = False

    def progress(self, fraction: float) -> None:
        self._fraction = fraction
        if self._progress is not None:
            self._progress(fraction)

    def cancelled(self) -> bool:
        now = time.monotonic()
        if not self._cancelled and now - self._last >= HEARTBEAT_S:
            self._last = now
            self._cancelled = self._jobs._read_state(self._job_id, self._fraction) == "cancelled"
        return self._cancelled


def _check_kind(row: JobRow) -> None:
    if row.kind != KIND:
        raise InputError(f"job {row.id} is a {row.kind} job, not a transcription")


def _checkpoint(state: RunState) -> dict[str, Any]:
    """Serialise what a resumed run needs (JSON, stored on the job row)."""
    return {
        "info": dataclasses.asdict(state.info),
        "next_start_s": state.next_start_s,
        "pieces": [p.to_json() for p in state.pieces],
        "partial": [p.to_json() for p in state.partial],
        "languages": state.languages,
        "warnings": state.warnings,
        "split_channels": state.split_channels,
    }


def _restore(state: RunState, cp: dict[str, Any] | None) -> None:
    if not cp:
        return
    state.next_start_s = float(cp.get("next_start_s", 0.0))
    state.pieces = [Piece.from_json(p) for p in cp.get("pieces", [])]
    state.partial = [Piece.from_json(p) for p in cp.get("partial", [])]
    state.languages = {str(k): float(v) for k, v in cp.get("languages", {}).items()}
    state.warnings = [str(w) for w in cp.get("warnings", [])]
    state.split_channels = cp.get("split_channels")
