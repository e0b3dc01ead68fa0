"""Audio uploads: streamed to disk in chunks under a size limit, sniffed by magic bytes, then queued.

Nothing is read into memory whole and nothing reaches the models before the
file is complete on disk; a refused upload leaves no file behind.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import get_args

from copilot.access import ReviewAccess
from copilot.api.jobs import JobRunner
from copilot.auth import Principal
from copilot.errors import CopilotError, InputError
from copilot.ports import ProgressCallback
from copilot.schema import MeetingKindRequest
from copilot.services import Services
from copilot.storage import repo

log = logging.getLogger("copilot.api.uploads")
SNIFF_BYTES = 16


class PayloadTooLarge(CopilotError):
    exit_code = 65
    http_status = 413


class UnsupportedMediaType(CopilotError):
    exit_code = 65
    http_status = 415


def sniff_audio(head: bytes) -> str | None:
    """The file extension the leading bytes prove, or None when they are not a known audio container."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return ".wav"
    if head[:4] == b"fLaC":
        return ".flac"
    if head[:4] == b"OggS":
        return ".ogg"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06):
        return ".mp3"
    if head[4:8] == b"ftyp":
        return ".m4a"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return ".webm"
    return None


async def receive_audio(chunks: AsyncIterator[bytes], *, directory: Path, max_bytes: int) -> Path:
    """Write the body to `directory` chunk by chunk; refuse (and delete) oversize or non-audio bodies."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    part = directory / f"{uuid.uuid4().hex}.part"
    size = 0
    head = b""
    try:
        with part.open("wb") as fh:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise PayloadTooLarge(f"upload is over the limit of {max_bytes} bytes")
                if len(head) < SNIFF_BYTES:
                    head += chunk[: SNIFF_BYTES - len(head)]
                fh.write(chunk)
        if size == 0:
            raise InputError("the upload is empty; send the audio file as the request body")
        suffix = sniff_audio(head)
        if suffix is None:
            raise UnsupportedMediaType("not a supported audio file (wav, flac, ogg/opus, mp3, m4a, webm)")
        final = part.with_suffix(suffix)
        part.replace(final)
        return final
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def queue_recording(
    services: Services,
    access: ReviewAccess,
    runner: JobRunner,
    principal: Principal,
    *,
    audio: Path,
    employee_id: str,
    meeting_date: dt.date,
    language: str,
    meeting_kind: MeetingKindRequest | None = None,
    start: bool = True,
) -> str:
    """Check the caller may record this employee, queue a durable job, and start it in the background."""
    try:
        with services.db.session() as sess:
            access.employee_for_recording(sess, principal.actor, employee_id)
            job = repo.add_job(
                sess,
                kind="record_meeting",
                payload={
                    "audio": str(audio),
                    "employee_id": employee_id,
                    "manager_id": principal.actor.id,
                    "meeting_date": meeting_date.isoformat(),
                    "language": language,
                    "meeting_kind": meeting_kind,
                },
            )
            job_id = job.id
    except BaseException:
        audio.unlink(missing_ok=True)
        raise
    if start:
        start_job(services, runner, job_id)
    return job_id


def start_job(services: Services, runner: JobRunner, job_id: str) -> None:
    with services.db.session() as sess:
        payload = dict(repo.get_job(sess, job_id=job_id).payload)
    audio = Path(str(payload["audio"]))

    def work() -> None:
        services.record_meeting(
            audio,
            employee_id=str(payload["employee_id"]),
            manager_id=str(payload["manager_id"]),
            meeting_date=dt.date.fromisoformat(str(payload["meeting_date"])),
            language=str(payload.get("language", "auto")),
            meeting_kind=_meeting_kind(payload.get("meeting_kind")),
            actor_id=str(payload["manager_id"]),
            job_id=job_id,
            transcribe_progress=_job_progress(services, job_id, 0.0, 0.5),
            draft_progress=_job_progress(services, job_id, 0.5, 0.95),
        )
        audio.unlink(missing_ok=True)  # record_meeting kept its own copy under $COPILOT_HOME/audio

    runner.submit(job_id, work)


def _meeting_kind(stored: object) -> MeetingKindRequest | None:
    """The kind a queued job asked for; jobs queued before the field existed (or with none) use the default."""
    return stored if stored in get_args(MeetingKindRequest) else None  # type: ignore[return-value]


def _job_progress(services: Services, job_id: str, low: float, high: float) -> ProgressCallback:
    """A progress callback that writes the job row at most every 5 %."""
    last = [-1.0]

    def update(fraction: float) -> None:
        value = low + (high - low) * min(max(fraction, 0.0), 1.0)
        if value - last[0] < 0.05:
            return
        last[0] = value
        with services.db.session() as sess:
            row = repo.get_job(sess, job_id=job_id)
            if row.state == "running":
                row.progress = value
                row.updated_at = services.clock.now()

    return update
