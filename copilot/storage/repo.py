"""Keyword-only data access functions; each runs inside a caller's session.

Services own transactions (one unit of work per use case), so a failure
anywhere rolls back everything that use case wrote.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from copilot.domain.audit import GENESIS_HASH, ChainRow, event_hash
from copilot.domain.canonical import content_hash
from copilot.errors import InputError, NotFound
from copilot.schema import (
    JobPublic,
    ReviewDraft,
    ReviewPublic,
    ReviewState,
    Role,
    Transcript,
    UserPublic,
)
from copilot.storage.models import (
    ActionItemRow,
    AuditEventRow,
    JobRow,
    ReviewRow,
    ReviewVersionRow,
    TranscriptRow,
    UserRow,
    new_id,
    utcnow,
)

# --------------------------------------------------------------------------- users


def user_public(row: UserRow) -> UserPublic:
    return UserPublic(
        id=row.id, name=row.name, email=row.email, role=Role(row.role), manager_id=row.manager_id, active=row.active
    )


def add_user(
    sess: Session, *, name: str, email: str, role: Role, manager_id: str | None = None, password_hash: str | None = None
) -> UserRow:
    email = email.strip().lower()
    if sess.scalar(select(UserRow).where(UserRow.email == email)) is not None:
        raise InputError(f"a user with email {email} already exists")
    if manager_id is not None and sess.get(UserRow, manager_id) is None:
        raise InputError(f"manager {manager_id} does not exist")
    row = UserRow(
        id=new_id(),
        name=name,
        email=email,
        role=role.value,
        manager_id=manager_id,
        password_hash=password_hash,
        active=True,
        created_at=utcnow(),
    )
    sess.add(row)
    sess.flush()
    return row


def get_user(sess: Session, *, user_id: str) -> UserRow:
    row = sess.get(UserRow, user_id)
    if row is None:
        raise NotFound(f"user {user_id} not found")
    return row


def find_user_by_email(sess: Session, *, email: str) -> UserRow | None:
    return sess.scalar(select(UserRow).where(UserRow.email == email.strip().lower()))


def list_users(sess: Session) -> list[UserRow]:
    return list(sess.scalars(select(UserRow).order_by(UserRow.created_at, UserRow.email)))


# --------------------------------------------------------------------------- transcripts


def add_transcript(sess: Session, *, transcript: Transcript, audio_path: str | None) -> TranscriptRow:
    row = TranscriptRow(
        id=new_id(),
        audio_path=audio_path,
        audio_sha256=transcript.audio_sha256,
        language=transcript.language,
        duration_s=transcript.duration_s,
        content=transcript.model_dump(mode="json"),
        created_at=utcnow(),
    )
    sess.add(row)
    sess.flush()
    return row


def get_transcript(sess: Session, *, transcript_id: str) -> Transcript:
    row = sess.get(TranscriptRow, transcript_id)
    if row is None:
        raise NotFound(f"transcript {transcript_id} not found")
    return Transcript.model_validate(row.content)


# --------------------------------------------------------------------------- reviews


def create_review(
    sess: Session,
    *,
    employee_id: str,
    manager_id: str,
    draft: ReviewDraft,
    transcript_id: str | None,
    author_id: str | None,
) -> ReviewRow:
    """Create a review with its first immutable version and tracked action items."""
    now = utcnow()
    review = ReviewRow(
        id=new_id(),
        employee_id=employee_id,
        manager_id=manager_id,
        transcript_id=transcript_id,
        state=ReviewState.draft.value,
        meeting_date=draft.meeting_date,
        current_version=1,
        created_at=now,
    )
    sess.add(review)
    sess.flush()
    add_version(sess, review=review, version=1, draft=draft, author_id=author_id, diff=None)
    replace_action_items(sess, review_id=review.id, draft=draft)
    return review


def add_version(
    sess: Session,
    *,
    review: ReviewRow,
    version: int,
    draft: ReviewDraft,
    author_id: str | None,
    diff: dict[str, Any] | None,
) -> ReviewVersionRow:
    content = draft.model_dump(mode="json")
    row = ReviewVersionRow(
        id=new_id(),
        review_id=review.id,
        version=version,
        author_id=author_id,
        content=content,
        content_sha256=content_hash(content),
        diff=diff,
        created_at=utcnow(),
    )
    sess.add(row)
    sess.flush()
    return row


def replace_action_items(sess: Session, *, review_id: str, draft: ReviewDraft) -> None:
    """Mirror the draft's action items into the tracking table."""
    for old in sess.scalars(select(ActionItemRow).where(ActionItemRow.review_id == review_id)):
        sess.delete(old)
    now = utcnow()
    for item in draft.action_items:
        sess.add(
            ActionItemRow(
                id=new_id(),
                review_id=review_id,
                owner=item.owner,
                task=item.task,
                due=item.due,
                status=item.status,
                evidence={"items": [e.model_dump(mode="json") for e in item.evidence]},
                created_at=now,
                updated_at=now,
            )
        )
    sess.flush()


