"""Use cases and the single composition root, `build_services(settings)`.

The CLI, the API and the UI all call `build_services`; tests build a
`Settings(...)` and pass fakes for the adapters instead of patching globals.
Adapters are created lazily so that a command which needs no model loads none.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copilot.domain.canonical import content_hash
from copilot.errors import CopilotError, InputError
from copilot.kpis import stored_prefills
from copilot.ports import Clock, Drafter, ProgressCallback, SystemClock, Transcriber
from copilot.schema import ActionItem, MeetingKindRequest, ReviewPublic, Role, Transcript
from copilot.settings import Settings
from copilot.storage import Database, repo

if TYPE_CHECKING:
    from copilot.lifecycle import ReviewLifecycle


@dataclass
class Services:
    """Everything a face (CLI, API, UI) needs, wired from one `Settings`."""

    settings: Settings
    db: Database
    clock: Clock = field(default_factory=SystemClock)
    _transcriber: Transcriber | None = None
    _drafter: Drafter | None = None
    _lifecycle: ReviewLifecycle | None = field(default=None, repr=False)

    # ------------------------------------------------------------------ adapters

    @property
    def transcriber(self) -> Transcriber:
        if self._transcriber is None:
            from transcription.whisper import WhisperTranscriber

            s = self.settings
            self._transcriber = WhisperTranscriber(
                s.asr_model,
                s.ensure_home(),
                threads=s.asr_threads,
                beam_size=s.asr_beam_size,
                batch_size=s.asr_batch_size,
                chinese_script=s.chinese_script,
                max_bytes=s.max_upload_bytes,
                voice_encoder=s.voice_encoder,
            )
        return self._transcriber

    @property
    def drafter(self) -> Drafter:
        if self._drafter is None:
            from summarize.pipeline import build_drafter

            self._drafter = build_drafter(self.settings)
        return self._drafter

    @property
    def lifecycle(self) -> ReviewLifecycle:
        """Review lifecycle use cases (edit, sign, archive, deadlines, tasks), built on first use."""
        if self._lifecycle is None:
            from copilot.lifecycle import ReviewLifecycle
            from copilot.signing_keys import KeyStore

            s = self.settings
            self._lifecycle = ReviewLifecycle(
                self.db,
                self.clock,
                keys=KeyStore(s.ensure_home() / "keys"),
                deadline_hours=s.signing_deadline_hours,
                managers_see_all_reports=s.manager_sees_all_reports,
            )
        return self._lifecycle

    # ------------------------------------------------------------------ use cases

    def keep_audio(self, audio: Path) -> Path:
        """Copy the original recording byte for byte into the data directory before any work."""
        if not audio.is_file():
            raise InputError(f"audio file not found: {audio}")
        target_dir = self.settings.ensure_home() / "audio"
        target_dir.mkdir(exist_ok=True)
        from transcription.audio import sha256_file

        digest = sha256_file(audio)
        target = target_dir / f"{digest}{audio.suffix.lower()}"
        if not target.exists():
            tmp = target.with_suffix(target.suffix + ".part")
            shutil.copyfile(audio, tmp)
            tmp.replace(target)
        return target

    def record_meeting(
        self,
        audio: Path,
        *,
        employee_id: str,
        manager_id: str,
        meeting_date: dt.date,
        language: str = "auto",
        meeting_kind: MeetingKindRequest | None = None,
        actor_id: str | None = None,
        transcribe_progress: ProgressCallback | None = None,
        draft_progress: ProgressCallback | None = None,
        job_id: str | None = None,
    ) -> tuple[str, ReviewPublic]:
        """Audio → transcript → cited draft → stored review, as one durable job.

        The job row records each state; a failure marks it failed with the
        reason and writes no half review (the review is one transaction).
        `job_id` runs an already queued job row (the API queues it to answer at once).
        """
        with self.db.session() as sess:
            employee = repo.get_user(sess, user_id=employee_id)
            manager = repo.get_user(sess, user_id=manager_id)
            if employee.role != Role.employee.value or manager.role != Role.manager.value:
                raise InputError("the review needs an employee and a manager")
            employee_name, manager_name = employee.name, manager.name
            # the drafter follows up on earlier open items and sees the imported KPIs (deviations flagged by code)
            previous = [
                ActionItem(owner=item.owner, task=item.task, due=item.due)
                for item in repo.open_items_of_signed_reviews(sess, employee_id=employee_id)
            ]
            kpis = stored_prefills(
                sess, employee_id=employee_id, threshold_pct=self.settings.kpi_deviation_threshold_pct
            )
            if job_id is None:
                job = repo.add_job(
                    sess,
                    kind="record_meeting",
                    payload={
                        "audio": str(audio),
                        "employee_id": employee_id,
                        "manager_id": manager_id,
                        "meeting_date": meeting_date.isoformat(),
                        "meeting_kind": meeting_kind,
                    },
                )
                job_id = job.id
        try:
            self._set_job(job_id, state="running", progress=0.0)
            kept = self.keep_audio(audio)
            transcript = self.transcriber.transcribe(kept, language=language, progress=transcribe_progress)
            self._set_job(job_id, progress=0.5)
            draft = self.drafter.draft(
                transcript,
                meeting_date=meeting_date,
                employee=employee_name,
                manager=manager_name,
                progress=draft_progress,
                kpis=kpis,
                previous=previous,
                meeting_kind=meeting_kind,
            )
            with self.db.session() as sess:
                trow = repo.add_transcript(sess, transcript=transcript, audio_path=str(kept))
                review = repo.create_review(
                    sess,
                    employee_id=employee_id,
                    manager_id=manager_id,
                    draft=draft,
                    transcript_id=trow.id,
                    author_id=actor_id,
                )
                repo.append_audit(
                    sess,
                    actor_id=actor_id,
                    action="review.create",
                    object_type="review",
                    object_id=review.id,
                    after_hash=content_hash(draft),
                    details={"version": 1, "transcript_id": trow.id, "job_id": job_id},
                )
                public = repo.review_public(sess, review)
                jrow = repo.get_job(sess, job_id=job_id)
                jrow.state, jrow.progress = "done", 1.0
                jrow.result = {"review_id": review.id, "transcript_id": trow.id}
                jrow.updated_at = self.clock.now()
        except CopilotError as exc:
            self._set_job(job_id, state="failed", error=str(exc))
            raise
        except Exception as exc:
            self._set_job(job_id, state="failed", error=f"internal error: {type(exc).__name__}")
            raise
        return job_id, public

    def _set_job(self, job_id: str, **changes: Any) -> None:
        with self.db.session() as sess:
            row = repo.get_job(sess, job_id=job_id)
            for key, value in changes.items():
                setattr(row, key, value)
            if changes.get("state") == "running":
                row.attempts += 1
            row.updated_at = self.clock.now()

    def transcribe_file(self, audio: Path, *, language: str, progress: ProgressCallback | None = None) -> Transcript:
        return self.transcriber.transcribe(audio, language=language, progress=progress)


def build_services(
    settings: Settings | None = None,
    *,
    transcriber: Transcriber | None = None,
    drafter: Drafter | None = None,
    clock: Clock | None = None,
) -> Services:
    """The composition root: every face builds its services here."""
    settings = settings or Settings()
    settings.ensure_home()
    db = Database(settings.effective_database_url)
    return Services(settings=settings, db=db, clock=clock or SystemClock(), _transcriber=transcriber, _drafter=drafter)
