"""API-era tables: login sessions, personal API tokens, login attempts, imported KPI values.

Only sha256 hashes of tokens are stored, so a copy of the database does not
let anyone act as a user.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from copilot.storage.models import Base, new_id, utcnow


class AuthSessionRow(Base):
    """One login: a long-lived refresh token and the current short-lived access token."""

    __tablename__ = "auth_sessions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    refresh_hash: Mapped[str] = mapped_column(String(64), unique=True)
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    access_expires_at: Mapped[dt.datetime] = mapped_column()
    expires_at: Mapped[dt.datetime] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class ApiTokenRow(Base):
    """A personal API token for integrations: named, scoped, revocable."""

    __tablename__ = "api_tokens"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class LoginAttemptRow(Base):
    """Every login attempt, kept so repeated failures lock the account out for a while."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_email_at", "email", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320))
    at: Mapped[dt.datetime] = mapped_column()
    success: Mapped[bool] = mapped_column(Boolean)


class KpiValueRow(Base):
    """One KPI value imported by HR (kept here with the other API-era tables; migration 0005_kpi)."""

    __tablename__ = "kpi_values"
    __table_args__ = (UniqueConstraint("employee_id", "period", "metric", name="uq_kpi_values_employee_period_metric"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    employee_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    period: Mapped[str] = mapped_column(String(40))
    metric: Mapped[str] = mapped_column(String(200))
    target: Mapped[float] = mapped_column(Float)
    actual: Mapped[float] = mapped_column(Float)
    higher_is_better: Mapped[bool] = mapped_column(Boolean)
    imported_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
