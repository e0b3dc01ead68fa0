"""Audio upload → background job (transcribe, draft) → review; job status and retry."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, status
from fastapi.concurrency import run_in_threadpool

from copilot.api.deps import AccessDep, PrincipalDep, ServicesDep
from copilot.api.routes._common import ERROR_RESPONSES
from copilot.api.uploads import PayloadTooLarge, queue_recording, receive_audio, start_job
from copilot.errors import ConflictError
from copilot.schema import JobPublic, MeetingKindRequest
from copilot.services import Services
from copilot.storage import repo

router = APIRouter(tags=["recordings"], responses=ERROR_RESPONSES)

AUDIO_BODY = {
    "requestBody": {
        "required": True,
        "description": "The audio file itself as the request body (wav, flac, ogg/opus, mp3, m4a, webm).",
        "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            "audio/*": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.post(
    "/recordings",
    response_model=JobPublic,
    status_code=status.HTTP_202_ACCEPTED,
    openapi_extra=AUDIO_BODY,
    responses={413: {"description": "Upload too large."}, 415: {"description": "Not a supported audio file."}},
)
async def upload_recording(
    request: Request,
    principal: PrincipalDep,
    services: ServicesDep,
    access: AccessDep,
    employee_id: Annotated[str, Query(max_length=36, description="The employee the meeting reviewed (your report).")],
    meeting_date: Annotated[dt.date, Query(description="Date of the meeting, YYYY-MM-DD.")],
    language: Annotated[Literal["auto", "en", "zh", "yue"], Query(description="Spoken language.")] = "auto",
    meeting_kind: Annotated[
        MeetingKindRequest | None,
        Query(
            description="'review' drafts every review section, 'check_in' a short check-in (summary, progress and "
            "action items), 'auto' tells from the talk. Unset: the server's COPILOT_MEETING_KIND."
        ),
    ] = None,
) -> JobPublic:
    """Upload a review meeting recording; a job transcribes it and drafts the review. Poll /jobs/{id}."""
    limit = services.settings.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"upload is over the limit of {limit} bytes")
    audio = await receive_audio(
        request.stream(), directory=services.settings.ensure_home() / "uploads", max_bytes=limit
    )
    job_id = await run_in_threadpool(
        queue_recording,
        services,
        access,
        request.app.state.jobs,
        principal,
        audio=audio,
        employee_id=employee_id,
        meeting_date=meeting_date,
        language=language,
        meeting_kind=meeting_kind,
        start=request.app.state.run_jobs,
    )
    return await run_in_threadpool(_job_public, services, job_id)


def _job_public(services: Services, job_id: str) -> JobPublic:
    with services.db.session() as sess:
        return repo.job_public(repo.get_job(sess, job_id=job_id))


@router.get("/jobs/{job_id}", response_model=JobPublic)
def get_job(job_id: str, principal: PrincipalDep, services: ServicesDep, access: AccessDep) -> JobPublic:
    """State and progress of a job you queued (HR sees all jobs)."""
    with services.db.session() as sess:
        return repo.job_public(access.job(sess, principal.actor, job_id))


@router.post("/jobs/{job_id}/retry", response_model=JobPublic, status_code=status.HTTP_202_ACCEPTED)
def retry_job(
    job_id: str, request: Request, principal: PrincipalDep, services: ServicesDep, access: AccessDep
) -> JobPublic:
    """Run a failed job again from its stored upload."""
    with services.db.session() as sess:
        row = access.job(sess, principal.actor, job_id)
        if row.state != "failed":
            raise ConflictError(f"only a failed job can be retried; this one is {row.state}")
        row.state, row.error, row.progress = "queued", None, 0.0
    if request.app.state.run_jobs:
        start_job(services, request.app.state.jobs, job_id)
    return _job_public(services, job_id)
