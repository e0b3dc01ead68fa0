"""API fixtures: an app over real SQLite with fake speech/LLM adapters, a TestClient, and a populated world."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from copilot.api import create_app
from copilot.services import Services, build_services
from copilot.settings import Settings
from tests.api.world import CANARY_TRANSCRIPT, World, build_world
from tests.conftest import _drop_postgres, _postgres_url
from tests.fakes import FakeDrafter, FakeTranscriber


@pytest.fixture
def api_backend(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """SQLite by default; `@pytest.mark.parametrize("api_backend", [..., "postgresql"], indirect=True)` for both."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield None
        return
    url = _postgres_url()
    try:
        yield url
    finally:
        _drop_postgres(url)


@pytest.fixture
def api_services(tmp_path: Path, api_backend: str | None) -> Iterator[Services]:
    services = build_services(
        Settings(home=tmp_path / "home", database_url=api_backend),
        transcriber=FakeTranscriber(CANARY_TRANSCRIPT),
        drafter=FakeDrafter(),
    )
    yield services
    services.db.dispose()


@pytest.fixture
def client(api_services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(api_services)) as test_client:
        yield test_client


@pytest.fixture
def world(api_services: Services, client: TestClient) -> World:
    return build_world(api_services, client)
