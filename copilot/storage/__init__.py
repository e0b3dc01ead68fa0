"""Persistence adapter: SQLAlchemy 2 + Alembic, SQLite by default, PostgreSQL by URL."""

from copilot.storage.db import Database

__all__ = ["Database"]
