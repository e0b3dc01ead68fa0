"""Engine setup, migrations and the unit-of-work helper.

SQLite runs in WAL mode with `synchronous=FULL` and foreign keys on, and every
transaction starts with `BEGIN IMMEDIATE` so writers serialise instead of
failing half-way. PostgreSQL is selected by URL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from copilot.errors import ConfigError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Alembic keeps its running environment in module globals, so two migrations in one
# process must never overlap, whichever Database objects run them.
_MIGRATION_LOCK = threading.Lock()


def _normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """One engine and session factory per process, built from a URL."""

    def __init__(self, url: str) -> None:
        self.url = _normalise_url(url)
        self.dialect = self.url.split(":", 1)[0].split("+", 1)[0]
        kwargs: dict[str, Any] = {"future": True}
        if self.dialect == "sqlite":
            path = self.url.removeprefix("sqlite:///")
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine = create_engine(self.url, **kwargs)
        if self.dialect == "sqlite":
            _sqlite_pragmas(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._migrated = False

    def migrate(self) -> None:
        """Bring the schema to the latest Alembic revision (idempotent)."""
        with _MIGRATION_LOCK:
            if self._migrated:
                return
            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
            try:
                with self.engine.begin() as conn:
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "heads")  # areas add independent branches off 0001
            except OperationalError as exc:
                raise ConfigError(f"cannot open database {self.safe_url}: {exc.orig}") from exc
            self._migrated = True

    @property
    def safe_url(self) -> str:
        """The URL without any password, for messages and logs."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on any error."""
        self.migrate()
        with self._sessions() as sess, sess.begin():
            yield sess

    def integrity_check(self) -> str:
        """SQLite's own consistency check ('ok' when healthy); 'ok' for other backends."""
        if self.dialect != "sqlite":
            return "ok"
        with self.engine.connect() as conn:
            return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())

    def dispose(self) -> None:
        self.engine.dispose()
