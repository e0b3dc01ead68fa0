"""A small organisation for API tests: one user per role, two manager/employee pairs, two sent reviews.

Transcript text carries CANARY so the log tests can prove it never reaches a log line.
"""

from __future__ import annotations

import datetime as dt
import io
import wave
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from copilot.schema import Role, Segment, Transcript
from copilot.services import Services
from copilot.storage import repo
from tests.fakes import FakeDrafter

CANARY = "zebracanary7731"
PASSWORD = f"pw-{CANARY}-secret"
MEETING = dt.date(2026, 11, 20)

CANARY_TRANSCRIPT = Transcript(
    language="en",
    duration_s=20.0,
    segments=[
        Segment(id=0, start=0.0, end=5.0, speaker="speaker_0", text=f"The {CANARY} project shipped on time."),
        Segment(id=1, start=5.5, end=9.0, speaker="speaker_1", text=f"I will send the {CANARY} plan by Friday."),
    ],
)


def tiny_wav(seconds: float = 0.2) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x00\x00" * int(16000 * seconds))
    return buf.getvalue()


@dataclass
class World:
    ids: dict[str, str] = field(default_factory=dict)  # name → user id
    emails: dict[str, str] = field(default_factory=dict)
    reviews: dict[str, str] = field(default_factory=dict)  # 'r1' (e1/m1), 'r2' (e2/m2)
    tokens: dict[str, str] = field(default_factory=dict)  # name → access token

    def headers(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}


USERS = [
    ("admin", Role.admin, None),
    ("hr", Role.hr, None),
    ("auditor", Role.auditor, None),
    ("m1", Role.manager, None),
    ("m2", Role.manager, None),
    ("e1", Role.employee, "m1"),
    ("e2", Role.employee, "m2"),
    ("spare", Role.employee, "m1"),
]


def build_world(services: Services, client: TestClient) -> World:
    world = World()
    # a real argon2id hash with cheap parameters: verification reads them from the hash, so tests stay fast
    pw_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    with services.db.session() as sess:
        for name, role, manager in USERS:
            row = repo.add_user(
                sess,
                name=name.upper(),
                email=f"{name}@example.test",
                role=role,
                manager_id=world.ids[manager] if manager else None,
                password_hash=pw_hash,
            )
            world.ids[name], world.emails[name] = row.id, row.email
    for pair, (mgr, emp) in {"r1": ("m1", "e1"), "r2": ("m2", "e2")}.items():
        draft = FakeDrafter().draft(CANARY_TRANSCRIPT, meeting_date=MEETING, employee=emp, manager=mgr)
        review = services.lifecycle.create(
            world.ids[mgr], employee_id=world.ids[emp], draft=draft, transcript=CANARY_TRANSCRIPT
        )
        services.lifecycle.send(world.ids[mgr], review.id)
        world.reviews[pair] = review.id
    for name, _, _ in USERS:
        login(client, world, name)
    return world


def login(client: TestClient, world: World, name: str) -> None:
    resp = client.post("/auth/login", json={"email": world.emails[name], "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    world.tokens[name] = resp.json()["access_token"]