def get_review_row(sess: Session, *, review_id: str) -> ReviewRow:
    row = sess.get(ReviewRow, review_id)
    if row is None:
        raise NotFound(f"review {review_id} not found")
    return row


def get_version(sess: Session, *, review_id: str, version: int) -> ReviewVersionRow:
    row = sess.scalar(
        select(ReviewVersionRow).where(ReviewVersionRow.review_id == review_id, ReviewVersionRow.version == version)
    )
    if row is None:
        raise NotFound(f"review {review_id} has no version {version}")
    return row


def review_public(sess: Session, row: ReviewRow) -> ReviewPublic:
    version = get_version(sess, review_id=row.id, version=row.current_version)
    return ReviewPublic(
        id=row.id,
        employee_id=row.employee_id,
        manager_id=row.manager_id,
        state=ReviewState(row.state),
        meeting_date=row.meeting_date,
        version=row.current_version,
        draft=ReviewDraft.model_validate(version.content),
        transcript_id=row.transcript_id,
        created_at=_aware(row.created_at),
        deadline_at=_aware(row.deadline_at) if row.deadline_at else None,
    )


def list_action_items(sess: Session, *, review_id: str) -> list[ActionItemRow]:
    return list(sess.scalars(select(ActionItemRow).where(ActionItemRow.review_id == review_id)))


def open_items_of_signed_reviews(sess: Session, *, employee_id: str) -> list[ActionItemRow]:
    """Open action items of the employee's signed reviews that no signed amendment replaced, oldest first.

    These are what the next review follows up on (carry-over)."""
    signed = list(
        sess.scalars(
            select(ReviewRow).where(ReviewRow.employee_id == employee_id, ReviewRow.state == ReviewState.signed.value)
        )
    )
    replaced = {r.amends_review_id for r in signed if r.amends_review_id}
    out: list[ActionItemRow] = []
    for review in sorted(signed, key=lambda r: (r.meeting_date, _aware(r.created_at))):
        if review.id not in replaced:
            out.extend(item for item in list_action_items(sess, review_id=review.id) if item.status == "open")
    return out


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; everything we store is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# --------------------------------------------------------------------------- jobs


def job_public(row: JobRow) -> JobPublic:
    return JobPublic.model_validate(
        {
            "id": row.id,
            "kind": row.kind,
            "state": row.state,
            "progress": row.progress,
            "error": row.error,
            "result": row.result,
        }
    )


def add_job(sess: Session, *, kind: str, payload: dict[str, Any]) -> JobRow:
    now = utcnow()
    row = JobRow(
        id=new_id(),
        kind=kind,
        state="queued",
        progress=0.0,
        payload=payload,
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    sess.add(row)
    sess.flush()
    return row


def get_job(sess: Session, *, job_id: str) -> JobRow:
    row = sess.get(JobRow, job_id)
    if row is None:
        raise NotFound(f"job {job_id} not found")
    return row


# --------------------------------------------------------------------------- audit


def append_audit(
    sess: Session,
    *,
    actor_id: str | None,
    action: str,
    object_type: str,
    object_id: str | None,
    before_hash: str | None = None,
    after_hash: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEventRow:
    """Append one event to the hash chain, inside the caller's transaction.

    Writers are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory
    lock held to commit), so two events never claim the same predecessor.
    """
    if sess.get_bind().dialect.name == "postgresql":
        sess.execute(text("SELECT pg_advisory_xact_lock(724201)"))
    last = sess.execute(
        select(AuditEventRow.seq, AuditEventRow.hash).order_by(AuditEventRow.seq.desc()).limit(1)
    ).first()
    seq = 1 if last is None else int(last[0]) + 1
    prev_hash = GENESIS_HASH if last is None else str(last[1])
    at = utcnow()
    row = AuditEventRow(
        seq=seq,
        id=new_id(),
        at=at,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before_hash=before_hash,
        after_hash=after_hash,
        details=details or {},
        prev_hash=prev_hash,
        hash="",
    )
    row.hash = event_hash(prev_hash, audit_event_content(row))
    sess.add(row)
    sess.flush()
    return row


def audit_event_content(row: AuditEventRow) -> dict[str, Any]:
    """The fields a chain hash covers (everything but the hashes themselves)."""
    return {
        "seq": row.seq,
        "id": row.id,
        "at": _aware(row.at).isoformat(timespec="microseconds"),
        "actor_id": row.actor_id,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "before_hash": row.before_hash,
        "after_hash": row.after_hash,
        "details": row.details,
    }


def audit_chain(sess: Session) -> list[ChainRow]:
    rows = sess.scalars(select(AuditEventRow).order_by(AuditEventRow.seq))
    return [ChainRow(seq=r.seq, event=audit_event_content(r), prev_hash=r.prev_hash, hash=r.hash) for r in rows]


def audit_count(sess: Session) -> int:
    return int(sess.scalar(select(func.count()).select_from(AuditEventRow)) or 0)
