"""ORM tables of the review lifecycle (migration 0002): signatures, keys, comments, responses, outbox, escalations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from copilot.storage.models import Base, new_id, utcnow


class SigningKeyRow(Base):
    """Public half of a signer's Ed25519 key; the id is the key's fingerprint."""

    __tablename__ = "signing_keys"
    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    public_key_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SignatureRow(Base):
    """Append-only (database triggers): a signature counts only while its version is the current one."""

    __tablename__ = "signatures"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    review_id: Mapped[str] = mapped_column(ForeignKey("reviews.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    signer_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    signer_role: Mapped[str] = mapped_column(String(20))
    key_id: Mapped[str] = mapped_column(ForeignKey("signing_keys.key_id"))
    content_sha256: Mapped[str] = mapped_column(String(64))
    record: Mapped[dict[str, Any]] = mapped_column()
    signature_b64: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[dt.datetime] = mapped_column()


class CommentRow(Base):
    __tablename__ = "comments"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    review_id: Mapped[str] = mapped_column(ForeignKey("reviews.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    field_path: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FieldAgreementRow(Base):
    """The employee's `agree` or `acknowledge_with_objection` on one field, kept with the signed record."""

    __tablename__ = "field_agreements"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    review_id: Mapped[str] = mapped_column(ForeignKey("reviews.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    field_path: Mapped[str] = mapped_column(String(200))
    employee_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(40))
    statement: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OutboxRow(Base):
    """An event for the HRIS, written in the same transaction as the change it reports."""

    __tablename__ = "outbox"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    event_type: Mapped[str] = mapped_column(String(60))
    aggregate_id: Mapped[str] = mapped_column(String(36), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column()
    locked_until: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    dead_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class EscalationRow(Base):
    """An overdue review reported to HR; one row per review and level, so sweeps are idempotent."""

    __tablename__ = "escalations"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    review_id: Mapped[str] = mapped_column(ForeignKey("reviews.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    deadline_at: Mapped[dt.datetime] = mapped_column()
    detected_at: Mapped[dt.datetime] = mapped_column()
    escalated_to: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str | None] = mapped_column(String(36), nullable=True)


class AuditHeadRow(Base):
    """Maintained by a trigger on audit_events: the last event's seq and hash."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    hash: Mapped[str] = mapped_column(String(64))
