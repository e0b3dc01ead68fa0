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
from tests.fakes import FakeDrafter, FakeTranscriber


@pytest.fixture
def api_services(tmp_path: Path) -> Iterator[Services]:
    services = build_services(
        Settings(home=tmp_path / "home"), transcriber=FakeTranscriber(CANARY_TRANSCRIPT), drafter=FakeDrafter()
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
