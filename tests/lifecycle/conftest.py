"""Fixtures for lifecycle tests: a lifecycle service with people, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from copilot.lifecycle import ReviewLifecycle
from copilot.schema import ReviewPublic, Transcript
from copilot.storage import Database
from tests.lifecycle.helpers import FakeClock, People, add_people, demo_draft, demo_transcript, make_lifecycle


@dataclass
class World:
    db: Database
    lc: ReviewLifecycle
    people: People
    clock: FakeClock
    transcript: Transcript

    def new_review(self, *, send: bool = True) -> ReviewPublic:
        review = self.lc.create(
            self.people.manager,
            employee_id=self.people.employee,
            draft=demo_draft(self.transcript),
            transcript=self.transcript,
        )
        return self.lc.send(self.people.manager, review.id) if send else review


@pytest.fixture
def world(database: Database, tmp_path: Path) -> World:
    clock = FakeClock()
    return World(database, make_lifecycle(database, tmp_path, clock), add_people(database), clock, demo_transcript())
