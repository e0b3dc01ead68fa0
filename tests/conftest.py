"""Shared fixtures: an isolated COPILOT_HOME per test, and databases on SQLite and PostgreSQL.

PostgreSQL tests skip with a reason when no server answers, unless
COPILOT_REQUIRE_POSTGRES=1 (set by CI), which turns that skip into a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from copilot.settings import Settings
from copilot.storage import Database

# ../shared/data next to the project, or wherever COPILOT_SHARED_DIR points (CI clones elsewhere)
SHARED_DATA = Path(os.environ.get("COPILOT_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared").joinpath(
    "data"
)
REPO_ROOT = Path(__file__).resolve().parents[1]
# variables that steer the test run itself, kept while every COPILOT_* setting is cleared
TEST_CONTROL_VARIABLES = (
    "COPILOT_REQUIRE_POSTGRES",
    "COPILOT_REQUIRE_SHARED_DATA",
    "COPILOT_SHARED_DIR",
    "COPILOT_TEST_PG_URL",
    "COPILOT_CRASH_RUNS",
)
PG_ADMIN_URL = os.environ.get("COPILOT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the user's data directory or their COPILOT_* settings."""
    for key in list(os.environ):
        if key.startswith("COPILOT_") and key not in TEST_CONTROL_VARIABLES:
            monkeypatch.delenv(key)
    home = tmp_path / "home"
    monkeypatch.setenv("COPILOT_HOME", str(home))
    return home


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home")


def shared_data(*parts: str) -> Path:
    """A file from ../shared/data, or a skip (a failure under CI) when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        if os.environ.get("COPILOT_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(f"shared data file missing: {path}")
        pytest.skip(f"shared data file missing: {path}")
    return path


def _postgres_url() -> str:
    """A fresh, empty PostgreSQL schema-less database for one test module."""
    try:
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            name = f"copilot_test_{uuid.uuid4().hex[:12]}"
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
    except OperationalError as exc:
        reason = f"PostgreSQL not reachable at {PG_ADMIN_URL}: {str(exc.orig).splitlines()[0]}"
        if os.environ.get("COPILOT_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " (COPILOT_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _drop_postgres(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on a real SQLite file and a real PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'copilot.db'}"
        return
    url = _postgres_url()
    try:
        yield url
    finally:
        _drop_postgres(url)


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    db = Database(db_url)
    db.migrate()
    try:
        yield db
    finally:
        db.dispose()
